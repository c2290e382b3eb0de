import type { Engine } from '../engine/engine.js';
import type { Handlers } from '../grpc.js';
import { DEFAULT_POLLER_RPS } from '../matching.js';
import { invalidArgument } from '../errors.js';

/** The worker side of Nexus (WorkflowService): long polls for Nexus tasks and their answers (engine/nexus.ts). */
export function nexusTaskHandlers(e: Engine): Handlers {
  const nexus = () => {
    if (!e.nexus) throw invalidArgument('Nexus is not enabled on this server');
    return e.nexus;
  };
  return {
    PollNexusTaskQueue: async (req, ctx) => {
      const ns = e.namespace(req.namespace);
      const name = req.taskQueue?.name;
      if (!name) throw invalidArgument('TaskQueue is not set on request.');
      const r = await nexus().tasks.poll(e.queueKey(ns.name, name), req.identity ?? '', ctx.onCancel, ctx.deadlineMs, DEFAULT_POLLER_RPS);
      return r ?? {};
    },
    RespondNexusTaskCompleted: (req) => {
      e.namespace(req.namespace);
      return nexus().completed(req);
    },
    RespondNexusTaskFailed: (req) => {
      e.namespace(req.namespace);
      return nexus().failed(req);
    },
  };
}
