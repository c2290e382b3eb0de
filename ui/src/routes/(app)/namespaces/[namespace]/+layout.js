import { fetchSearchAttributesForNamespace } from '@temporalio/ui/services/search-attributes-service';
import { allSearchAttributes } from '@temporalio/ui/stores/search-attributes';

// Search attributes drive the workflow list's filters and columns
// (GET /api/v1/namespaces/{namespace}/search-attributes).
export async function load({ params, parent }) {
  await parent();
  allSearchAttributes.set(await fetchSearchAttributesForNamespace(params.namespace));
}
