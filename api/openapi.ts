/**
 * The OpenAPI document as an integrator reads it at /docs: the two ways to authenticate, the one
 * error shape, the `Idempotency-Key` rules, and for every operation who may call it and every
 * error it can answer. Route schemas say what is particular to a route (its body, its success
 * answer); what every route shares is added here, so no route can forget it.
 */
import { openingDescription } from './opening-descriptions.js';
import type { FastifyDynamicSwaggerOptions } from '@fastify/swagger';
import { Type } from 'typebox';
import { SIGNATURE_TOLERANCE_SECONDS } from './auth.js';
import { CommandReply } from './commands.js';
import { IDEMPOTENCY_KEY, IDEMPOTENCY_LEASE_MS, IDEMPOTENCY_WAIT_MS } from './idempotency.js';
import { bodyAsSent } from './parcel-identifiers.js';

export const ErrorBody = Type.Object(
  {
    error: Type.String({ description: 'stable code: BAD_REQUEST, UNAUTHENTICATED, BAD_SIGNATURE, FORBIDDEN, NOT_FOUND, WRONG_STATE, ALREADY_EXISTS, MERCHANT_NOT_READY, REFERENCE_IN_USE, ORDER_CONFLICT, GOODS_ALREADY_CLAIMED, PAYMENT_NOT_TAKEN, IDEMPOTENCY_KEY_REUSED, IDEMPOTENCY_IN_PROGRESS, SECRET_NOT_REPEATED, INTERNAL, …' }),
    message: Type.String({ description: 'for people: every problem, or the reason a case refused the command' }),
    field: Type.Optional(Type.String({ description: 'the first problem’s field (the same as problems[0].field)' })),
    problems: Type.Array(
      Type.Object({
        field: Type.String({ description: 'where the value sits in the request: body.lines[0].reason, querystring.from, headers.idempotency-key', examples: ['body.lines[0].reason'] }),
        reason: Type.String({ examples: ['must be one of: NO_REASON, DEFECTIVE, WRONG_ITEM, DAMAGED, NOT_AS_DESCRIBED, OTHER'] }),
        allowed: Type.Optional(Type.Array(Type.Unknown(), { description: 'for an enum: the values the field may take' })),
      }),
      { description: 'every problem found in the request at once (empty when the error is not about a field)' },
    ),
    case: Type.Optional(
      Type.Object(CommandReply.properties, {
        description:
          'only on a 409 WRONG_STATE refusing a command on one case (a path with its `caseId`): the case as it is now, as a command’s answer shows it to the sender — its stage, status and what it waits for instead (`waitingFor.what` in the case’s `customerLocale` for a customer token or a storefront key: words a storefront can show its customer, where `message` is for developers), null `waitingFor` once the case waits for nobody (closed, or working on its own)',
      }),
    ),
  },
  {
    description: 'The shape of every error answer (4xx and 5xx)',
    examples: [
      {
        error: 'BAD_REQUEST',
        message: '2 problems: body.lines[0].reason: must be one of: NO_REASON, DEFECTIVE, WRONG_ITEM, DAMAGED, NOT_AS_DESCRIBED, OTHER; body.colour: is not an allowed property',
        field: 'body.lines[0].reason',
        problems: [
          { field: 'body.lines[0].reason', reason: 'must be one of: NO_REASON, DEFECTIVE, WRONG_ITEM, DAMAGED, NOT_AS_DESCRIBED, OTHER', allowed: ['NO_REASON', 'DEFECTIVE', 'WRONG_ITEM', 'DAMAGED', 'NOT_AS_DESCRIBED', 'OTHER'] },
          { field: 'body.colour', reason: 'is not an allowed property' },
        ],
      },
    ],
  },
);

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
/**
 * An error answer of one status, with an example of its own: the code its description names first
 * (`PARCEL_CONFLICT: …`), else the status's usual one, in the words the API answers with. (The
 * schema's own example is a 400's: shown for a 401 it read "BAD_REQUEST" about fields the operation
 * does not have.)
 */
