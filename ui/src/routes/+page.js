import { redirect } from '@sveltejs/kit';

// `/` → the workflow list of the server's default namespace.
export async function load({ parent }) {
  const { settings } = await parent();
  const namespace = settings?.defaultNamespace || 'default';
  redirect(307, `/namespaces/${encodeURIComponent(namespace)}/workflows`);
}
