import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import type { FastifyError, FastifyInstance } from 'fastify';

/** A client-facing error: HTTP status, a stable code, and (for 400) the field at fault. */
export class ApiError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

export const badRequest = (field: string, reason: string) => new ApiError(400, 'BAD_REQUEST', `${field}: ${reason}`, field);
export const notFound = (what = 'case') => new ApiError(404, 'NOT_FOUND', `${what} not found`);
export const conflict = (reason: string) => new ApiError(409, 'WRONG_STATE', reason);

/**
 * One error handler: schema failures → 400 naming the field; workflow refusals → 409 with the
 * validator's reason; unknown workflow → 404; anything unexpected → 500 without internals.
 */
export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError | Error, request, reply) => {
    if (err instanceof ApiError) {
      return reply.status(err.statusCode).send({ error: err.code, message: err.message, ...(err.field ? { field: err.field } : {}) });
    }
    const fe = err as FastifyError;
    if (fe.validation) {
      const first = fe.validation[0];
      const field = (first?.instancePath || (first?.params as { missingProperty?: string })?.missingProperty || fe.validationContext || '').replace(/^\//, '').replace(/\//g, '.');
      const missing = (first?.params as { missingProperty?: string })?.missingProperty;
      const fullField = missing && first?.instancePath ? `${first.instancePath.replace(/^\//, '').replace(/\//g, '.')}.${missing}` : field;
      return reply.status(400).send({ error: 'BAD_REQUEST', field: `${fe.validationContext ?? 'body'}${fullField ? `.${fullField}` : ''}`, message: `${fe.validationContext ?? 'body'}${fullField ? `.${fullField}` : ''} ${first?.message ?? 'is invalid'}` });
    }
    if (err instanceof WorkflowUpdateFailedError) {
      const reason = (err.cause as Error | undefined)?.message ?? err.message;
      return reply.status(409).send({ error: 'WRONG_STATE', message: reason });
    }
    if (err instanceof WorkflowNotFoundError) return reply.status(404).send({ error: 'NOT_FOUND', message: 'case not found or already closed' });
    if (err instanceof WorkflowExecutionAlreadyStartedError) return reply.status(409).send({ error: 'ALREADY_EXISTS', message: 'a case with this id already exists' });
    if (fe.statusCode && fe.statusCode >= 400 && fe.statusCode < 500) {
      return reply.status(fe.statusCode).send({ error: fe.code ?? 'BAD_REQUEST', message: fe.message });
    }
    request.log.error({ err }, 'unhandled error');
    return reply.status(500).send({ error: 'INTERNAL', message: 'internal error' });
  });
  app.setNotFoundHandler((_req, reply) => reply.status(404).send({ error: 'NOT_FOUND', message: 'no such route' }));
}
