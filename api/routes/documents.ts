/**
 * A case's documents and money as the ledger booked them (db/repositories/ledger.ts): warehouse
 * documents with their stock movements, expense notes, refunds and claim recoveries. Staff of the
 * case's merchant see them all; a customer sees only the refunds paid to them, since the other
 * documents carry the merchant's costs.
 */
import { Type } from 'typebox';
import type { ApiApp } from '../typed-app.js';
import type { LedgerEntry } from '../../db/repositories/ledger.js';
import { startOfLocalDate } from '../../domain/business-calendar.js';
import { isKnownCurrency, money, toDecimalString } from '../../domain/money.js';
import { localTime, tableCsv, tableXlsx, type Cell, type XlsxColumn } from '../../reports/table-export.js';
import { principalOf } from '../auth.js';
import { visibleCase, type ApiDeps } from '../context.js';
import { badRequest } from '../errors.js';
import { FromDay, localDayRange, ToDay } from '../local-days.js';
import { reportMerchant, ReportMerchant } from '../report-merchant.js';
import { bankStatusOf, CaseDocuments, JsonOrFile, LEDGER_KINDS, LedgerReport, XLSX } from '../responses.js';
import { CaseParams } from '../schemas.js';

const DEFAULT_LIMIT = 500;
const MAX_LIMIT = 5000;
/** A month and a day: a month's books are one request. */
const MAX_DAYS = 32;

const LedgerQuery = Type.Object(
  {
    from: FromDay,
    to: Type.Optional(ToDay),
    kind: Type.Optional(Type.Union([...LEDGER_KINDS], { description: 'only entries of this kind (REFUND: the money paid back, to match against the payment provider)' })),
    currency: Type.Optional(Type.String({ pattern: '^[A-Z]{3}$', description: 'only entries in this currency (ISO 4217)' })),
    format: Type.Optional(Type.Union([Type.Literal('json'), Type.Literal('csv'), Type.Literal('xlsx')], { description: 'json (by pages), or a file of every entry: csv, or xlsx (ids and order numbers as text, so a long order number is not turned into 3.2E+18; amounts as numbers; bookedAt and bookedAtLocal as dates)' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_LIMIT, description: `JSON: entries per page (default ${DEFAULT_LIMIT}, at most ${MAX_LIMIT}); a file holds every entry` })),
    after: Type.Optional(Type.String({ pattern: '^[0-9]{1,18}$', description: 'JSON: the `next` of the page before' })),
    merchantId: ReportMerchant,
  },
  { additionalProperties: false },
);

// bookedAtLocal: the merchant's local time, by which the file's days are cut (bookedAt is UTC); amount: in the currency's units (yuan), amountMinor in its minor units (fen).
// Added at the end, so a reader of the file by column position reads the earlier columns where they were.
const CSV_HEADER = ['bookedAt', 'id', 'caseId', 'caseType', 'orderId', 'kind', 'currency', 'amountMinor', 'reference', 'stock', 'lines', 'bookedAtLocal', 'amount'];
/**
 * The same columns in a workbook: every id a text cell (tableXlsx writes strings as text), the
 * amounts numbers, the two times dates a spreadsheet can sort, filter and count by (they were text).
 * Excel has no time zones: bookedAt holds the UTC time, bookedAtLocal the merchant's wall-clock time,
 * each as the CSV shows it.
 */
const TIME_FORMAT = 'yyyy-mm-dd hh:mm:ss';
const XLSX_COLUMNS: XlsxColumn[] = CSV_HEADER.map((header) => ({
  header,
  width: header === 'lines' ? 60 : header === 'bookedAt' || header === 'bookedAtLocal' ? 22 : 16,
  ...(header === 'amount' ? { numFmt: '#,##0.00' } : header === 'bookedAt' || header === 'bookedAtLocal' ? { numFmt: TIME_FORMAT } : {}),
}));
const BOOKED_AT = CSV_HEADER.indexOf('bookedAt');
const BOOKED_AT_LOCAL = CSV_HEADER.indexOf('bookedAtLocal');
/** A row of the file as workbook cells: the times as dates (a wall-clock time written as if UTC, which is how a workbook stores one). */
const workbookRow = (row: Cell[]): Cell[] => row.map((c, i) => (i === BOOKED_AT ? new Date(String(c)) : i === BOOKED_AT_LOCAL ? new Date(`${String(c).replace(' ', 'T')}Z`) : c));

type Line = Record<string, unknown>;
type Movement = { sku: string; delta: number };

/** Per SKU, in the order the SKUs first appear: the stockDelta of every line that records one. */
function netted(moves: Movement[]): Movement[] {
  const bySku = new Map<string, number>();
  for (const m of moves) bySku.set(m.sku, (bySku.get(m.sku) ?? 0) + m.delta);
  return [...bySku].map(([sku, delta]) => ({ sku, delta }));
}

/** Lines are JSON written by the workflows; only goods lines (a SKU and a whole stockDelta) move stock. */
const movementsOf = (lines: Line[]): Movement[] =>
  lines.filter((l) => typeof l.sku === 'string' && Number.isSafeInteger(l.stockDelta)).map((l) => ({ sku: l.sku as string, delta: l.stockDelta as number }));

function documentView(e: LedgerEntry) {
  const lines = Array.isArray(e.lines) ? (e.lines.filter((l) => l !== null && typeof l === 'object' && !Array.isArray(l)) as Line[]) : [];
  return { kind: e.kind, amountMinor: Number(e.amountMinor), currency: e.currency, reference: e.reference, bookedAt: e.createdAt.toISOString(), lines, stock: netted(movementsOf(lines)) };
}

