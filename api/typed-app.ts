/**
 * The app as the route modules see it: a Fastify instance whose type provider types each route's
 * request from its TypeBox `schema` (`body`, `params`, `querystring`, `headers`), so handlers read
 * `request.body` and the rest without casts.
 *
 * Requests are typed exactly as `TypeBoxTypeProvider` (the one `api/app.ts` gives the instance)
 * types them. Replies stay untyped, as they were before: several routes answer with what the
 * serializer turns into the schema's JSON (a `Date` for a `date-time` string) or with something
 * other than the JSON their `response` schema describes (CSV and XLSX exports, the event stream).
 */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyBaseLogger, FastifyInstance, FastifyTypeProvider, RawReplyDefaultExpression, RawRequestDefaultExpression, RawServerDefault } from 'fastify';

/** What `TypeBoxTypeProvider` makes of a schema a request is validated against (as Fastify asks it). */
type TypeBoxValidated<S> = (TypeBoxTypeProvider & { schema: S })['validator'];

/** `TypeBoxTypeProvider` for what a route takes in (`Static` of its schemas); replies `unknown`, as without a provider. */
export interface TypeBoxRequestTypeProvider extends FastifyTypeProvider {
  validator: TypeBoxValidated<this['schema']>;
  serializer: unknown;
}

/** The Fastify instance the route modules and plugins register their routes on. */
export type ApiApp = FastifyInstance<RawServerDefault, RawRequestDefaultExpression<RawServerDefault>, RawReplyDefaultExpression<RawServerDefault>, FastifyBaseLogger, TypeBoxRequestTypeProvider>;
