/**
 * Where the Temporal Web UI is: `npm start` serves it on TEMPORAL_UI_PORT (8233 by default) of the
 * machine the platform runs on; elsewhere (docker-compose, a real cluster) set another base once
 * in this browser: localStorage `aftersales.console.temporalUi`.
 */
export const TEMPORAL_UI_STORAGE = 'aftersales.console.temporalUi';
export const DEFAULT_TEMPORAL_UI = 'http://127.0.0.1:8233';

export function temporalUiBase(): string {
  const kept = typeof localStorage === 'undefined' ? null : localStorage.getItem(TEMPORAL_UI_STORAGE);
  return (kept && /^https?:\/\//.test(kept) ? kept : DEFAULT_TEMPORAL_UI).replace(/\/+$/, '');
}

export const workflowLink = (workflowId: string, namespace = 'default') =>
  `${temporalUiBase()}/namespaces/${encodeURIComponent(namespace)}/workflows/${encodeURIComponent(workflowId)}`;
