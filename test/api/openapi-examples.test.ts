/**
 * Integrators work from /docs alone: every request body in the OpenAPI document carries at least
 * one example, and every example is valid against that operation's body schema as the document
 * states it. Fails when a body is added without an example or an example drifts from its schema.
 *
 * The examples are JSON Schema `examples` on the body schemas (api/schemas*.ts); @fastify/swagger
 * moves them to the media type: one → `example`, several → `examples.exampleN.value` (OpenAPI 3.1
 * would keep the array on the schema — read too, should the document's version change).
 */
import { Client } from '@temporalio/client';
import { Ajv } from 'ajv';
import ajvFormats from 'ajv-formats';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../api/app.js';
import { isHttpIri } from '../../api/http-iri.js';
import { createPrisma, type Db } from '../../db/client.js';
import { createRepositories } from '../../db/repositories.js';
import { createTestDatabase } from '../../db/test-database.js';
import { validateOrder, type OrderSnapshot } from '../../domain/index.js';

interface MediaType {
  schema?: Record<string, unknown>;
  example?: unknown;
  examples?: Record<string, { value?: unknown; externalValue?: string }>;
}
interface Operation {
  requestBody?: { content?: Record<string, MediaType> };
  responses?: Record<string, { content?: Record<string, MediaType> }>;
}
interface Body {
  /** 'POST /v1/returns' */
  operation: string;
  contentType: string;
  media: MediaType;
}

let app: FastifyInstance;
let db: Db;
let temporal: Client;
let drop: () => Promise<void>;
let bodies: Body[];
let paths: Record<string, Record<string, Operation>>;

beforeAll(async () => {
  const t = await createTestDatabase();
  drop = t.drop;
  db = createPrisma(t.url);
  // No route is called: a lazily connected client (it never dials) satisfies the deps.
  temporal = new Client();
  app = await buildApp({ repos: createRepositories(db), temporal, courierSecrets: {} });
  const res = await app.inject({ method: 'GET', url: '/docs/json' });
  expect(res.statusCode).toBe(200);
  const doc = res.json() as { paths: Record<string, Record<string, Operation>> };
  paths = doc.paths;
  bodies = Object.entries(doc.paths).flatMap(([path, operations]) =>
    Object.entries(operations).flatMap(([method, op]) =>
      Object.entries(op.requestBody?.content ?? {}).map(([contentType, media]) => ({ operation: `${method.toUpperCase()} ${path}`, contentType, media })),
    ),
  );
}, 60_000);

afterAll(async () => {
  await app?.close();
  await temporal?.connection.close();
  await db?.$disconnect();
  await drop?.();
});

/** Every example of a media type, named where it was found. */
function examplesOf(media: MediaType): Array<{ where: string; value: unknown }> {
  const found: Array<{ where: string; value: unknown }> = [];
  if (media.example !== undefined) found.push({ where: 'example', value: media.example });
  for (const [name, ex] of Object.entries(media.examples ?? {})) found.push({ where: `examples.${name}`, value: ex.value });
  const inSchema = media.schema?.examples;
  if (Array.isArray(inSchema)) inSchema.forEach((value, i) => found.push({ where: `schema.examples[${i}]`, value }));
  if (media.schema?.example !== undefined) found.push({ where: 'schema.example', value: media.schema.example });
  return found;
}

// As Fastify validates (AJV 8 + ajv-formats), but without coercion or defaults: an example must
// be the exact JSON an integrator sends, so "1280" for an integer is drift, not a pass.
const ajv = new Ajv({ strict: false, allErrors: true });
ajvFormats.default(ajv);
// As the API validates links (api/app.ts): the examples are checked as requests are.
ajv.addFormat('iri', isHttpIri);

