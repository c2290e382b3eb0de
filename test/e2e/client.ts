/** A small HTTP client for tests that drive the platform over real HTTP. */
import { waitUntil } from '../support/wait.js';

export interface Reply {
  status: number;
  /** What the API returned, as parsed JSON (tests read it freely). */
  body: any;
  headers: Headers;
}

export function httpClient(baseUrl: () => string) {
  async function call(method: string, path: string, key: string | undefined, body?: unknown, headers: Record<string, string> = {}): Promise<Reply> {
    const res = await fetch(`${baseUrl()}${path}`, {
      method,
      headers: { ...(key ? { authorization: `Bearer ${key}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined, headers: res.headers };
  }

  /** Polls the case until it reaches `stage` (workflows move it asynchronously). */
  async function until(caseId: string, key: string, stage: string) {
    let last: Reply | undefined;
    return waitUntil(
      `case ${caseId} to reach ${stage}`,
      async () => {
        last = await call('GET', `/v1/cases/${caseId}`, key);
        return last.body?.stage === stage ? last.body : undefined;
      },
      { intervalMs: 50, state: () => `at ${last?.body?.stage}; ${last?.body?.timeline?.map((e: { kind: string }) => e.kind).join(', ')}` },
    );
  }

  /** Polls the case until its timeline has an event of `kind` (recorded by the workflow in an activity). */
  async function untilStep(caseId: string, key: string, kind: string) {
    let last: Reply | undefined;
    return waitUntil(
      `a ${kind} event in the timeline of case ${caseId}`,
      async () => {
        last = await call('GET', `/v1/cases/${caseId}`, key);
        return last.body?.timeline?.find((e: { kind: string }) => e.kind === kind);
      },
      { intervalMs: 50, state: () => `at ${last?.body?.stage}; ${last?.body?.timeline?.map((e: { kind: string }) => e.kind).join(', ')}` },
    );
  }

  return { call, until, untilStep };
}
