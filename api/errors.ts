import { ApplicationFailure, WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { INVALID_INPUT, REFUND_STILL_OWED, SUPERVISOR_REQUIRED } from '../workflows/contract.js';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { UNAVAILABLE_RETRY_AFTER_SECONDS, unavailableService } from './unavailable.js';
import { problemsOfValidation, type Problem } from './validation-problems.js';

export type { Problem } from './validation-problems.js';

/**
 * A client-facing error: HTTP status, a stable code, a message, and for bad input every problem
 * found (`{ field, reason, allowed? }`), so a client can fix its request in one round.
 */
export class ApiError extends Error {
  readonly problems: Problem[];
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    field?: string,
    problems?: Problem[],
  ) {
    super(message);
    this.problems = problems ?? (field ? [{ field, reason: message }] : []);
  }
}

/** A 400 for one field; `field` is where the value sits in the request (`body.lines[0].sku`). */
export const badRequest = (field: string, reason: string) => new ApiError(400, 'BAD_REQUEST', `${field}: ${reason}`, field, [{ field, reason }]);

/**
 * A 400 listing every problem found (fields named as they sit in the request), the first in
 * `field`; each once, though two checks found it (the route's and the domain's, say).
 */
export function badInput(found: Problem[]): ApiError {
  const problems = found.filter((p, i) => found.findIndex((q) => q.field === p.field && q.reason === p.reason) === i);
  return new ApiError(400, 'BAD_REQUEST', summarize(problems), problems[0]?.field, problems);
}

/** A 400 listing every problem a domain check found (`problems` name fields relative to `prefix`; a choice keeps its allowed values). */
export const invalid = (prefix: string, problems: Array<{ field: string; reason: string; allowed?: readonly unknown[] }>) =>
  badInput(problems.map((p) => ({ field: `${prefix}.${p.field}`, reason: p.reason, ...(p.allowed ? { allowed: [...p.allowed] } : {}) })));

/** Throws the 400 of `invalid` when a domain check found anything. */
export function assertValid(prefix: string, problems: Array<{ field: string; reason: string }>): void {
  if (problems.length) throw invalid(prefix, problems);
}

export const notFound = (what = 'case') => new ApiError(404, 'NOT_FOUND', `${what} not found`);
export const conflict = (reason: string) => new ApiError(409, 'WRONG_STATE', reason);

const summarize = (problems: Problem[]) =>
  problems.length === 1 ? `${problems[0]!.field}: ${problems[0]!.reason}` : `${problems.length} problems: ${problems.map((p) => `${p.field}: ${p.reason}`).join('; ')}`;

/** The one shape of every error answer (4xx and 5xx). `field` repeats the first problem's field. */
export function errorBody(code: string, message: string, problems: Problem[] = []) {
  return { error: code, message, ...(problems[0] ? { field: problems[0].field } : {}), problems };
}

/**
 * The body fields a workflow validator found wrong, each with its reason, when it refused with
 * `invalidInput` or `invalidProblems` (workflows/contract.ts); undefined for any other refusal.
 */
function invalidFields(cause: unknown): Problem[] | undefined {
  if (!(cause instanceof ApplicationFailure) || cause.type !== INVALID_INPUT) return undefined;
  const problems: Problem[] = [];
  for (const detail of cause.details ?? []) {
    const { field, reason } = (detail ?? {}) as { field?: unknown; reason?: unknown };
    if (typeof field !== 'string' || !/^[A-Za-z0-9_.[\]]{1,200}$/.test(field)) continue;
    problems.push({ field: `body.${field}`, reason: typeof reason === 'string' ? reason : cause.message });
  }
  return problems.length ? problems : undefined;
}

/**
 * Errors Fastify meets before any route or hook runs — a path it cannot decode (`/v1/cases/%ff`) —
 * answered in the API's own shape instead of Fastify's.
 */
export function frameworkError(err: FastifyError, _request: FastifyRequest, reply: FastifyReply): void {
  if (err.code === 'FST_ERR_BAD_URL') {
    const reason = 'is not a valid URL path (a % not followed by two hex digits of UTF-8)';
    void reply.status(400).send(errorBody('BAD_REQUEST', `url: ${reason}`, [{ field: 'url', reason }]));
    return;
  }
  if (err.code === 'FST_ERR_MAX_PARAM_LENGTH') {
    // Fastify's message repeats the whole path back: said in the API's words instead.
    const reason = 'has a path segment longer than 100 characters (case ids are at most 64)';
    void reply.status(414).send(errorBody('URI_TOO_LONG', `url: ${reason}`, [{ field: 'url', reason }]));
    return;
  }
  const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 500;
  void reply.status(status).send(errorBody(status === 500 ? 'INTERNAL' : (err.code ?? 'BAD_REQUEST'), status === 500 ? 'internal error' : err.message));
}

/**
 * An outage answers every request 503: its first failure per service is logged with its stack, the
 * rest for a minute as one line each (an ops drill saw 177 stack dumps in 30 s of a database away).
 */
const OUTAGE_STACK_EVERY_MS = 60_000;

