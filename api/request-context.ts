/**
 * Every request has an id: the caller's `X-Request-Id` when it sends a sane one, else a new one.
 * It is in every log line of the request, returned in the `x-request-id` response header, and
 * sent with every workflow start, update and signal the request makes as the Temporal header
 * `request-id` (visible in the case's workflow history), so a case's steps can be traced back to
 * the request that caused them.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { Client, type WorkflowClientInterceptor } from '@temporalio/client';
import { defaultPayloadConverter } from '@temporalio/common';
import type { FastifyInstance } from 'fastify';

export const REQUEST_ID_HEADER = 'x-request-id';
/** The Temporal header carrying the request id into workflow history. */
export const TEMPORAL_REQUEST_ID_HEADER = 'request-id';

const current = new AsyncLocalStorage<{ requestId: string }>();

/** Fastify's `genReqId`: the caller's id when it is a plain token, else a fresh UUID. */
export function requestIdOf(req: IncomingMessage): string {
  const given = req.headers[REQUEST_ID_HEADER];
  return typeof given === 'string' && /^[A-Za-z0-9._:-]{1,128}$/.test(given) ? given : randomUUID();
}

export function installRequestContext(app: FastifyInstance): void {
  // A callback hook, so the rest of the request's life (hooks, handler) runs inside the store.
  app.addHook('onRequest', (request, reply, done) => {
    reply.header(REQUEST_ID_HEADER, request.id);
    current.run({ requestId: request.id }, done);
  });
}

const withRequestId = <T extends { headers: Record<string, unknown> }>(input: T): T => {
  const requestId = current.getStore()?.requestId;
  if (!requestId) return input;
  return { ...input, headers: { ...input.headers, [TEMPORAL_REQUEST_ID_HEADER]: defaultPayloadConverter.toPayload(requestId) } };
};

const requestIdInterceptor: WorkflowClientInterceptor = {
  startWithDetails: (input, next) => next(withRequestId(input)),
  startUpdate: (input, next) => next(withRequestId(input)),
  signal: (input, next) => next(withRequestId(input)),
  signalWithStart: (input, next) => next(withRequestId(input)),
};

/** The API's own client on the given one's connection, adding the request id to what it sends. */
export function clientWithRequestIds(client: Client): Client {
  return new Client({ connection: client.connection, namespace: client.options.namespace, interceptors: { workflow: [requestIdInterceptor] } });
}