export function documentRoutes(app: ApiApp, deps: ApiDeps): void {
  app.get(
    '/v1/ledger',
    {
      config: { roles: ['SUPERVISOR', 'ADMIN'] },
      schema: {
        response: { 200: JsonOrFile(LedgerReport, 'The ledger') },
        tags: ['supervisor'],
        summary: 'The merchant’s documents and money booked in a range of local days, every case together (month-end reconciliation; JSON by pages, CSV or XLSX whole)',
        description: `Entries are taken by when they were booked (bookedAt), whatever day their case opened: a December refund of a November case is December's. \`totals\` sums the whole range per kind and currency (refunds negative): match \`kind=REFUND\` entries against the payment provider by \`reference\` (its refund id), CLAIM_RECOVERY by the claim id. Up to ${MAX_DAYS} days per request. The CSV (\`format=csv\`) gives each entry's time in UTC (bookedAt) and in the merchant's zone (bookedAtLocal, the time its day is counted by), and its amount in minor units (amountMinor) and in the currency's units (amount: yuan for CNY). Per case: GET /v1/cases/{caseId}/documents.`,
        querystring: LedgerQuery,
      },
    },
    async (request, reply) => {
      const q = request.query;
      const merchantId = await reportMerchant(deps, request, q.merchantId);
      const { to } = localDayRange(q, MAX_DAYS);
      if (q.currency && !isKnownCurrency(q.currency)) throw badRequest('querystring.currency', `${q.currency} is not a supported currency`);
      const file = q.format === 'csv' || q.format === 'xlsx';
      if (file && (q.after !== undefined || q.limit !== undefined)) throw badRequest(q.after !== undefined ? 'querystring.after' : 'querystring.limit', `a ${q.format} file holds every entry: limit and after page the JSON only`);
      const timeZone = (await deps.repos.currentPolicy(merchantId)).businessHours.timeZone;
      const range = { merchantId, from: new Date(startOfLocalDate({ timeZone }, q.from)), to: new Date(startOfLocalDate({ timeZone }, to)), ...(q.kind ? { kinds: [q.kind] } : {}), ...(q.currency ? { currency: q.currency } : {}) };
      // A file holds the whole range (a month of a big shop is tens of thousands of entries).
      const limit = file ? 1_000_000 : (q.limit ?? DEFAULT_LIMIT);
      const [rows, totals, expenses] = await Promise.all([deps.repos.bookedEntries({ ...range, limit, ...(q.after ? { afterId: BigInt(q.after) } : {}) }), deps.repos.bookedTotals(range), file ? [] : deps.repos.bookedExpenses(range)]);
      const page = rows.slice(0, limit);
      const entries = page.map((e) => ({ id: String(e.id), caseId: e.caseId, caseType: e.case.type, orderId: e.case.orderId, ...documentView(e) }));
      if (file) {
        const body = entries.map((e) => [e.bookedAt, e.id, e.caseId, e.caseType, e.orderId, e.kind, e.currency, e.amountMinor, e.reference, e.stock.map((m) => `${m.sku}:${m.delta > 0 ? '+' : ''}${m.delta}`).join(';'), JSON.stringify(e.lines), localTime(new Date(e.bookedAt), timeZone, 'seconds'), Number(toDecimalString(money(e.amountMinor, e.currency)))]);
        const name = `ledger-${merchantId}-${q.from}_${to}${q.kind ? `-${q.kind}` : ''}`;
        if (q.format === 'csv') return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${name}.csv"`).send(tableCsv(CSV_HEADER, body));
        return reply.type(XLSX).header('content-disposition', `attachment; filename="${name}.xlsx"`).send(await tableXlsx('ledger', XLSX_COLUMNS, body.map(workbookRow)));
      }
      return { merchantId, from: q.from, to, timeZone, entries, totals, expenses, next: rows.length > limit ? String(page.at(-1)!.id) : null };
    },
  );

  app.get(
    '/v1/cases/:caseId/documents',
    {
      config: { roles: ['CUSTOMER', 'STOREFRONT', 'WAREHOUSE', 'AGENT', 'SUPERVISOR', 'ADMIN'] },
      schema: {
        response: { 200: CaseDocuments },
        tags: ['cases'],
        summary: 'A case’s documents in booking order: refunds, outbound notes and reversals, return and expense notes, claim recoveries, with their stock movements (a customer: only refunds, and refunds their bank sent back)',
        params: CaseParams,
      },
    },
    async (request) => {
      const c = await visibleCase(deps, request, request.params.caseId);
      const entries = await deps.repos.documents(c.id, principalOf(request).role === 'CUSTOMER' ? ['REFUND', 'REFUND_RETURNED'] : undefined);
      // Where each refund's money is, as the refund follower last heard it from the provider.
      const holds = await deps.repos.db.refundHold.findMany({ where: { caseId: c.id, status: { not: null } }, select: { refundId: true, status: true } });
      const bankStatus = new Map(holds.map((h) => [h.refundId, bankStatusOf(h.status)]));
      const documents = entries.map((e) => {
        const status = e.kind === 'REFUND' && e.reference ? bankStatus.get(e.reference) : undefined;
        return { ...documentView(e), ...(status ? { bankStatus: status } : {}) };
      });
      const stockNet = netted(documents.flatMap((d) => d.stock)).sort((a, b) => (a.sku < b.sku ? -1 : a.sku > b.sku ? 1 : 0));
      return { caseId: c.id, documents, stockNet };
    },
  );
}
