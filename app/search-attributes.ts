/**
 * Registers the case search attributes (workflows/contract.ts) on a namespace, so the API can
 * start cases with them and ops can filter by them in the Temporal UI. Idempotent: attributes
 * already there with the same type are left alone; one there with another type is an error that
 * names it (the cluster was set up by hand, differently).
 */
import type { Connection } from '@temporalio/client';
// Default import: the package is CommonJS, and Node's ESM loader (tsx, npm start) sees no named exports.
import proto, { type temporal } from '@temporalio/proto';
import { CASE_SEARCH_ATTRIBUTES } from '../workflows/contract.js';

const INDEXED = proto.temporal.api.enums.v1.IndexedValueType;
const TYPES: Record<string, temporal.api.enums.v1.IndexedValueType> = {
  KEYWORD: INDEXED.INDEXED_VALUE_TYPE_KEYWORD,
  BOOL: INDEXED.INDEXED_VALUE_TYPE_BOOL,
  INT: INDEXED.INDEXED_VALUE_TYPE_INT,
  DATETIME: INDEXED.INDEXED_VALUE_TYPE_DATETIME,
};

export async function registerCaseSearchAttributes(connection: Connection, namespace: string): Promise<string[]> {
  const existing = await connection.operatorService.listSearchAttributes({ namespace });
  const custom = existing.customAttributes ?? {};
  const missing: Record<string, temporal.api.enums.v1.IndexedValueType> = {};
  for (const key of Object.values(CASE_SEARCH_ATTRIBUTES)) {
    const wanted = TYPES[key.type];
    if (wanted === undefined) throw new Error(`search attribute ${key.name}: type ${key.type} has no mapping`);
    const have = custom[key.name];
    if (have === undefined) missing[key.name] = wanted;
    else if (have !== wanted) throw new Error(`search attribute ${key.name} exists on namespace ${namespace} with another type (${INDEXED[have]}, wanted ${INDEXED[wanted]})`);
  }
  if (Object.keys(missing).length) await connection.operatorService.addSearchAttributes({ namespace, searchAttributes: missing });
  return Object.keys(missing);
}
