/**
 * Who a key is in the console (issue 13): the console signs in by asking this with the key the
 * person pasted, and shows what the answer's role and merchant may see. Keys of the people who
 * work cases only: a customer token, a storefront's key (an integration) or a courier cannot sign in.
 */
import type { ApiApp } from '../typed-app.js';
import { Type } from 'typebox';
import { principalOf } from '../auth.js';
import type { ApiDeps } from '../context.js';
import { ApiError } from '../errors.js';
import { ErrorBody } from '../openapi.js';
import { ConsoleSession } from '../responses.js';

/** The roles the console is for: who may sign in, and who may follow the case changes. */
export const CONSOLE_ROLES = ['AGENT', 'SUPERVISOR', 'ADMIN', 'WAREHOUSE'] as const;
type ConsoleRole = (typeof CONSOLE_ROLES)[number];
const isConsoleRole = (role: string): role is ConsoleRole => (CONSOLE_ROLES as readonly string[]).includes(role);

export function consoleRoutes(app: ApiApp, deps: ApiDeps, temporalUi: { url?: string; namespace?: string } = {}): void {
  // Not `config.roles`: a refused key gets an answer the sign-in form can show as it is.
  app.get(
    '/v1/console/session',
    {
      schema: {
        tags: ['console'],
        summary: 'Sign in to the console: who this key is (role, merchant, the actor id its commands are recorded under)',
        description: `**Roles:** ${CONSOLE_ROLES.join(', ')} (any other key: 403).`,
        response: { 200: ConsoleSession, 403: Type.Object(ErrorBody.properties, { description: 'This key cannot sign in to the console (a customer, storefront or courier key)' }) },
      },
    },
    async (request) => {
      const p = principalOf(request);
      const role = p.role;
      if (!isConsoleRole(role)) throw new ApiError(403, 'FORBIDDEN', `this key cannot sign in to the console: it is a ${role} key, and the console is for ${CONSOLE_ROLES.join(', ')} keys`);
      const [key, merchant] = await Promise.all([deps.repos.credentials.findById(p.id), p.merchantId ? deps.repos.merchant(p.merchantId) : null]);
      // Where the Temporal Web UI is, to operators only: it has no sign-in and shows every merchant's workflows.
      const ui = role === 'ADMIN' ? { temporalUi: { url: temporalUi.url ?? null, namespace: temporalUi.namespace ?? 'default' } } : {};
      return { role, merchantId: p.merchantId, merchantName: merchant?.name ?? null, actorId: p.id, label: key?.label ?? null, keyId: p.id, ...ui };
    },
  );
}