describe('OpenAPI request body examples', () => {
  it('the document has JSON request bodies, the return among them', () => {
    expect(bodies.length).toBeGreaterThan(0);
    expect(bodies.map((b) => b.operation)).toContain('POST /v1/returns');
    expect(bodies.filter((b) => b.contentType !== 'application/json').map((b) => `${b.operation} ${b.contentType}`)).toEqual([]);
  });

  it('every request body has at least one example', () => {
    const without = bodies.filter((b) => examplesOf(b.media).length === 0).map((b) => b.operation);
    expect(without, 'operations whose request body has no example (add `examples: [...]` to its schema)').toEqual([]);
  });

  it("every example validates against its operation's request body schema", () => {
    const problems: string[] = [];
    for (const { operation, media } of bodies) {
      const validate = ajv.compile(media.schema ?? {});
      for (const { where, value } of examplesOf(media)) {
        if (value === undefined) problems.push(`${operation} ${where}: no inline value`);
        else if (!validate(value)) problems.push(`${operation} ${where}: ${ajv.errorsText(validate.errors, { dataVar: 'body' })}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('an example that carries an order is a valid order, and its lines are lines of that order', () => {
    const problems: string[] = [];
    for (const { operation, media } of bodies) {
      for (const { where, value } of examplesOf(media)) {
        const body = value as { order?: OrderSnapshot } & Record<string, unknown>;
        if (!body?.order) continue;
        for (const p of validateOrder(body.order)) problems.push(`${operation} ${where}: order.${p.field} ${p.reason}`);
        for (const key of ['lines', 'missing'] as const) {
          const lines = body[key];
          if (!Array.isArray(lines)) continue;
          for (const [i, line] of (lines as Array<{ sku: string; quantity: number }>).entries()) {
            const item = body.order.items.find((it) => it.sku === line.sku);
            if (!item) problems.push(`${operation} ${where}: ${key}[${i}].sku ${line.sku} is not part of order ${body.order.orderId}`);
            else if (line.quantity > item.quantity) problems.push(`${operation} ${where}: ${key}[${i}].quantity ${line.quantity} is more than the ${item.quantity} ordered`);
          }
        }
      }
    }
    expect(problems).toEqual([]);
  });
});

// The console's types are generated from these answers (console/src/lib/api/schema.d.ts): an open
// object there is a hand-written type in the console, and a field the schema leaves out is dropped
// by the serializer.
describe('OpenAPI operations', () => {
  it("every error answer's example is an error of its own status: a 401 says UNAUTHENTICATED, not a 400's BAD_REQUEST", () => {
    const usual: Record<string, string[]> = { '401': ['UNAUTHENTICATED', 'BAD_SIGNATURE'], '403': ['FORBIDDEN'], '404': ['NOT_FOUND'], '413': ['PAYLOAD_TOO_LARGE'], '415': ['UNSUPPORTED_MEDIA_TYPE'], '422': ['IDEMPOTENCY_KEY_REUSED'], '429': ['RATE_LIMITED'], '500': ['INTERNAL'] };
    const wrong: string[] = [];
    let seen = 0;
    for (const [path, operations] of Object.entries(paths)) {
      for (const [method, op] of Object.entries(operations)) {
        for (const [status, answer] of Object.entries(op.responses ?? {})) {
          const media = answer.content?.['application/json'];
          // The shared error answers (api/openapi.ts); a route's own (the readiness report's 503) says what it is itself.
          if (!/^[45]\d\d$/.test(status) || status === '400' || media?.schema?.$ref !== '#/components/schemas/Error') continue;
          const example = media.example as { error?: string } | undefined;
          seen++;
          const expected = usual[status];
          if (!example?.error || example.error === 'BAD_REQUEST' || (expected && !expected.includes(example.error))) wrong.push(`${method.toUpperCase()} ${path} ${status}: ${example?.error}`);
        }
      }
    }
    expect(seen).toBeGreaterThan(100);
    expect(wrong).toEqual([]);
  });

  it('every operation says in a summary what it does (the docs page lists operations by it)', () => {
    const unnamed = Object.entries(paths).flatMap(([path, operations]) => Object.entries(operations).filter(([, op]) => !(op as { summary?: string }).summary).map(([method]) => `${method.toUpperCase()} ${path}`));
    expect(unnamed).toEqual([]);
  });
});

describe('OpenAPI report answers', () => {
  const reports: Array<[path: string, method: string, fields: string[]]> = [
    ['/v1/figures', 'get', ['merchantId', 'from', 'to', 'timeZone', 'rows']],
    ['/v1/costs', 'get', ['merchantId', 'period', 'timeZone', 'refundsMinor', 'netMinor', 'currency', 'budgetMinor', 'remainingMinor', 'overBudget']],
    ['/v1/cases/{caseId}/costs', 'get', ['caseId', 'currency', 'refundsMinor', 'replacementGoodsMinor', 'logisticsMinor', 'repairsMinor', 'compensationMinor', 'recoveredMinor', 'netMinor']],
    ['/v1/root-causes', 'get', ['merchantId', 'from', 'to', 'by', 'rows']],
    ['/v1/register', 'get', ['merchantId', 'from', 'to', 'timeZone', 'rows']],
    ['/v1/order-counts/{day}', 'put', ['merchantId', 'day', 'orders']],
    ['/v1/budgets/{period}', 'put', ['merchantId', 'period', 'amountMinor', 'currency']],
  ];

  it.each(reports)('%s (%s) answers a closed object with typed properties', (path, method, fields) => {
    const schema = paths[path]?.[method]?.responses?.['200']?.content?.['application/json']?.schema as { properties?: Record<string, unknown>; additionalProperties?: unknown } | undefined;
    expect(schema?.additionalProperties).toBe(false);
    expect(Object.keys(schema?.properties ?? {})).toEqual(expect.arrayContaining(fields));
  });

  it("the rows are typed too: a figure row's rates, a cause's share, a register row's per-type fields", () => {
    const rowsOf = (path: string) => {
      const schema = paths[path]?.get?.responses?.['200']?.content?.['application/json']?.schema as { properties: { rows: { items: { properties: Record<string, unknown> } } } };
      return Object.keys(schema.properties.rows.items.properties);
    };
    expect(rowsOf('/v1/figures')).toEqual(expect.arrayContaining(['period', 'key', 'cases', 'orders', 'satisfactionPct', 'resolutionPct', 'complaintPermille', 'onTimePct']));
    expect(rowsOf('/v1/root-causes')).toEqual(['key', 'cases', 'share']);
    expect(rowsOf('/v1/register')).toEqual(expect.arrayContaining(['day', 'caseId', 'openedAt', 'closedAt', 'progress', 'stage', 'customerHandle', 'items', 'wrongItems', 'damageDegree', 'rootCause', 'fault', 'remedy']));
  });
});