const USUAL: Record<string, [code: string, message: string]> = {
  '401': ['UNAUTHENTICATED', 'the key is unknown, expired or revoked'],
  '403': ['FORBIDDEN', 'this action needs one of the roles: AGENT, SUPERVISOR'],
  '404': ['NOT_FOUND', 'case not found'],
  '409': ['WRONG_STATE', 'the case is at stage AWAITING_ARRIVAL, not AWAITING_RETURN_SHIPMENT'],
  '413': ['PAYLOAD_TOO_LARGE', 'body: is larger than 1 MiB'],
  '415': ['UNSUPPORTED_MEDIA_TYPE', 'headers.content-type: must be application/json'],
  '422': ['IDEMPOTENCY_KEY_REUSED', 'this Idempotency-Key was used for another request'],
  '429': ['RATE_LIMITED', 'too many requests: retry in 3 s'],
  '500': ['INTERNAL', 'internal error'],
};
const error = (status: string, description: string) => {
  const named = /^([A-Z][A-Z_]{2,}):\s*([^;]*)/.exec(description);
  const [code, message] = named ? [named[1]!, named[2]!.trim()] : (USUAL[status] ?? ['BAD_REQUEST', description]);
  const example = status === '400' ? undefined : { error: code, message, problems: [] };
  return { description, content: { 'application/json': { schema: ref('Error'), ...(example ? { example } : {}) } } };
};

const SIGNATURE_HOW = `HMAC-SHA256 keyed with the carrier's shared secret, sent as \`X-Signature: t=<unix seconds>,v2=<hex digest>\`, where the digest is HMAC-SHA256(secret, "<t>.<METHOD> <path>.<raw body>"): the method in capitals, a space, the path with its query exactly as sent (\`POST /v1/couriers/SF/claims/CL123/decision\`), then the exact body. The older \`v1=\` form, HMAC-SHA256(secret, "<t>.<raw body>"), is still taken for tracking events (their body names the parcel), never for a claim decision, whose URL names the claim. The time must be within ${SIGNATURE_TOLERANCE_SECONDS} s of ours (a captured request cannot be replayed later); several values may be sent while a secret is rotated. Example (Node): \`const t = Math.floor(Date.now() / 1000); const v2 = crypto.createHmac('sha256', secret).update(\\\`\${t}.POST \${path}.\${body}\\\`).digest('hex');\``;

const IDEMPOTENCY_HOW = `Optional on every POST; ${IDEMPOTENCY_KEY.minLength}–${IDEMPOTENCY_KEY.maxLength} characters (a UUID is a good choice). Scoped to the caller's key: the same Idempotency-Key with the same method, path and body answers what the first request answered (status and body, with the header \`idempotent-replayed: true\`) without doing it again — safe to retry after a timeout. A duplicate that arrives while the first request still runs waits for its answer (up to ${IDEMPOTENCY_WAIT_MS / 1000} s, then 409 IDEMPOTENCY_IN_PROGRESS with \`Retry-After\`), so requests sent together do the work once; a first request whose API process died (a crash, a kill) holds its key for ${IDEMPOTENCY_LEASE_MS / 60_000} minutes, after which a retry runs it again. The same Idempotency-Key with a different request is refused with 422 IDEMPOTENCY_KEY_REUSED. Failures (5xx) are not remembered, so a retry runs again. An answer that hands out a secret (POST /v1/admin/keys, POST /v1/customer-tokens) is kept without it: the same request again is a 409 SECRET_NOT_REPEATED naming the key or token made (revoke it and make another). Answers are kept 7 days (IDEMPOTENCY_RETENTION_DAYS); after that the same key is a new request.`;

