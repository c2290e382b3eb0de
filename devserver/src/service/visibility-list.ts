import { invalidArgument } from '../errors.js';
import type { Engine, NamespaceState } from '../engine/engine.js';
import type { Run } from '../engine/types.js';
import { jsonPayload, type Obj } from '../proto.js';
import { parseListQuery, type VisibilityRecord } from '../visibility/list-filter.js';
import { executionInfo, makeToken, parseToken } from './read-model.js';

const DEFAULT_PAGE_SIZE = 1000;

function visibilityRecord(run: Run): VisibilityRecord {
  return {
    namespace: run.namespace,
    workflowId: run.workflowId,
    runId: run.runId,
    workflowType: run.workflowType,
    status: run.status,
    taskQueue: run.taskQueue,
    startTime: run.startTime,
    executionTime: run.executionTime,
    closeTime: run.closeTime,
    historyLength: run.history.length,
    parentWorkflowId: run.parent?.workflowId,
    parentRunId: run.parent?.runId,
    rootWorkflowId: run.root.workflowId,
    rootRunId: run.root.runId,
    searchAttributes: run.searchAttributes,
  };
}

function matchingRuns(e: Engine, ns: NamespaceState, query: string | undefined) {
  const parsed = parseListQuery(query ?? '', ns.registry);
  const rows: Array<{ run: Run; rec: VisibilityRecord }> = [];
  for (const run of e.runs.values()) {
    if (run.namespace !== ns.name) continue;
    const rec = visibilityRecord(run);
    if (parsed.matches(rec)) rows.push({ run, rec });
  }
  return { parsed, rows };
}

/**
 * Where the next page starts. In the default order it is the last row's sort key (close time, start
 * time, run id), as the SQL store's token is: a page starts strictly after that row, so runs that
 * start or close between two pages neither repeat nor push other rows off a page. (A running run
 * that closes between pages moves behind the token and is not listed again; the SQL store behaves
 * the same.) With an ORDER BY clause (which the SQL store rejects; accepted here as Elasticsearch
 * does) the token is an offset.
 */
interface ListToken {
  /** Close time of the last row; null = running (the SQL store's 9999-12-31). */
  c?: number | null;
  s?: number;
  r?: string;
  o?: number;
}

export function listExecutions(e: Engine, ns: NamespaceState, req: Obj): Obj {
  const { parsed, rows } = matchingRuns(e, ns, req.query);
  if (parsed.groupBy) throw invalidArgument('GROUP BY is only supported by CountWorkflowExecutions');
  rows.sort((a, b) => parsed.compare(a.rec, b.rec));
  const token = parseToken<ListToken>(req.nextPageToken, 'ListWorkflowExecutions');
  const pageSize = Number(req.pageSize) > 0 ? Number(req.pageSize) : DEFAULT_PAGE_SIZE;
  let offset = 0;
  if (token?.o !== undefined) offset = token.o;
  else if (token?.r !== undefined) {
    // Only the sort key matters to the default order's comparator.
    const after: VisibilityRecord = {
      namespace: ns.name, workflowId: '', runId: token.r, workflowType: '', status: 'Running', taskQueue: '',
      startTime: token.s ?? 0, executionTime: 0, closeTime: token.c ?? undefined, historyLength: 0, searchAttributes: {},
    };
    const i = rows.findIndex((row) => parsed.compare(row.rec, after) > 0);
    offset = i < 0 ? rows.length : i;
  }
  const page = rows.slice(offset, offset + pageSize);
  const next = offset + page.length;
  const last = page[page.length - 1]?.rec;
  const nextToken: ListToken | undefined =
    next >= rows.length || !last ? undefined : parsed.ordered ? { o: next } : { c: last.closeTime ?? null, s: last.startTime, r: last.runId };
  return {
    executions: page.map((r) => executionInfo(e, r.run)),
    nextPageToken: nextToken ? makeToken(nextToken) : undefined,
  };
}

export function countExecutions(e: Engine, ns: NamespaceState, req: Obj): Obj {
  const { parsed, rows } = matchingRuns(e, ns, req.query);
  if (!parsed.groupBy) return { count: String(rows.length), groups: [] };
  const counts = new Map<string, number>();
  for (const r of rows) counts.set(r.run.status, (counts.get(r.run.status) ?? 0) + 1);
  return {
    count: String(rows.length),
    groups: [...counts.entries()].map(([status, count]) => ({ groupValues: [jsonPayload(status, 'Keyword')], count: String(count) })),
  };
}
