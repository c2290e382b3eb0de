/**
 * Who a case can be assigned to: the merchant's agents and supervisors (their live API keys; api/
 * context.ts actorOf records a key's id as the actor of its commands, and a case assigned to that id
 * is in that key's "mine"). The list a console's assignment form offers; POST
 * /v1/cases/{caseId}/assignment takes only these ids (api/assignees.ts).
 */
import { Type, type Static } from 'typebox';
import type { ApiApp } from '../typed-app.js';
import type { Assignee } from '../../db/repositories/credentials.js';
import { principalOf } from '../auth.js';
import type { ApiDeps } from '../context.js';
import { badRequest, notFound } from '../errors.js';
import { ID_PATTERN } from '../validation-problems.js';

const AgentsQuery = Type.Object(
  {
    merchantId: Type.Optional(
      Type.String({
        pattern: ID_PATTERN,
        description: 'whose agents: required of an ADMIN key (admins belong to no merchant and may assign any merchant’s cases); an agent or supervisor may name only their own merchant',
        examples: ['demo-merchant'],
      }),
    ),
  },
  { additionalProperties: false },
);

export const Agent = Type.Object(
  {
    id: Type.String({ description: 'the agentId to assign a case to (the key’s id: what the API records as the actor of its commands)', examples: ['5b1f0c7e-8a43-4d6e-9b2a-3f1c7d9e0a12'] }),
    label: Type.String({ description: 'the key’s label: who the person is', examples: ['王芳'] }),
    role: Type.Union([Type.Literal('AGENT'), Type.Literal('SUPERVISOR')], { description: 'AGENT or SUPERVISOR' }),
  },
  { additionalProperties: false },
);
export type Agent = Static<typeof Agent>;

export const Agents = Type.Object(
  { merchantId: Type.String({ description: 'the merchant whose people these are' }), items: Type.Array(Agent, { description: 'by label (then id)' }) },
  {
    additionalProperties: false,
    description: 'The people a case of the merchant can be assigned to: live (not revoked, not expired) keys of role AGENT or SUPERVISOR. Never a key or its hash.',
    examples: [
      {
        merchantId: 'demo-merchant',
        items: [
          { id: '0d6f2b9c-1e47-4a85-b3c2-7f9e8a1d2c34', label: '李明', role: 'SUPERVISOR' },
          { id: '5b1f0c7e-8a43-4d6e-9b2a-3f1c7d9e0a12', label: '王芳', role: 'AGENT' },
        ],
      },
    ],
  },
);

const agentView = (a: Assignee): Agent => ({ id: a.id, label: a.label, role: a.role });

export function agentRoutes(app: ApiApp, deps: ApiDeps): void {
  app.get(
    '/v1/agents',
    {
      config: { roles: ['AGENT', 'SUPERVISOR', 'ADMIN'] },
      schema: {
        tags: ['agent'],
        summary: 'The merchant’s agents and supervisors: whom a case can be assigned to (the agentId of POST /v1/cases/{caseId}/assignment)',
        description: 'An agent or supervisor gets their own merchant’s people (another merchantId: 404). An ADMIN key names the merchant with `merchantId` (without it: 400).',
        querystring: AgentsQuery,
        response: { 200: Agents },
      },
    },
    async (request) => {
      const p = principalOf(request);
      const asked = request.query.merchantId;
      let merchantId: string;
      if (p.role === 'ADMIN') {
        if (!asked) throw badRequest('querystring.merchantId', 'is required of an ADMIN key: whose agents (admins belong to no merchant)');
        if (!(await deps.repos.merchant(asked))) throw notFound('merchant');
        merchantId = asked;
      } else {
        // Another merchant's people are not this key's to see: a 404, as elsewhere (ids cannot be probed).
        if (!p.merchantId || (asked && asked !== p.merchantId)) throw notFound('merchant');
        merchantId = p.merchantId;
      }
      return { merchantId, items: (await deps.repos.credentials.assignees(merchantId)).map(agentView) };
    },
  );
}
