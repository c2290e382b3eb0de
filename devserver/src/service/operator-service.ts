import type { Engine } from '../engine/engine.js';
import { invalidArgument } from '../errors.js';
import type { Handlers } from '../grpc.js';
import { fromEnumName } from '../visibility/search-attributes.js';
import { typesAsEnum } from './workflow-service.js';
import { nexusEndpointHandlers } from './nexus-endpoints.js';

/** temporal.api.operatorservice.v1.OperatorService: custom search attributes. */
export function operatorService(e: Engine): Handlers {
  return {
    // Create/Get/List/Update/DeleteNexusEndpoint (service/nexus-endpoints.ts)
    ...(e.nexus ? nexusEndpointHandlers(e.nexus.endpoints) : {}),
    AddSearchAttributes: (req) => {
      const ns = e.namespace(req.namespace);
      const entries = Object.entries((req.searchAttributes ?? {}) as Record<string, string>);
      if (!entries.length) throw invalidArgument('SearchAttributes are not set on request.');
      // Validate all before adding any, so a bad request changes nothing.
      const typed = entries.map(([name, type]) => [name, fromEnumName(type)] as const);
      for (const [name, type] of typed) ns.registry.add(name, type);
      e.markMetaDirty();
      return {};
    },
    RemoveSearchAttributes: (req) => {
      const ns = e.namespace(req.namespace);
      for (const name of (req.searchAttributes ?? []) as string[]) ns.registry.remove(name);
      e.markMetaDirty();
      return {};
    },
    ListSearchAttributes: (req) => {
      const ns = e.namespace(req.namespace);
      return {
        customAttributes: typesAsEnum(ns.registry.custom()),
        systemAttributes: typesAsEnum(ns.registry.system()),
        storageSchema: {},
      };
    },
    DeleteNamespace: () => {
      throw invalidArgument('DeleteNamespace is not supported by the development server');
    },
  };
}
