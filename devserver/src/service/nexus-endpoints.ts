import { randomUUID } from 'node:crypto';
import type { EngineHost } from '../engine/host.js';
import { alreadyExists, Code, failedPrecondition, invalidArgument, notFound, RpcError } from '../errors.js';
import type { Handlers } from '../grpc.js';
import { timestamp, type Obj } from '../proto.js';

/**
 * Nexus endpoints (OperatorService Create/Get/List/Update/DeleteNexusEndpoint): a registry global to
 * the server, as the real server's (endpoints are cluster resources, not namespace ones), with its
 * validation and its wording (service/frontend/nexus_endpoint_client.go and matching's endpoint
 * manager). Persisted with the meta record (`nexusEndpoints`; older logs read as "no endpoints").
 */
export interface NexusEndpoint {
  id: string;
  /** 1 at creation, +1 per update (the optimistic-concurrency token of Update and Delete). */
  version: number;
  name: string;
  description?: Obj;
  /** Only worker targets are served here; an external URL is kept but never called. */
  target: { worker?: { namespace: string; taskQueue: string }; external?: { url: string } };
  createdTime: number;
  lastModifiedTime: number;
}

/** The real server's `EndpointNameRegex`. */
const NAME_REGEX = /^[a-zA-Z][a-zA-Z0-9-]*[a-zA-Z0-9]$/;
const NAME_REGEX_TEXT = '^[a-zA-Z][a-zA-Z0-9\\-]*[a-zA-Z0-9]$';
const MAX_NAME_LENGTH = 200;
const MAX_TASK_QUEUE_LENGTH = 1000;
const MAX_DESCRIPTION_SIZE = 20_000;
const MAX_URL_LENGTH = 4096;
const LIST_DEFAULT_PAGE_SIZE = 100;
const LIST_MAX_PAGE_SIZE = 1000;
const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * What the registry uses of the engine: the engine's NexusManager builds the registry, so it takes
 * this narrow view (engine/host.ts) rather than importing engine.ts back.
 */
export type NexusEndpointsHost = Pick<EngineHost, 'namespaces' | 'markMetaDirty'>;

export class NexusEndpointRegistry {
  private readonly byId = new Map<string, NexusEndpoint>();

  constructor(private readonly engine: NexusEndpointsHost) {}

  byName(name: string): NexusEndpoint | undefined {
    for (const ep of this.byId.values()) if (ep.name === name) return ep;
    return undefined;
  }

  get(id: string): NexusEndpoint | undefined {
    return this.byId.get(id);
  }

  snapshot(): NexusEndpoint[] {
    return [...this.byId.values()];
  }

  restore(list: unknown[] | undefined): void {
    for (const ep of (list ?? []) as NexusEndpoint[]) if (ep?.id && ep.name) this.byId.set(ep.id, ep);
  }

  toProto(ep: NexusEndpoint): Obj {
    return {
      version: String(ep.version),
      id: ep.id,
      spec: { name: ep.name, description: ep.description, target: ep.target },
      createdTime: timestamp(ep.createdTime),
      lastModifiedTime: timestamp(ep.lastModifiedTime),
      urlPrefix: `/nexus/endpoints/${ep.id}`,
    };
  }

  /** validateUpsertSpec: issues gathered into one INVALID_ARGUMENT, an unknown namespace FAILED_PRECONDITION. */
  private validateSpec(spec: Obj | undefined): { name: string; description?: Obj; target: NexusEndpoint['target'] } {
    const issues: string[] = [];
    const name: string = spec?.name ?? '';
    if (!name) issues.push('endpoint name not set');
    else {
      if (name.length > MAX_NAME_LENGTH) issues.push(`endpoint name exceeds length limit of ${MAX_NAME_LENGTH}`);
      if (!NAME_REGEX.test(name)) issues.push(`endpoint name must match the regex: ${JSON.stringify(NAME_REGEX_TEXT)}`);
    }
    const target: Obj | undefined = spec?.target;
    if (!target?.worker && !target?.external) {
      issues.push('empty target variant');
      throw invalidArgument(issues.join(', '));
    }
    let out: NexusEndpoint['target'];
    if (target.worker) {
      const ns: string = target.worker.namespace ?? '';
      const tq: string = target.worker.taskQueue ?? '';
      if (!ns) issues.push('target namespace not set');
      else if (!this.engine.namespaces.has(ns)) {
        throw failedPrecondition(`could not verify namespace referenced by target exists: Namespace name "${ns}" not found`);
      }
      const tqIssue = !tq ? 'taskQueue is not set' : tq.length > MAX_TASK_QUEUE_LENGTH ? `taskQueue length exceeds limit of ${MAX_TASK_QUEUE_LENGTH}` : tq.startsWith('/_sys/') ? `task queue name cannot start with reserved prefix /_sys/: ${tq}` : undefined;
      if (tqIssue) issues.push(`invalid target task queue: ${JSON.stringify(tqIssue)}`);
      out = { worker: { namespace: ns, taskQueue: tq } };
    } else {
      const url: string = target.external.url ?? '';
      if (!url) issues.push('empty target URL');
      else if (url.length > MAX_URL_LENGTH) issues.push(`target URL length exceeds limit of ${MAX_URL_LENGTH}`);
      else {
        let scheme = '';
        try {
          scheme = new URL(url).protocol.replace(/:$/, '');
        } catch (err) {
          issues.push(`invalid target URL: ${err instanceof Error ? err.message : String(err)}`);
        }
        if (scheme && scheme !== 'http' && scheme !== 'https') issues.push(`invalid target URL scheme: ${JSON.stringify(scheme)}, expected http or https`);
      }
      out = { external: { url } };
    }
    const description: Obj | undefined = spec?.description ?? undefined;
    if (description && JSON.stringify(description).length > MAX_DESCRIPTION_SIZE) issues.push(`description size exceeds limit of ${MAX_DESCRIPTION_SIZE}`);
    if (issues.length) throw invalidArgument(issues.join(', '));
    return { name, description, target: out };
  }

