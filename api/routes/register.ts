/** The daily after-sales register (每日售后登记表) as JSON, CSV or XLSX, with Chinese or English columns. */
import type { ApiApp } from '../typed-app.js';
import { Type } from 'typebox';
import { BadCursor, dailyRegister, registerPage } from '../../db/register.js';
import { registerCsv, registerXlsx } from '../../reports/register-export.js';
import type { ApiDeps } from '../context.js';
import { badRequest } from '../errors.js';
import { localDate } from '../../domain/business-calendar.js';
import { FromDay, localDayRange, nextDay, ToDay } from '../local-days.js';
import { reportMerchant, ReportMerchant } from '../report-merchant.js';
import { JsonOrFile, Register, XLSX } from '../responses.js';

/** Rows per JSON page: a screen shows a few hundred; a busy day holds tens of thousands (the files hold them all). */
const DEFAULT_LIMIT = 500;
const MAX_LIMIT = 5000;

const RegisterQuery = Type.Object(
  {
    from: FromDay,
    to: Type.Optional(ToDay),
    format: Type.Optional(Type.Union([Type.Literal('json'), Type.Literal('csv'), Type.Literal('xlsx')])),
    lang: Type.Optional(Type.Union([Type.Literal('zh-CN'), Type.Literal('en')])),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_LIMIT, description: `JSON: rows per page (default ${DEFAULT_LIMIT}, at most ${MAX_LIMIT}); a file holds every row` })),
    after: Type.Optional(Type.String({ minLength: 1, maxLength: 512, description: 'JSON: the `next` of the page before' })),
    merchantId: ReportMerchant,
  },
  { additionalProperties: false },
);

const MAX_DAYS = 31;

export function registerRoutes(app: ApiApp, deps: ApiDeps): void {
  app.get('/v1/register', { config: { roles: ['AGENT', 'SUPERVISOR', 'ADMIN'] }, schema: { response: { 200: JsonOrFile(Register, 'The register') }, tags: ['supervisor'], summary: 'The daily after-sales register: every open case on every day, with its progress (JSON by pages; CSV and XLSX whole)', description: 'Days up to today in the shop’s time zone: a range reaching past today ends with today (the answer’s `to` says where it ended; a file is named by it), and a `from` after today is a 400.', querystring: RegisterQuery } }, async (request, reply) => {
    const q = request.query;
    const merchantId = await reportMerchant(deps, request, q.merchantId);
    const range = localDayRange(q, MAX_DAYS);
    const file = q.format === 'csv' || q.format === 'xlsx';
    if (file && (q.after !== undefined || q.limit !== undefined)) {
      throw badRequest(q.after !== undefined ? 'querystring.after' : 'querystring.limit', `a ${q.format} file holds every row: limit and after page the JSON only`);
    }
    const timeZone = (await deps.repos.currentPolicy(merchantId)).businessHours.timeZone;
    // Days that have not come have no register: a month asked for mid-month ends with today (the
    // open cases repeated on every later day, at today's stage, were rows no day had).
    const today = localDate({ timeZone }, deps.now?.() ?? Date.now());
    if (q.from > today) throw badRequest('querystring.from', `${q.from} has not come yet (today is ${today} in ${timeZone}): the register holds the days up to today`);
    const tomorrow = nextDay(today);
    const to = range.to > tomorrow ? tomorrow : range.to;
    if (!file) {
      try {
        const page = await registerPage(deps.repos.db, { merchantId, from: q.from, to, timeZone, limit: q.limit ?? DEFAULT_LIMIT, after: q.after });
        return { merchantId, from: q.from, to, timeZone, ...page };
      } catch (err) {
        if (err instanceof BadCursor) throw badRequest('querystring.after', err.message);
        throw err;
      }
    }
    const rows = await dailyRegister(deps.repos.db, { merchantId, from: q.from, to, timeZone });
    // The agent by name, as the console shows them: a file is read by people, not matched by id.
    const agentNames = await deps.repos.credentials.labels([...new Set(rows.flatMap((r) => (r.assigneeId ? [r.assigneeId] : [])))]);
    const lang = q.lang ?? 'zh-CN';
    const oneDay = Date.parse(to) - Date.parse(q.from) === 86_400_000;
    const name = `register-${merchantId}-${q.from}${oneDay ? '' : `_${to}`}`;
    if (q.format === 'csv') {
      return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${name}.csv"`).send(registerCsv(rows, lang, timeZone, agentNames));
    }
    return reply
      .type(XLSX)
      .header('content-disposition', `attachment; filename="${name}.xlsx"`)
      .send(await registerXlsx(rows, lang, timeZone, agentNames));
  });
}
