/**
 * The HTTP API's route table, read from the `google.api.http` annotations that `@temporalio/proto`
 * ships with WorkflowService and OperatorService (the same table Temporal's own gateway is built
 * from). Only the `/api/v1/…` bindings are used: they are what the Web UI and `curl` users call.
 */
import type { Method, Service, Type } from 'protobufjs';
import { root } from '../proto.js';

type Segment = { literal: string } | { field: string[] };

export interface Route {
  verb: 'GET' | 'POST' | 'DELETE' | 'PUT' | 'PATCH';
  service: string;
  method: string;
  template: string;
  segments: Segment[];
  /** `*`: the whole body is the request; absent: no body (query string only). */
  body?: string;
  requestType: Type;
  responseType: Type;
}

interface HttpRule {
  get?: string;
  post?: string;
  put?: string;
  delete?: string;
  patch?: string;
  body?: string;
  additional_bindings?: HttpRule | HttpRule[];
}

const VERBS = ['get', 'post', 'put', 'delete', 'patch'] as const;
const camel = (name: string) => name.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

function parseTemplate(template: string): Segment[] {
  return template
    .split('/')
    .filter(Boolean)
    .map((part) => {
      const m = /^\{([^}=]+)(=[^}]*)?\}$/.exec(part);
      return m ? { field: m[1]!.split('.').map(camel) } : { literal: part };
    });
}

function bindingsOf(rule: HttpRule): HttpRule[] {
  const extra = rule.additional_bindings;
  return [rule, ...(Array.isArray(extra) ? extra : extra ? [extra] : [])];
}

function routesOf(serviceName: string): Route[] {
  const service = root.lookup(serviceName) as Service;
  const routes: Route[] = [];
  for (const [name, method] of Object.entries(service.methods) as Array<[string, Method]>) {
    const rule = (method.parsedOptions ?? []).find((o: Record<string, unknown>) => o['(google.api.http)'])?.['(google.api.http)'] as HttpRule | undefined;
    if (!rule) continue;
    method.resolve();
    for (const binding of bindingsOf(rule)) {
      const verb = VERBS.find((v) => binding[v]);
      const template = verb ? binding[verb]! : undefined;
      if (!verb || !template?.startsWith('/api/v1/')) continue;
      routes.push({
        verb: verb.toUpperCase() as Route['verb'],
        service: serviceName,
        method: name,
        template,
        segments: parseTemplate(template),
        body: binding.body,
        requestType: method.resolvedRequestType as Type,
        responseType: method.resolvedResponseType as Type,
      });
    }
  }
  return routes;
}

export const WORKFLOW_SERVICE = 'temporal.api.workflowservice.v1.WorkflowService';
export const OPERATOR_SERVICE = 'temporal.api.operatorservice.v1.OperatorService';

let table: Route[] | undefined;

/** Every `/api/v1` route of both services; routes with more literal segments first, so they win ties. */
export function routeTable(): Route[] {
  table ??= [...routesOf(WORKFLOW_SERVICE), ...routesOf(OPERATOR_SERVICE)].sort(
    (a, b) => b.segments.filter((s) => 'literal' in s).length - a.segments.filter((s) => 'literal' in s).length,
  );
  return table;
}

export interface Match {
  route: Route;
  /** Path parameters by field path (`execution.workflowId` → value), already URL-decoded. */
  params: Array<{ field: string[]; value: string }>;
}

/** Finds the route for a request; `allowed` lists the verbs the path exists for (for a 405). */
export function matchRoute(verb: string, pathname: string): { match?: Match; allowed: string[] } {
  let parts: string[];
  try {
    parts = pathname.split('/').filter(Boolean).map(decodeURIComponent);
  } catch {
    return { allowed: [] };
  }
  const allowed: string[] = [];
  for (const route of routeTable()) {
    if (route.segments.length !== parts.length) continue;
    const params: Match['params'] = [];
    const fits = route.segments.every((seg, i) => {
      if ('literal' in seg) return seg.literal === parts[i];
      params.push({ field: seg.field, value: parts[i]! });
      return parts[i] !== '';
    });
    if (!fits) continue;
    if (route.verb === verb || (verb === 'HEAD' && route.verb === 'GET')) return { match: { route, params }, allowed };
    allowed.push(route.verb);
  }
  return { allowed };
}
