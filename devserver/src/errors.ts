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

export const invalidArgument = (message: string) => new RpcError(Code.INVALID_ARGUMENT, message);
export const notFound = (message: string) => new RpcError(Code.NOT_FOUND, message);
export const alreadyExists = (message: string, details: Array<Record<string, unknown>> = []) =>
  new RpcError(Code.ALREADY_EXISTS, message, details);
export const failedPrecondition = (message: string) => new RpcError(Code.FAILED_PRECONDITION, message);
