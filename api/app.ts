/**
 * The API as a Fastify plugin-style factory: thin routes over the case workflows (start / update /
 * signal) and the read model (Postgres). `server.ts` only listens and closes.
 */
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyInstance } from 'fastify';
import { installAuth } from './auth.js';
import type { ApiDeps } from './context.js';
import { ApiError, installErrorHandler } from './errors.js';
import { installIdempotency } from './idempotency.js';
import { adminRoutes } from './routes/admin.js';
import { caseRoutes } from './routes/cases.js';
import { complaintRoutes } from './routes/complaints.js';
import { courierClaimRoutes } from './routes/courier-claims.js';
import { exchangeRoutes } from './routes/exchanges.js';
import { courierRoutes } from './routes/courier.js';
import { figureRoutes } from './routes/figures.js';
import { fulfilmentRoutes } from './routes/fulfilment.js';
import { registerRoutes } from './routes/register.js';
import { rootCauseRoutes } from './routes/root-causes.js';
import { warehouseTaskRoutes } from './routes/warehouse-tasks.js';
import { storefrontRoutes } from './routes/storefront.js';

export async function buildApp(deps: ApiDeps, options: { logger?: boolean } = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: 1024 * 1024,
    ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array', allErrors: false } },
  }).withTypeProvider<TypeBoxTypeProvider>();

  // Keep the raw body: courier callbacks are verified against the exact bytes that were signed.
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    request.rawBody = body as string;
    if (!body) return done(null, undefined);
    try {
      done(null, JSON.parse(body as string));
    } catch {
      done(new ApiError(400, 'BAD_REQUEST', 'body is not valid JSON', 'body'), undefined);
    }
  });

  installErrorHandler(app);
  await app.register(swagger, {
    openapi: {
      info: { title: 'After-sales case platform API', version: '0.1.0', description: 'Storefront, customer, warehouse, agent and courier endpoints. Authenticate with `Authorization: Bearer <key>`; send `Idempotency-Key` on POSTs.' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  installAuth(app, deps.repos);
  installIdempotency(app, deps.repos);

  app.get('/health', { schema: { tags: ['ops'], security: [] } }, async () => ({ status: 'ok' }));
  app.get('/ready', { schema: { tags: ['ops'], security: [] } }, async (_request, reply) => {
    const checks = await Promise.allSettled([deps.repos.db.$queryRaw`SELECT 1`, deps.temporal.connection.workflowService.getSystemInfo({})]);
    const [db, temporal] = checks.map((c) => (c.status === 'fulfilled' ? 'ok' : 'unavailable'));
    return reply.status(db === 'ok' && temporal === 'ok' ? 200 : 503).send({ database: db, temporal });
  });

  storefrontRoutes(app, deps);
  caseRoutes(app, deps);
  courierRoutes(app, deps);
  adminRoutes(app, deps);
  fulfilmentRoutes(app, deps);
  courierClaimRoutes(app, deps);
  warehouseTaskRoutes(app, deps);
  figureRoutes(app, deps);
  registerRoutes(app, deps);
  complaintRoutes(app, deps);
  exchangeRoutes(app, deps);
  rootCauseRoutes(app, deps);
  return app;
}
