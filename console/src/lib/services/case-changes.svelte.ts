/**
 * The live feed of case changes (GET /v1/case-changes, server-sent events): read with fetch() and a
 * stream reader so the key travels in the Authorization header (EventSource cannot send one, and a
 * key never goes in a URL). One connection per tab, shared by every page that listens; it
 * reconnects with a growing pause when the stream ends or fails, and says whether it is live.
 */
import { authHeaders, storedKey } from '../api';

export interface CaseChange {
  caseId: string;
  merchantId: string;
  type: string;
  stage: string;
  status: string;
  updatedAt: string;
}

type Listener = (change: CaseChange) => void;

const listeners = new Set<Listener>();
export const feed = $state({ connected: false });
let controller: AbortController | null = null;
let retryTimer: ReturnType<typeof setTimeout> | undefined;
let failures = 0;
let everConnected = false;
const RELOAD: CaseChange = { caseId: '', merchantId: '', type: '', stage: '', status: '', updatedAt: '' };

/** Parses SSE text: calls `emit` for each complete `event: case` message, returns the unfinished rest. */
export function parseEvents(buffer: string, emit: (event: string, data: string) => void): string {
  const blocks = buffer.split(/\r?\n\r?\n/);
  const rest = blocks.pop() ?? '';
  for (const block of blocks) {
    let event = 'message';
    const data: string[] = [];
    for (const line of block.split(/\r?\n/)) {
      if (line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'event') event = value;
      else if (field === 'data') data.push(value);
    }
    if (data.length) emit(event, data.join('\n'));
  }
  return rest;
}

async function connect(): Promise<void> {
  if (!storedKey() || controller) return;
  const mine = new AbortController();
  controller = mine;
  try {
    const res = await fetch('/v1/case-changes', { headers: { accept: 'text/event-stream', ...authHeaders() }, signal: mine.signal, cache: 'no-store', credentials: 'omit' });
    if (!res.ok || !res.body) throw new Error(`case-changes answered ${res.status}`);
    feed.connected = true;
    failures = 0;
    // A reconnect may have missed changes: listeners reload what they show.
    if (everConnected) for (const l of listeners) l(RELOAD);
    everConnected = true;
    const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer = parseEvents(buffer + value, (event, data) => {
        if (event !== 'case') return;
        let change: CaseChange;
        try {
          change = JSON.parse(data) as CaseChange;
        } catch {
          return;
        }
        for (const l of listeners) l(change);
      });
    }
  } catch {
    failures++;
  } finally {
    feed.connected = false;
    if (controller === mine) controller = null;
  }
  // Ended or failed: come back unless nobody listens any more (or the stream was closed on purpose).
  if (listeners.size && !mine.signal.aborted) {
    const pause = Math.min(30_000, 500 * 2 ** Math.min(failures, 6));
    retryTimer = setTimeout(() => void connect(), pause);
  }
}

/** Calls `listener` on every case change (and with an empty caseId after a reconnect: reload everything); returns the unsubscribe. */
export function onCaseChange(listener: Listener): () => void {
  listeners.add(listener);
  void connect();
  return () => {
    listeners.delete(listener);
    if (!listeners.size) closeFeed();
  };
}

export function closeFeed(): void {
  clearTimeout(retryTimer);
  controller?.abort();
  controller = null;
  feed.connected = false;
  everConnected = false;
}
