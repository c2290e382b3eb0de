/**
 * The API as a Fastify plugin-style factory: thin routes over the case workflows (start / update /
 * signal) and the read model (Postgres). `server.ts` only listens and closes.
 */
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Ajv } from 'ajv';
import ajvFormats from 'ajv-formats';
import Fastify, { type FastifyInstance } from 'fastify';
import type { FastifySchemaCompiler } from 'fastify/types/schema.js';
import type { Logger } from 'pino';
import type { Adapters } from '../adapters/index.js';
import { fastifyLogging } from '../app/logging.js';
import { installAuth } from './auth.js';
import { refusedCaseNow } from './commands.js';
import { installCompression } from './compression.js';
import { isHttpIri } from './http-iri.js';
import type { ApiDeps } from './context.js';
import { firstDuplicateKey } from './duplicate-keys.js';
import { UNAVAILABLE_RETRY_AFTER_SECONDS } from './unavailable.js';
import { takeInHeldParcels } from './held-parcel-intake.js';
import { lookForUnstartedOpenings, type UnstartedOpeningsLook } from './unstarted-openings.js';
import { ApiError, badRequest, errorBody, frameworkError, installErrorHandler } from './errors.js';
import { installIdempotency, type IdempotencyOptions } from './idempotency.js';
import { installInputSafety } from './input-safety.js';
import { installParcelIdentifiers } from './parcel-identifiers.js';
import { installMetrics } from './metrics.js';
import { swaggerOptions } from './openapi.js';
import { installRateLimits } from './rate-limit.js';
import { clientWithRequestIds, installRequestContext } from './request-context.js';
import { adminRoutes } from './routes/admin.js';
import { agentRoutes } from './routes/agents.js';
import { caseChangeRoutes, type CaseChangeOptions } from './routes/case-changes.js';
import { caseRoutes } from './routes/cases.js';
import { complaintRoutes } from './routes/complaints.js';
import { consolePages } from './routes/console-pages.js';
import { consoleRoutes } from './routes/console.js';
import { courierClaimRoutes } from './routes/courier-claims.js';
import { exchangeRoutes } from './routes/exchanges.js';
import { courierRoutes } from './routes/courier.js';
import { documentRoutes } from './routes/documents.js';
import { figureRoutes } from './routes/figures.js';
import { fulfilmentRoutes } from './routes/fulfilment.js';
import { keyRoutes } from './routes/keys.js';
import { policySimulationRoutes } from './routes/policy-simulations.js';
import { registerRoutes } from './routes/register.js';
import { rootCauseRoutes } from './routes/root-causes.js';
import { refundReturnedRoutes } from './routes/refunds-returned.js';
import { caseMessageRoutes } from './routes/case-messages.js';
import { warehouseTaskRoutes } from './routes/warehouse-tasks.js';
import { installCors, type CorsOrigins } from './cors.js';
import { installCustomerFields } from './customer-fields.js';
import { heldParcelRoutes } from './routes/held-parcels.js';
import { simulatorRoutes } from './routes/simulators.js';
import { storefrontRoutes } from './routes/storefront.js';
import { Health, Readiness } from './responses.js';
import { readiness } from './readiness.js';

/** Strict: bytes that are no UTF-8 character are an error, not U+FFFD. A leading BOM is dropped, as JSON.parse would refuse it. */
const UTF8 = new TextDecoder('utf-8', { fatal: true });

