import grpc from '@grpc/grpc-js';
import type { Service, Type } from 'protobufjs';
import { RpcError, Code, statusError } from './errors.js';
import { decodeMessage, encodeMessage, lookupType, root, type Obj } from './proto.js';

export interface CallContext {
  /** Registers a callback for when the client cancels the call (or its deadline passes). */
  onCancel: (cb: () => void) => void;
  /** Milliseconds left until the client's deadline, if it set one. */
  deadlineMs?: number;
  metadata: grpc.Metadata;
  /** `grpc-encoding` of the request (`gzip` when the client compressed it), if known. */
  requestEncoding?: string;
}

/**
 * grpc-js strips `grpc-encoding` from the metadata it hands to handlers and keeps it on its own
 * call object (`incomingEncoding`, grpc-js 1.14). Read defensively: if that ever changes, the
 * encoding is simply unknown and requests stay accepted as they come.
 */
function requestEncoding(call: object): string | undefined {
  const inner = (call as { call?: { incomingEncoding?: unknown } }).call;
  return typeof inner?.incomingEncoding === 'string' ? inner.incomingEncoding : undefined;
}

export type Handler = (req: Obj, ctx: CallContext) => Obj | Promise<Obj>;
export type Handlers = Record<string, Handler>;

const statusType = () => lookupType('google.rpc.Status');

/** Maps any error to a gRPC status: ours carry their code and details; anything else is a server bug (INTERNAL). */
function toStatus(err: unknown, method: string, log: (msg: string) => void): Partial<grpc.StatusObject> {
  if (err instanceof RpcError) {
    const metadata = new grpc.Metadata();
    if (err.details.length) {
      metadata.set('grpc-status-details-bin', encodeMessage(statusType(), { code: err.code, message: err.message, details: err.details }));
    }
    return { code: err.code, details: err.message, metadata };
  }
  log(`internal error in ${method}: ${err instanceof Error ? err.stack : String(err)}`);
  return { code: Code.INTERNAL, details: `internal error in ${method}: ${err instanceof Error ? err.message : String(err)}` };
}

class DecodeError {
  constructor(readonly message: string) {}
}

/** The cancel callbacks of one call: run once, when the caller goes away; one registered after that runs at once. */
export function cancellation(): { onCancel: CallContext['onCancel']; cancel: () => void } {
  const callbacks: Array<() => void> = [];
  let cancelled = false;
  return {
    onCancel: (cb) => (cancelled ? cb() : callbacks.push(cb)),
    cancel: () => {
      cancelled = true;
      for (const cb of callbacks.splice(0)) cb();
    },
  };
}

/** A handler's share of the time the caller left the call: a second less, so that it answers before the caller stops waiting. */
export const handlerDeadlineMs = (leftMs: number | undefined) => (leftMs !== undefined ? Math.max(0, leftMs - 1000) : undefined);

/**
 * A unary method called in the server's own process (in-process.ts): the request's protobuf
 * bytes in, the response's out, through the same handler, decoding and errors as over gRPC.
 */
export type InProcessMethod = (request: Uint8Array, ctx: CallContext) => Promise<Uint8Array>;

/**
 * Registers every unary method of `serviceName` on the server, generically from the protobufjs
 * reflection. Methods without a handler answer UNIMPLEMENTED in the wording core tolerates.
 * `inProcess`, when given, receives each method by its path for in-process calls.
 */
export function addService(
  server: grpc.Server,
  serviceName: string,
  handlers: Handlers,
  hooks: { after: () => void; log: (msg: string) => void },
  inProcess?: Map<string, InProcessMethod>,
): void {
  const service = root.lookup(serviceName) as Service;
  const shortName = serviceName.split('.').pop()!;
  for (const [name, method] of Object.entries(service.methods)) {
    if (method.requestStream || method.responseStream) continue;
    method.resolve();
    const reqType = method.resolvedRequestType as Type;
    const resType = method.resolvedResponseType as Type;
    const handler = handlers[name];
    const path = `/${serviceName}/${name}`;
    const decode = (buf: Buffer): Obj | DecodeError => {
      try {
        return decodeMessage(reqType, buf);
      } catch (err) {
        return new DecodeError(err instanceof Error ? err.message : String(err));
      }
    };
    /** One call, however it came: the handler's answer, or the error its status is made of; the engine's changes flushed after. */
    const invoke = async (req: Obj | DecodeError, ctx: CallContext): Promise<Obj> => {
      if (!handler) throw new RpcError(Code.UNIMPLEMENTED, `unknown method ${name} for service ${serviceName}`);
      if (req instanceof DecodeError) throw new RpcError(Code.INVALID_ARGUMENT, `malformed ${name} request: ${req.message}`);
      try {
        return await handler(req, ctx);
      } finally {
        hooks.after();
      }
    };
    const status = (err: unknown) => toStatus(err, `${shortName}.${name}`, hooks.log);

    inProcess?.set(path, (request, ctx) =>
      invoke(decode(Buffer.from(request.buffer, request.byteOffset, request.byteLength)), ctx).then(
        (res) => encodeMessage(resType, res),
        (err: unknown) => {
          const s = status(err);
          throw statusError(s.code!, s.details ?? '', s.metadata);
        },
      ),
    );
    server.register(
      path,
      (call: grpc.ServerUnaryCall<Obj | DecodeError, Obj>, callback: grpc.sendUnaryData<Obj>) => {
        const { onCancel, cancel } = cancellation();
        call.on('cancelled', cancel);
        const deadline = call.getDeadline();
        const ctx: CallContext = {
          onCancel,
          deadlineMs: handlerDeadlineMs(typeof deadline === 'number' && Number.isFinite(deadline) ? deadline - Date.now() : undefined),
          metadata: call.metadata,
          requestEncoding: requestEncoding(call),
        };
        invoke(call.request, ctx).then(
          (res) => callback(null, res),
          (err: unknown) => callback(status(err)),
        );
      },
      (res: Obj) => encodeMessage(resType, res),
      decode,
      'unary',
    );
  }
}
