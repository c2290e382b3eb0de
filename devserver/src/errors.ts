import grpc from '@grpc/grpc-js';

/** gRPC status codes the server answers with (numeric, as on the wire). */
export const Code = grpc.status;

/**
 * An error that reaches the client as a gRPC status. `details` are protobufjs-JSON objects with an
 * `@type` (e.g. `type.googleapis.com/temporal.api.errordetails.v1.NamespaceNotFoundFailure`) that
 * are packed into `grpc-status-details-bin` as a `google.rpc.Status`, which the SDK decodes.
 */
export class RpcError extends Error {
  constructor(
    readonly code: grpc.status,
    message: string,
    readonly details: Array<Record<string, unknown>> = [],
  ) {
    super(message);
    this.name = 'RpcError';
  }
}

/** A gRPC status as an error, shaped as grpc-js's client errors are (`code`, `details`, `metadata`). */
export type StatusError = Error & { code: number; details: string; metadata: grpc.Metadata };

/** The error an in-process call (DevServer.call) fails with, worded as grpc-js words a status. */
export function statusError(code: grpc.status, details: string, metadata = new grpc.Metadata()): StatusError {
  return Object.assign(new Error(`${code} ${grpc.status[code]}: ${details}`), { code, details, metadata });
}

export const invalidArgument = (message: string) => new RpcError(Code.INVALID_ARGUMENT, message);
export const notFound = (message: string) => new RpcError(Code.NOT_FOUND, message);
export const alreadyExists = (message: string, details: Array<Record<string, unknown>> = []) =>
  new RpcError(Code.ALREADY_EXISTS, message, details);
export const failedPrecondition = (message: string) => new RpcError(Code.FAILED_PRECONDITION, message);