  private validateId(id: unknown, extra: string[] = []): string {
    const issues: string[] = [];
    if (typeof id !== 'string' || !id) issues.push('endpoint ID not set');
    else if (!UUID_RE.test(id)) issues.push(`malformed endpoint ID: ${JSON.stringify(`invalid UUID format`)}`);
    issues.push(...extra);
    if (issues.length) throw invalidArgument(issues.join(', '));
    return id as string;
  }

  create(req: Obj): Obj {
    const spec = this.validateSpec(req.spec);
    if (this.byName(spec.name)) throw alreadyExists(`error creating Nexus endpoint. Endpoint with name ${spec.name} already registered`);
    const now = Date.now();
    const ep: NexusEndpoint = { id: randomUUID(), version: 1, ...spec, createdTime: now, lastModifiedTime: now };
    this.byId.set(ep.id, ep);
    this.engine.markMetaDirty();
    return { endpoint: this.toProto(ep) };
  }

  update(req: Obj): Obj {
    const spec = this.validateSpec(req.spec);
    const id = String(req.id ?? '');
    const ep = this.byId.get(id);
    if (!ep) throw notFound(`error updating Nexus endpoint. endpoint ID ${id} not found`);
    const version = Number(req.version ?? 0);
    if (version !== ep.version) throw failedPrecondition(`nexus endpoint version mismatch. received: ${version} expected ${ep.version}`);
    const other = this.byName(spec.name);
    if (other && other.id !== ep.id) throw alreadyExists(`error updating Nexus endpoint. Endpoint with name ${spec.name} already registered`);
    Object.assign(ep, spec, { version: ep.version + 1, lastModifiedTime: Date.now() });
    this.engine.markMetaDirty();
    return { endpoint: this.toProto(ep) };
  }

  delete(req: Obj): Obj {
    const version = Number(req.version ?? 0);
    const id = this.validateId(req.id, version <= 0 ? ['endpoint version is non-positive'] : []);
    const ep = this.byId.get(id);
    if (!ep) throw notFound(`error deleting nexus endpoint with ID: ${id}`);
    if (version !== ep.version) throw failedPrecondition(`nexus endpoint version mismatch. received: ${version} expected ${ep.version}`);
    this.byId.delete(id);
    this.engine.markMetaDirty();
    return {};
  }

  getOne(req: Obj): Obj {
    const id = this.validateId(req.id);
    const ep = this.byId.get(id);
    if (!ep) throw notFound(`Nexus endpoint with ID \`${id}\` not found`);
    return { endpoint: this.toProto(ep) };
  }

  /** Ordered by id, paged by the last id returned; `name` filters to that one endpoint (paging ignored). */
  list(req: Obj): Obj {
    const all = [...this.byId.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    if (req.name) {
      const ep = all.find((e) => e.name === req.name);
      return { endpoints: ep ? [this.toProto(ep)] : [] };
    }
    let pageSize = Number(req.pageSize ?? 0);
    if (pageSize < 0) throw invalidArgument('page_size is negative');
    if (pageSize > LIST_MAX_PAGE_SIZE) throw invalidArgument(`page_size exceeds limit of ${LIST_MAX_PAGE_SIZE}`);
    if (pageSize === 0) pageSize = LIST_DEFAULT_PAGE_SIZE;
    let after = '';
    if (req.nextPageToken) {
      try {
        after = String(JSON.parse(Buffer.from(req.nextPageToken, 'base64').toString('utf8')).after ?? '');
      } catch {
        throw new RpcError(Code.INVALID_ARGUMENT, 'invalid next page token');
      }
    }
    const rest = all.filter((e) => e.id > after);
    const page = rest.slice(0, pageSize);
    const more = rest.length > pageSize;
    return {
      endpoints: page.map((e) => this.toProto(e)),
      nextPageToken: more ? Buffer.from(JSON.stringify({ after: page[page.length - 1]!.id })).toString('base64') : undefined,
    };
  }
}

/** The five OperatorService methods, spread into operatorService's handlers. */
export function nexusEndpointHandlers(registry: NexusEndpointRegistry): Handlers {
  return {
    CreateNexusEndpoint: (req) => registry.create(req),
    UpdateNexusEndpoint: (req) => registry.update(req),
    DeleteNexusEndpoint: (req) => registry.delete(req),
    GetNexusEndpoint: (req) => registry.getOne(req),
    ListNexusEndpoints: (req) => registry.list(req),
  };
}