export interface AppOptions {
  /** Where request logs go (`app/logging.ts`); none when false or absent (tests). */
  logger?: Logger | false;
  /** How long an Idempotency-Key duplicate waits, and how long a claim lasts (defaults in api/idempotency.ts). */
  idempotency?: IdempotencyOptions;
  /** The console's static build (default: console/build of this checkout), served at /console/. */
  consoleDir?: string;
  /** Where the Temporal Web UI is, for the console's links to each case's workflow (none: the console's default). */
  temporalUi?: { url?: string; namespace?: string };
  /** Live case updates (GET /v1/case-changes): where to LISTEN (default: the read model's pool settings), ping interval. */
  caseChanges?: CaseChangeOptions;
  /** Origins whose pages may call the API from a browser (api/cors.ts); none when absent. */
  corsOrigins?: CorsOrigins;
  /** The simulated providers of this process, given only where the API runs beside them (`npm start`, tests): their controls (api/routes/simulators.ts). */
  simulators?: Adapters['simulators'];
  /** Look for openings whose workflow did not start (api/unstarted-openings.ts) every `everyMs`, those older than `olderThanMs`; none when absent (tests). */
  unstartedOpenings?: UnstartedOpeningsLook;
  /** Take in held parcels whose case asks for the goods (api/held-parcel-intake.ts) every `everyMs`; not when absent (tests). */
  heldParcelIntake?: { everyMs: number };
}

/**
 * Every problem at once (allErrors); `verbose` gives the schema of an enum so its values can be
 * named. A query string, path parameters and headers arrive as text, so "50" is the number 50 there
 * (and a single value a list of one); a JSON body says what it means: "2" is not a quantity, 5 is
 * not a customer id, and "no" is not a list of items.
 */
function requestValidators(): FastifySchemaCompiler<unknown> {
  const options = { removeAdditional: false, useDefaults: true, allErrors: true, verbose: true, addUsedSchema: false } as const;
  const fromText = new Ajv({ ...options, coerceTypes: 'array' });
  const fromJson = new Ajv({ ...options, coerceTypes: false });
  ajvFormats.default(fromText);
  ajvFormats.default(fromJson);
  // JSON Schema's `iri`, which ajv-formats lacks: links with non-ASCII characters (api/http-iri.ts).
  fromText.addFormat('iri', isHttpIri);
  fromJson.addFormat('iri', isHttpIri);
  return ({ schema, httpPart }) => (httpPart === 'body' ? fromJson : fromText).compile(schema as object);
}

