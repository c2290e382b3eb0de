// Single-page app: nothing is rendered or prerendered on a server.
export const ssr = false;
export const prerender = false;
export const trailingSlash = 'never';

import { fetchCluster, fetchSystemInfo } from '@temporalio/ui/services/cluster-service';
import { fetchNamespaces } from '@temporalio/ui/services/namespaces-service';
import { fetchSettings } from '@temporalio/ui/services/settings-service';
import { initI18n } from '$lib/i18n.js';

/**
 * Root data every page of the package reads through `$page.data`:
 * `settings` (GET /api/v1/settings), `cluster` (GET /api/v1/cluster-info,
 * gives serverVersion + visibility store) and `systemInfo`
 * (GET /api/v1/system-info, gives capabilities).
 */
export async function load({ fetch }) {
  initI18n();
  let settings;
  try {
    settings = await fetchSettings(fetch);
  } catch {
    // API unreachable or failing: keep the shell usable with the package's
    // defaults (the failure was already shown as a toast).
    settings = await fetchSettings(async () => new Response('{}'));
  }
  // fills the `namespaces` store used by the namespace picker; not awaited
  fetchNamespaces(settings, fetch);
  const [cluster, systemInfo] = await Promise.all([
    fetchCluster(settings, fetch).catch(() => undefined),
    fetchSystemInfo(settings, fetch).catch(() => undefined),
  ]);
  return { settings, cluster, systemInfo };
}
