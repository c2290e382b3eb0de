/**
 * Who is signed in: the answer of GET /v1/console/session for the key in session storage, as
 * Svelte state the shell and the pages read (role → which pages, merchant, actor id for "mine").
 */
import { ApiProblem, forgetKey, request, storedKey, storeKey } from './api';

export type Role = 'AGENT' | 'SUPERVISOR' | 'ADMIN' | 'WAREHOUSE';

export interface ConsoleSession {
  role: Role;
  merchantId: string | null;
  merchantName: string | null;
  actorId: string;
  label: string | null;
  keyId: string;
  /** Where the Temporal Web UI is (url null: not configured). */
  temporalUi?: { url: string | null; namespace: string };
}

export const SESSION_PATH = '/v1/console/session';

const state = $state<{ current: ConsoleSession | null; checked: boolean; refused: boolean }>({ current: null, checked: false, refused: false });

export const session = {
  get current() {
    return state.current;
  },
  /** Whether the key this tab was signed in with was refused when asked about again (revoked, expired). */
  get refused() {
    return state.refused;
  },
  /** Whether the stored key has been asked about since the page loaded. */
  get checked() {
    return state.checked;
  },
};

/** The session of the stored key (asked once per page load), or null when there is none or it no longer works. */
export async function loadSession(): Promise<ConsoleSession | null> {
  if (state.checked) return state.current;
  const key = storedKey();
  if (!key) {
    state.checked = true;
    return null;
  }
  try {
    state.current = await request<ConsoleSession>('GET', SESSION_PATH, { key });
  } catch (err) {
    if (err instanceof ApiProblem && (err.status === 401 || err.status === 403)) {
      forgetKey();
      state.refused = true;
    }
    state.current = null;
  }
  state.checked = true;
  return state.current;
}

/** Checks `key` with the API and keeps it only when it may sign in; throws the API's refusal otherwise. */
export async function signIn(key: string): Promise<ConsoleSession> {
  const who = await request<ConsoleSession>('GET', SESSION_PATH, { key });
  storeKey(key);
  state.current = who;
  state.checked = true;
  state.refused = false;
  return who;
}

export function signOut(): void {
  forgetKey();
  state.current = null;
  state.checked = true;
}

/** The pages each role may open (the API decides what they may do there). */
export const canSee = {
  queue: (r: Role) => r === 'AGENT' || r === 'SUPERVISOR' || r === 'ADMIN',
  warehouse: (r: Role) => r === 'WAREHOUSE' || r === 'SUPERVISOR' || r === 'ADMIN',
  supervisor: (r: Role) => r === 'SUPERVISOR' || r === 'ADMIN',
  admin: (r: Role) => r === 'ADMIN' || r === 'SUPERVISOR',
  /**
   * Links into the Temporal Web UI: platform operators only. That UI has no sign-in of its own and
   * shows (and can signal or end) every merchant's workflows — orders, unit costs, addresses — so a
   * merchant's staff (AGENT, WAREHOUSE, SUPERVISOR) must not be sent there.
   */
  temporalUi: (r: Role) => r === 'ADMIN',
};

/** The page a role starts on. */
export const homeOf = (r: Role) => (r === 'WAREHOUSE' ? '/warehouse' : '/');