/**
 * One error handler: schema failures → 400 listing every problem; workflow refusals of what a
 * command says → 400 listing every field, of when it came → 409 with the validator's reason (and
 * the case as it is now);
 * unknown workflow → 404; anything unexpected → 500 without internals (logged with the request
 * id, which the client also has in `x-request-id`).
 */
export function installErrorHandler(app: FastifyInstance, caseNow?: (request: FastifyRequest) => Promise<object | undefined>): void {
  const stackLoggedAt: Record<string, number> = {};
  /** A 409 WRONG_STATE, with the case the command named as it is now (`case`) where there is one to show. */
  const wrongState = async (request: FastifyRequest, reply: FastifyReply, message: string, problems?: Problem[]) => {
    const now = await caseNow?.(request).catch((e: unknown) => void request.log.warn({ err: e }, 'the refused case could not be read'));
    return reply.status(409).send({ ...errorBody('WRONG_STATE', message, problems), ...(now ? { case: now } : {}) });
  };
  app.setErrorHandler(async (err: FastifyError | Error, request, reply) => {
    if (err instanceof ApiError && err.statusCode === 409 && err.code === 'WRONG_STATE') return wrongState(request, reply, err.message, err.problems);
    if (err instanceof ApiError) return reply.status(err.statusCode).send(errorBody(err.code, err.message, err.problems));
    const fe = err as FastifyError;
    if (fe.validation) {
      const problems = problemsOfValidation(fe.validation, fe.validationContext ?? 'body');
      return reply.status(400).send(errorBody('BAD_REQUEST', summarize(problems), problems));
    }
    if (err instanceof WorkflowUpdateFailedError) {
      const reason = (err.cause as Error | undefined)?.message ?? err.message;
      // What the command said is wrong (workflows/contract.ts invalidInput), not when it came.
      const problems = invalidFields(err.cause);
      if (problems) return reply.status(400).send(errorBody('BAD_REQUEST', summarize(problems), problems));
      // A refund sent back reached the workflow after the route's own check: the same refusal as that check's.
      if (err.cause instanceof ApplicationFailure && err.cause.type === REFUND_STILL_OWED) return reply.status(409).send(errorBody(REFUND_STILL_OWED, reason));
      // The wait reached the supervisor's decision after the route read the case: the route's own refusal.
      if (err.cause instanceof ApplicationFailure && err.cause.type === SUPERVISOR_REQUIRED) return reply.status(403).send(errorBody(SUPERVISOR_REQUIRED, reason, [{ field: 'body.action', reason }]));
      return wrongState(request, reply, reason);
    }
    if (err instanceof WorkflowNotFoundError) return reply.status(404).send(errorBody('NOT_FOUND', 'case not found or already closed'));
    if (err instanceof WorkflowExecutionAlreadyStartedError) return reply.status(409).send(errorBody('ALREADY_EXISTS', 'a case with this id already exists'));
    // A body without a content type (or another one): say what the API reads, in its own words.
    if (fe.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
      const given = request.headers['content-type'];
      const field = 'headers.content-type';
      const reason = given ? `is ${given}: bodies are JSON (application/json)` : 'is missing: bodies are JSON (Content-Type: application/json)';
      return reply.status(415).send(errorBody('UNSUPPORTED_MEDIA_TYPE', `${field}: ${reason}`, [{ field, reason }]));
    }
    if (fe.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      const reason = 'is larger than 1 MiB';
      return reply.status(413).send(errorBody('PAYLOAD_TOO_LARGE', `body: ${reason}`, [{ field: 'body', reason }]));
    }
    if (fe.statusCode && fe.statusCode >= 400 && fe.statusCode < 500) {
      return reply.status(fe.statusCode).send(errorBody(fe.code ?? 'BAD_REQUEST', fe.message));
    }
    // The database or Temporal away for a moment: a 503 to retry, not a 500 to report.
    const away = unavailableService(err);
    if (away) {
      // With its stack (the first in a while): an outage and a pool some bug has exhausted read alike from outside.
      const now = Date.now();
      if (now - (stackLoggedAt[away] ?? 0) >= OUTAGE_STACK_EVERY_MS) {
        stackLoggedAt[away] = now;
        request.log.error({ err }, `${away} unavailable (the same failures for the next minute are logged without their stack)`);
      } else request.log.error(`${away} unavailable: ${err.message}`);
      return reply
        .status(503)
        .header('retry-after', String(UNAVAILABLE_RETRY_AFTER_SECONDS))
        .send(errorBody('SERVICE_UNAVAILABLE', `${away === 'database' ? 'the database' : 'Temporal'} cannot be reached just now: retry in a few seconds, with the same Idempotency-Key`));
    }
    request.log.error({ err }, 'unhandled error');
    return reply.status(500).send(errorBody('INTERNAL', `internal error (request ${request.id})`));
  });
  app.setNotFoundHandler((request, reply) => reply.status(404).send(errorBody('NOT_FOUND', `no route ${request.method} ${request.url.split('?')[0]}`)));
}
