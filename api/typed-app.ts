/**
 * The app as the route modules see it: a Fastify instance whose type provider types each route
 * from its TypeBox `schema` — the request (`body`, `params`, `querystring`, `headers`), so handlers
 * read `request.body` and the rest without casts, and the reply, so a handler's answer must be what
 * its `response` schema describes. Where a route answers with something other than JSON (CSV and
 * XLSX files, the event stream), its schema says so per media type (`content`), and the reply may
 * be any of them.
 */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyBaseLogger, FastifyInstance, RawReplyDefaultExpression, RawRequestDefaultExpression, RawServerDefault } from 'fastify';

/** The Fastify instance the route modules and plugins register their routes on. */
export type ApiApp = FastifyInstance<RawServerDefault, RawRequestDefaultExpression<RawServerDefault>, RawReplyDefaultExpression<RawServerDefault>, FastifyBaseLogger, TypeBoxTypeProvider>;