export const swaggerOptions: FastifyDynamicSwaggerOptions = {
  openapi: {
    info: {
      title: 'After-sales case platform API',
      version: '0.1.0',
      description: [
        'Storefront, customer, warehouse, agent, supervisor, admin and courier endpoints of the after-sales (售后) platform. Every case runs as a durable workflow; commands on a case answer with the stage the case is in afterwards and what it waits for next.',
        '**Authentication.** `Authorization: Bearer <key>` with a key of one role (STOREFRONT, WAREHOUSE, AGENT, SUPERVISOR, ADMIN — created with `npm run keys` or `POST /v1/admin/keys`) or a customer token (`POST /v1/customer-tokens`). Couriers sign their callbacks instead (see the courierSignature scheme). A request without valid credentials gets 401 and one whose role may not call the operation 403, before its body is looked at.',
        '**From a browser.** A shop’s own pages may call the API straight from the customer’s browser with a customer token, from the origins the operator lists (`CORS_ORIGINS`; preflights are answered, and a page reads `idempotent-replayed`, `retry-after`, `x-request-id` and the rate-limit headers). A token that has expired or been revoked is a 401 like an unknown one (it is not said which): the page asks its storefront for a new token and retries once.',
        `**Idempotency.** ${IDEMPOTENCY_HOW}`,
        '**Errors.** Every error has one shape (schema `Error`): a stable `error` code, a `message`, and `problems`, each `{ field, reason, allowed? }` — every invalid or unknown field at once, enums with their allowed values. Every response carries `x-request-id` (send your own `X-Request-Id` to correlate); quote it when reporting a problem.',
        '**Compression.** Send `Accept-Encoding: br` or `gzip` (most HTTP clients do): an answer of 1 KiB or more comes compressed (`Content-Encoding`), a page of cases or the register at about a fifth of its size; smaller answers and the case-change stream come as they are. Request bodies are read uncompressed.',
        '**Amounts** are integers in minor units of the order’s currency (分 for CNY); times in request bodies are epoch milliseconds; times in answers are ISO 8601, except a case’s `deadlines` map and the times inside its timeline steps’ `data` (`shipBy`, `answerBy` …), which are epoch milliseconds as the workflows record them.',
      ].join('\n\n'),
    },
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'An API key of one role, or a customer token' },
        courierSignature: { type: 'apiKey', in: 'header', name: 'X-Signature', description: SIGNATURE_HOW },
      },
      schemas: { Error: ErrorBody as never, CommandReply: CommandReply as never },
    },
    security: [{ bearer: [] }],
  },
  transform: ({ schema, url, route }) => {
    const config = (route.config ?? {}) as { roles?: readonly string[]; auth?: string };
    const s = { ...(schema as Record<string, unknown>) };
    const response = { ...((s.response as Record<string, unknown>) ?? {}) };
    const method = String(route.method);
    const isPublic = config.auth === 'public';
    if (config.auth === 'courier-signature') s.security = [{ courierSignature: [] }];
    if (isPublic) s.security = [];
    if (s.body) s.body = bodyAsSent(s.body);
    // An opening says what happens next (api/opening-descriptions.ts), unless the route says more itself.
    const opening = method === 'POST' ? openingDescription(url) : undefined;
    if (opening && !s.description) s.description = opening;
    if (config.roles) s.description = `${s.description ? `${String(s.description)}\n\n` : ''}**Roles:** ${config.roles.join(', ')}.`;
    if (method === 'POST' && !isPublic) {
      s.headers = {
        type: 'object',
        properties: { ...(((s.headers as { properties?: object })?.properties) ?? {}), 'idempotency-key': { type: 'string', minLength: IDEMPOTENCY_KEY.minLength, maxLength: IDEMPOTENCY_KEY.maxLength, description: IDEMPOTENCY_HOW } },
      };
      response['422'] ??= error('422', 'Idempotency-Key reused with a different request');
    }
    // Every request that carries a body is refused as too large or not JSON before anything else.
    if ((method === 'POST' || method === 'PUT' || method === 'PATCH') && !isPublic) {
      response['413'] ??= error('413', 'PAYLOAD_TOO_LARGE: the body is larger than 1 MiB');
      response['415'] ??= error('415', 'UNSUPPORTED_MEDIA_TYPE: the body is not sent as application/json');
    }
    if (!isPublic) {
      response['400'] ??= error('400', 'Invalid input: every problem listed with its field');
      response['401'] ??= error('401', config.auth === 'courier-signature' ? 'BAD_SIGNATURE: the signature is missing, stale or wrong' : 'No key, or an unknown, expired or revoked one');
      if (config.roles) response['403'] ??= error('403', 'The key’s role may not do this');
      if (url.includes(':')) response['404'] ??= error('404', 'No such case (or not visible to this caller), or no such resource');
      if (url.endsWith('/reshipment') || url.endsWith('/return-shipment')) {
        response['409'] ??= error('409', `PARCEL_CONFLICT: the tracking number is ${url.endsWith('/reshipment') ? 'the parcel being replaced, the return, or a parcel of another case of this shop' : 'the parcel that brought the order, or a parcel another shop’s open case follows'} (the message says which); WRONG_STATE: the case is not waiting for it (the reason names the stage) or is closed; or IDEMPOTENCY_IN_PROGRESS`);
      }
      if (url === '/v1/cases/:caseId/difference-paid') response['409'] ??= error('409', 'PAYMENT_NOT_TAKEN: the difference was not paid by its deadline and an agent decided without it: give the charge back to the customer (the message says what the agent decided and when); WRONG_STATE: the case is not waiting for a payment (the reason names the stage), another payment id was taken, or it is closed; or IDEMPOTENCY_IN_PROGRESS');
      if (method === 'POST' && url.includes(':caseId')) response['409'] ??= error('409', 'WRONG_STATE: the case is not at a stage where this command applies (the reason names the stage), its type never takes this command, or it is closed; or IDEMPOTENCY_IN_PROGRESS');
      if (url === '/v1/warehouse/arrivals') {
        response['404'] ??= error('404', 'No return parcel with this tracking number or return code (of this key’s shop)');
        response['409'] ??= error('409', 'PARCEL_CONFLICT: the tracking number and the return code name different cases, or the parcel is the return of several open cases (scan it with each return code); WRONG_STATE: the case takes no goods back, has not asked for them yet (hold the parcel), or is closed; or IDEMPOTENCY_IN_PROGRESS');
      }
      if (url === '/v1/admin/keys' || url === '/v1/customer-tokens') {
        if (method === 'POST') response['409'] ??= error('409', 'SECRET_NOT_REPEATED: the same request was sent before with this Idempotency-Key; the key or token it made is shown once and not kept (the message names it: revoke it and make another); or IDEMPOTENCY_IN_PROGRESS');
      }
      if (method === 'PUT' && url === '/v1/admin/merchants/:merchantId') {
        response['409'] ??= error('409', 'CURRENCY_IN_USE: the merchant has cases, and another currency is asked (the message names its currency)');
        response['412'] ??= error('412', 'MERCHANT_EXISTS: sent with If-None-Match: *, and a merchant of this id exists (it was left unchanged)');
      }
      if (url === '/v1/couriers/:carrier/events') {
        response['409'] ??= error('409', 'CARRIER_MISMATCH: the tracking number is a parcel of another carrier; EVENT_ID_REUSED: the eventId was sent before for another event (a retry of the same event is a 202 with `duplicate: true`); or IDEMPOTENCY_IN_PROGRESS');
      }
      if (url === '/v1/couriers/:carrier/claims/:claimId/decision') {
        response['409'] ??= error('409', 'CLAIM_ALREADY_DECIDED: the claim was decided otherwise before (the same decision again is a 202 with `duplicate: true`); or IDEMPOTENCY_IN_PROGRESS');
      }
      if (method === 'POST' && config.auth !== 'courier-signature') {
        const bodyFields = (s.body as { properties?: Record<string, unknown> } | undefined)?.properties;
        const opens = Boolean(bodyFields?.reference);
        const parcel = bodyFields?.shipment ? 'PARCEL_CONFLICT: the shipment’s tracking number is the parcel of another customer’s open case of this shop (named), or of an open case of another shop; ' : '';
        response['409'] ??= error('409', `${opens ? `REFERENCE_IN_USE: the reference names a case opened with another request; ORDER_CONFLICT: an earlier case of the order recorded it otherwise (paid total, currency, shipping fee or goods; each field named); GOODS_ALREADY_CLAIMED: an unresolved case of the order, or one that refunded those goods (a return, missing items, a lost parcel, a wrong item, a refunded order, an exchange refunded instead), already holds them (named); ${parcel}MERCHANT_NOT_READY (returns); or ` : ''}IDEMPOTENCY_IN_PROGRESS: the first request with this Idempotency-Key is still running (retry after Retry-After)`);
      }
      response['429'] ??= error('429', 'Too many requests for this key (or, without a key, this address): wait Retry-After seconds');
      response['500'] ??= error('500', 'Unexpected failure (nothing was changed twice; retry with the same Idempotency-Key)');
      response['503'] ??= error('503', 'SERVICE_UNAVAILABLE: the database or Temporal cannot be reached just now; retry after Retry-After seconds (with the same Idempotency-Key)');
    }
    // A success answer is described by its schema or, failing that, by what the operation does.
    for (const [status, answer] of Object.entries(response)) {
      const a = answer as { description?: string; content?: unknown };
      if (status.startsWith('2') && !a.description && !a.content) response[status] = { ...a, description: String(s.summary ?? 'Done') };
    }
    s.response = response;
    return { schema: s as never, url };
  },
};
