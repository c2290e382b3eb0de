/**
 * API keys in production: admins create, list and revoke the keys of staff and integrations
 * (`npm run keys` does the same from a shell, for the first admin key). A key is shown once, at
 * creation; listings carry no key and no hash. A supervisor may list their own merchant's keys.
 * Live, expired and revoked are judged on the server's clock, the one every request is checked on.
 */
import { Type, type Static } from 'typebox';
import type { ApiApp } from '../typed-app.js';
import { isKeyRole, KEY_ROLES, type Credential, type KeyRole } from '../../db/repositories/credentials.js';
import { principalOf } from '../auth.js';
import type { ApiDeps } from '../context.js';
import { ApiError, badRequest, notFound } from '../errors.js';
import { ID_PATTERN, OneOf, Text } from '../validation-problems.js';

const MerchantId = Type.String({ pattern: ID_PATTERN });
const Role = OneOf(KEY_ROLES);
const Instant = Type.String({ format: 'date-time' });

const CreateKeyBody = Type.Object(
  {
    role: Role,
    merchantId: Type.Optional(MerchantId),
    label: Text(200, { description: 'who or what uses the key' }),
    expiresAt: Type.Optional(Type.String({ format: 'date-time', description: 'refused after this instant (default: until revoked)' })),
  },
  {
    additionalProperties: false,
    examples: [
      { role: 'AGENT', merchantId: 'demo-merchant', label: 'agent desk 3', expiresAt: '2027-01-31T00:00:00Z' },
      { role: 'ADMIN', label: 'second admin' },
    ],
  },
);
const ListQuery = Type.Object(
  { merchantId: Type.Optional(MerchantId), all: Type.Optional(Type.Boolean({ description: 'also revoked and expired keys' })) },
  { additionalProperties: false },
);
const KeyParams = Type.Object({ keyId: Type.String({ pattern: '^[A-Za-z0-9-]{1,64}$' }) }, { additionalProperties: false });

const Listing = {
  id: Type.String(),
  role: Role,
  merchantId: Type.Union([Type.String(), Type.Null()]),
  label: Type.String(),
  createdAt: Instant,
  expiresAt: Type.Union([Instant, Type.Null()]),
  revokedAt: Type.Union([Instant, Type.Null()]),
};
const KeyListing = Type.Object(Listing, { additionalProperties: false });
const CreatedKey = Type.Object({ ...Listing, key: Type.String({ description: 'shown this once: only its hash is stored' }) }, { additionalProperties: false });

/** Only hand-made keys are listed here (the repository's `list` and the routes' checks see to it). */
function keyRole(c: Credential): KeyRole {
  if (!isKeyRole(c.role)) throw new Error(`credential ${c.id} is a ${c.role} token, not a key`);
  return c.role;
}

const listing = (c: Credential): Static<typeof KeyListing> => ({
  id: c.id,
  role: keyRole(c),
  merchantId: c.merchantId,
  label: c.label,
  createdAt: c.createdAt.toISOString(),
  expiresAt: c.expiresAt?.toISOString() ?? null,
  revokedAt: c.revokedAt?.toISOString() ?? null,
});

export function keyRoutes(app: ApiApp, deps: ApiDeps): void {
  app.post(
    '/v1/admin/keys',
    {
      config: { roles: ['ADMIN'], secretInAnswer: { field: 'key', id: 'id' } },
      schema: {
        tags: ['admin'],
        summary: 'Create an API key (the key is in this answer only)',
        body: CreateKeyBody,
        response: { 201: CreatedKey },
      },
    },
    async (request, reply) => {
      const body = request.body;
      const issued = await deps.repos.credentials.issue({ ...body, expiresAt: body.expiresAt ? new Date(body.expiresAt) : undefined });
      if ('problem' in issued) throw badRequest(`body.${issued.problem.field}`, issued.problem.reason);
      return reply.status(201).send({ ...listing(issued.credential), key: issued.key });
    },
  );

  app.get(
    '/v1/admin/keys',
    {
      config: { roles: ['ADMIN', 'SUPERVISOR'] },
      schema: {
        tags: ['admin'],
        summary: 'List API keys (never the keys themselves); live ones unless all=true',
        querystring: ListQuery,
        response: { 200: Type.Object({ items: Type.Array(KeyListing) }, { additionalProperties: false }) },
      },
    },
    async (request) => {
      const p = principalOf(request);
      const q = request.query;
      // A supervisor sees their own merchant only; asking for another is a 404, as elsewhere in admin.
      if (p.role !== 'ADMIN' && q.merchantId && q.merchantId !== p.merchantId) throw notFound('merchant');
      const merchantId = p.role === 'ADMIN' ? q.merchantId : (p.merchantId ?? undefined);
      if (p.role !== 'ADMIN' && !merchantId) throw new ApiError(403, 'FORBIDDEN', 'this key is not bound to a merchant');
      const items = await deps.repos.credentials.list({ merchantId, all: q.all });
      return { items: items.map(listing) };
    },
  );

  app.delete(
    '/v1/admin/keys/:keyId',
    {
      config: { roles: ['ADMIN'] },
      schema: {
        tags: ['admin'],
        summary: 'Revoke an API key (refused at once; an admin cannot revoke the key it is using)',
        params: KeyParams,
        response: { 200: KeyListing },
      },
    },
    async (request) => {
      const p = principalOf(request);
      const { keyId } = request.params;
      const found = await deps.repos.credentials.findById(keyId);
      // Customer tokens have their own route (DELETE /v1/customer-tokens/:tokenId).
      if (!found || !isKeyRole(found.role)) throw notFound('key');
      // Revoking the key in use could leave nobody able to create another one.
      if (found.id === p.id) throw new ApiError(409, 'WRONG_STATE', 'this is the key of this request: revoke it with another admin key');
      return listing((await deps.repos.credentials.revoke(keyId))!);
    },
  );
}