export async function buildApp(given: ApiDeps, options: AppOptions = {}): Promise<FastifyInstance> {
  // The API's own Temporal client sends each request's id with what it starts, updates and signals.
  const deps: ApiDeps = { ...given, temporal: clientWithRequestIds(given.temporal) };
  const app = Fastify({
    ...fastifyLogging(options.logger ?? false),
    bodyLimit: 1024 * 1024,
    frameworkErrors: frameworkError,
    // Answered by answerWhileClosing, in the API's own error shape.
    return503OnClosing: false,
  }).withTypeProvider<TypeBoxTypeProvider>();
  app.setValidatorCompiler(requestValidators());
  installRequestContext(app);

  // JSON only: Fastify's default text/plain parser handed a JSON text sent as text/plain to the
  // schema as a string ("body: must be object"); now any other type is a 415 saying what is read.
  app.removeContentTypeParser('text/plain');
  // Keep the raw body: courier callbacks are verified against the exact bytes that were signed.
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, bytes, done) => {
    // Read as UTF-8 (JSON's encoding): a body sent in GBK was stored as "��Ƭ" before. Said instead.
    const charset = /;\s*charset="?([^";\s]+)/i.exec(request.headers['content-type'] ?? '')?.[1];
    if (charset && !/^utf-?8$/i.test(charset)) {
      const reason = `names charset ${charset}: bodies are JSON in UTF-8 (charset=utf-8, or none)`;
      return done(new ApiError(415, 'UNSUPPORTED_MEDIA_TYPE', `headers.content-type: ${reason}`, 'headers.content-type', [{ field: 'headers.content-type', reason }]), undefined);
    }
    let body: string;
    try {
      body = UTF8.decode(bytes as Buffer);
    } catch {
      return done(badRequest('body', 'is not valid UTF-8 (a body in GBK or another encoding arrives garbled): send it in UTF-8'), undefined);
    }
    request.rawBody = body;
    if (!body) return done(null, undefined);
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      return done(badRequest('body', 'is not valid JSON'), undefined);
    }
    const twice = firstDuplicateKey(body);
    if (twice) return done(badRequest(twice, 'appears twice in its object: send each field once (JSON readers differ on which of the two counts)'), undefined);
    done(null, parsed);
  });

  installErrorHandler(app, (request) => refusedCaseNow(deps, request));
  // First of the hooks that may answer: a preflight is answered before the limiter and authentication.
  installCors(app, options.corsOrigins ?? []);
  // After the request id and CORS: a browser reads the 503, and it carries x-request-id.
  answerWhileClosing(app);
  installInputSafety(app);
  installParcelIdentifiers(app);
  installCustomerFields(app);
  // Before the rate limiter and authentication: the console's files are public and hold no data,
  // and a page load (a dozen files) must not use up an office's anonymous allowance.
  await consolePages(app, { dir: options.consoleDir });
  // Before the rate limiter and authentication: Prometheus scrapes without a key, never limited.
  await installMetrics(app, deps);
  await installRateLimits(app, deps);
  await app.register(swagger, swaggerOptions);
  await app.register(swaggerUi, { routePrefix: '/docs' });
  installAuth(app, deps);
  installIdempotency(app, deps.repos, options.idempotency);
  // The API's answers hold cases, customers and keys: never kept by a browser or a shared cache.
  app.addHook('onSend', async (request, reply) => {
    if (request.url.startsWith('/v1/') && !reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store');
  });
  // Last of the answer's hooks: the idempotency record and the rate limiter see the answer as sent uncompressed.
  installCompression(app);

  app.get('/health', { config: { auth: 'public' }, schema: { response: { 200: Health }, tags: ['ops'], summary: 'The API process is up', security: [] } }, async () => ({ status: 'ok' as const }));
  app.get('/ready', { config: { auth: 'public' }, schema: { response: { 200: Readiness, 503: Readiness }, tags: ['ops'], summary: 'The database and Temporal answer (503 names what does not); whether a worker polls the case queue', security: [] } }, async (_request, reply) => {
    const { ready, body } = await readiness(deps);
    return reply.status(ready ? 200 : 503).send(body);
  });

  storefrontRoutes(app, deps);
  caseRoutes(app, deps);
  agentRoutes(app, deps);
  documentRoutes(app, deps);
  courierRoutes(app, deps);
  adminRoutes(app, deps);
  policySimulationRoutes(app, deps);
  keyRoutes(app, deps);
  fulfilmentRoutes(app, deps);
  courierClaimRoutes(app, deps);
  warehouseTaskRoutes(app, deps);
  heldParcelRoutes(app, deps);
  figureRoutes(app, deps);
  registerRoutes(app, deps);
  complaintRoutes(app, deps);
  exchangeRoutes(app, deps);
  rootCauseRoutes(app, deps);
  refundReturnedRoutes(app, deps);
  caseMessageRoutes(app, deps);
  consoleRoutes(app, deps, options.temporalUi);
  caseChangeRoutes(app, deps, options.caseChanges);
  if (options.unstartedOpenings) lookForUnstartedOpenings(app, deps, options.unstartedOpenings);
  if (options.heldParcelIntake) takeInHeldParcels(app, deps, options.heldParcelIntake);
  if (options.simulators) simulatorRoutes(app, deps, options.simulators);
  return app;
}

/**
 * A request on a kept-alive connection after the API began to stop (SIGTERM) is a 503 with
 * Retry-After in the API's error shape: Fastify's own answer was `{"error":"Service Unavailable",…}`
 * with no Retry-After (found by an ops drill). Known by the server no longer listening once it had.
 */
function answerWhileClosing(app: FastifyInstance): void {
  let listened = false;
  app.addHook('onListen', async () => void (listened = true));
  app.addHook('onRequest', async (_request, reply) => {
    if (!listened || app.server.listening) return;
    await reply
      .status(503)
      .header('retry-after', String(UNAVAILABLE_RETRY_AFTER_SECONDS))
      .header('connection', 'close')
      .send(errorBody('SERVICE_UNAVAILABLE', 'the API is stopping: retry in a few seconds, with the same Idempotency-Key'));
  });
}
