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

/**
 * A unary method called in the server's own process (DevServer.call): the request's protobuf
 * bytes in, the response's out, through the same handler, decoding and errors as over gRPC, with
 * no socket, HTTP/2 or gRPC framing in between.
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
    inProcess?.set(path, async (request, ctx) => {
      const status = (s: Partial<grpc.StatusObject>) => statusError(s.code!, s.details ?? '', s.metadata);
      if (!handler) throw status({ code: Code.UNIMPLEMENTED, details: `unknown method ${name} for service ${serviceName}` });
      let req: Obj;
      try {
        req = decodeMessage(reqType, Buffer.from(request.buffer, request.byteOffset, request.byteLength));
      } catch (err) {
        throw status({ code: Code.INVALID_ARGUMENT, details: `malformed ${name} request: ${err instanceof Error ? err.message : String(err)}` });
      }
      try {
        return encodeMessage(resType, await handler(req, ctx));
      } catch (err) {
        throw status(toStatus(err, `${shortName}.${name}`, hooks.log));
      } finally {
        hooks.after();
      }
    });
    server.register(
      path,
      (call: grpc.ServerUnaryCall<Obj | DecodeError, Obj>, callback: grpc.sendUnaryData<Obj>) => {
        if (!handler) {
          return callback({ code: Code.UNIMPLEMENTED, details: `unknown method ${name} for service ${serviceName}` });
        }
        if (call.request instanceof DecodeError) {
          return callback({ code: Code.INVALID_ARGUMENT, details: `malformed ${name} request: ${call.request.message}` });
        }
        const cancelCallbacks: Array<() => void> = [];
        let cancelled = false;
        call.on('cancelled', () => {
          cancelled = true;
          for (const cb of cancelCallbacks.splice(0)) cb();
        });
        const deadline = call.getDeadline();
        const deadlineMs = typeof deadline === 'number' && Number.isFinite(deadline) ? deadline - Date.now() : undefined;
        const ctx: CallContext = {
          onCancel: (cb) => (cancelled ? cb() : cancelCallbacks.push(cb)),
          deadlineMs: deadlineMs !== undefined ? Math.max(0, deadlineMs - 1000) : undefined,
          metadata: call.metadata,
          requestEncoding: requestEncoding(call),
        };
        let result: Obj | Promise<Obj>;
        try {
          result = handler(call.request, ctx);
        } catch (err) {
          hooks.after();
          return callback(toStatus(err, `${shortName}.${name}`, hooks.log));
        }
        Promise.resolve(result).then(
          (res) => {
            hooks.after();
            callback(null, res);
          },
          (err) => {
            hooks.after();
            callback(toStatus(err, `${shortName}.${name}`, hooks.log));
          },
        );
      },
      (res: Obj) => encodeMessage(resType, res),
      (buf: Buffer) => {
        try {
          return decodeMessage(reqType, buf);
        } catch (err) {
          return new DecodeError(err instanceof Error ? err.message : String(err));
        }
      },
      'unary',
    );
  }
}
