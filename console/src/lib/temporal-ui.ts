/**
 * Where the Temporal Web UI is: the API says (GET /v1/console/session `temporalUi`: the embedded
 * one `npm start` serves, or TEMPORAL_UI_URL); a base kept in this browser
 * (localStorage `aftersales.console.temporalUi`) overrides it, and without either the default
 * port of `npm start` is tried. Only an ADMIN is shown these links (`canSee.temporalUi`): the UI
 * has no sign-in and shows every merchant's workflows.
 */
import { session } from './session';

export const TEMPORAL_UI_STORAGE = 'aftersales.console.temporalUi';
export const DEFAULT_TEMPORAL_UI = 'http://127.0.0.1:8233';

export function temporalUiBase(): string {
  const kept = typeof localStorage === 'undefined' ? null : localStorage.getItem(TEMPORAL_UI_STORAGE);
  const told = session.current?.temporalUi?.url;
  return (kept && /^https?:\/\//.test(kept) ? kept : (told ?? DEFAULT_TEMPORAL_UI)).replace(/\/+$/, '');
}

/**
 * The case's workflow in the UI's list, found by its id: the UI's own page of a workflow needs the
 * run id, which the console does not have (the list links to the current run).
 */
export function workflowLink(workflowId: string): string {
  const namespace = session.current?.temporalUi?.namespace ?? 'default';
  return `${temporalUiBase()}/namespaces/${encodeURIComponent(namespace)}/workflows?query=${encodeURIComponent(`WorkflowId="${workflowId}"`)}`;
}
