/**
 * The business figures (004 §六) and what they need from the storefront: orders per day (the
 * complaint rate's denominator) and the monthly after-sales budget.
 */
import { CURRENCY_PATTERN, ID_PATTERN, LOCAL_MONTH } from '../validation-problems.js';
import type { ApiApp } from '../typed-app.js';
import { Type, type Static } from 'typebox';
import { caseCosts, monthCosts } from '../../db/costs.js';
import { businessFigures } from '../../db/figures.js';
import { isKnownCurrency } from '../../domain/index.js';
import { principalOf } from '../auth.js';
import { visibleCase, type ApiDeps } from '../context.js';
import { badRequest } from '../errors.js';
import { FromDay, isRealDate, LocalDate, localDayRange, ToDay } from '../local-days.js';
import { merchantOf } from '../open-case.js';
import { ownMerchant, reportMerchant, ReportMerchant } from '../report-merchant.js';
import { BudgetBody, CaseParams, OrdersBody } from '../schemas.js';
import { Budget, CaseCosts, FiguresReport, MonthCosts, OrderCount } from '../responses.js';

const FiguresQuery = Type.Object(
  {
    from: FromDay,
    to: Type.Optional(ToDay),
    grain: Type.Optional(Type.Union([Type.Literal('day'), Type.Literal('week'), Type.Literal('month')])),
    by: Type.Optional(
      Type.Union([Type.Literal('none'), Type.Literal('type'), Type.Literal('agent'), Type.Literal('carrier'), Type.Literal('merchant')], {
        description: "the breakdown: none (default), case type, agent (the case's assignee: the agent it was assigned to or, unassigned, the agent who first acted on it; key null: no agent yet), carrier, merchant (admins)",
      }),
    ),
    merchantId: Type.Optional(Type.String({ pattern: ID_PATTERN, description: 'admins only' })),
  },
  { additionalProperties: false },
);
const DayParams = Type.Object({ day: LocalDate });
const PeriodParams = Type.Object({ period: Type.String({ pattern: LOCAL_MONTH, description: 'YYYY-MM' }) });

const CostsQuery = Type.Object({ period: Type.String({ pattern: LOCAL_MONTH, description: 'YYYY-MM' }), currency: Type.Optional(Type.String({ pattern: CURRENCY_PATTERN })), merchantId: ReportMerchant }, { additionalProperties: false });

const MAX_DAYS = 400;

export function figureRoutes(app: ApiApp, deps: ApiDeps): void {
  app.get('/v1/figures', { config: { roles: ['SUPERVISOR', 'ADMIN'] }, schema: { response: { 200: FiguresReport }, tags: ['supervisor'], summary: 'Satisfaction, resolution, complaint and on-time rates per period and breakdown', querystring: FiguresQuery } }, async (request): Promise<Static<typeof FiguresReport>> => {
    const p = principalOf(request);
    const q = request.query;
    const { to } = localDayRange(q, MAX_DAYS);
    // An admin may leave the merchant out: every merchant's figures.
    const merchantId = p.role === 'ADMIN' ? q.merchantId : ownMerchant(p, q.merchantId, 'figures');
    if (q.by === 'merchant' && p.role !== 'ADMIN') throw badRequest('querystring.by', 'only admins compare merchants');
    // Periods are the merchant's local days (its business calendar's zone); all merchants: Beijing time.
    const timeZone = merchantId ? (await deps.repos.currentPolicy(merchantId)).businessHours.timeZone : 'Asia/Shanghai';
    const rows = await businessFigures(deps.repos.db, { merchantId, from: q.from, to, grain: q.grain ?? 'day', by: q.by ?? 'none', timeZone });
    return { merchantId: merchantId ?? null, from: q.from, to, timeZone, rows };
  });

  app.get('/v1/costs', { config: { roles: ['SUPERVISOR', 'ADMIN'] }, schema: { response: { 200: MonthCosts }, tags: ['supervisor'], summary: "A month's after-sales cost (refunds, goods, logistics, compensation, recovered claims) against its budget", querystring: CostsQuery } }, async (request): Promise<Static<typeof MonthCosts>> => {
    const q = request.query;
    const merchantId = await reportMerchant(deps, request, q.merchantId);
    const merchant = await deps.repos.merchant(merchantId);
    const currency = q.currency ?? merchant?.defaultCurrency ?? 'CNY';
    if (!isKnownCurrency(currency)) throw badRequest('querystring.currency', `${currency} is not a supported currency`);
    const timeZone = (await deps.repos.currentPolicy(merchantId)).businessHours.timeZone;
    return { merchantId, period: q.period, timeZone, ...(await monthCosts(deps.repos.db, { merchantId, period: q.period, currency, timeZone })) };
  });

  app.get('/v1/cases/:caseId/costs', { config: { roles: ['AGENT', 'SUPERVISOR', 'ADMIN'] }, schema: { response: { 200: CaseCosts }, tags: ['agent'], summary: "A case's cost from its ledger", params: CaseParams } }, async (request): Promise<Static<typeof CaseCosts>> => {
    const c = await visibleCase(deps, request, request.params.caseId);
    return { caseId: c.id, currency: c.currency, ...(await caseCosts(deps.repos.db, c.id)) };
  });

  app.put('/v1/order-counts/:day', { config: { roles: ['STOREFRONT'] }, schema: { response: { 200: OrderCount }, tags: ['storefront'], summary: "The merchant's orders of a local day (complaint rate)", params: DayParams, body: OrdersBody } }, async (request): Promise<Static<typeof OrderCount>> => {
    const merchantId = merchantOf(principalOf(request));
    const { day } = request.params;
    if (!isRealDate(day)) throw badRequest('params.day', `${day} is not a date`);
    const { orders } = request.body;
    await deps.repos.db.orderCount.upsert({ where: { merchantId_day: { merchantId, day: new Date(day) } }, create: { merchantId, day: new Date(day), orders }, update: { orders }, select: { day: true } });
    return { merchantId, day, orders };
  });

  app.put('/v1/budgets/:period', { config: { roles: ['SUPERVISOR'] }, schema: { response: { 200: Budget }, tags: ['supervisor'], summary: 'The after-sales budget of a month', params: PeriodParams, body: BudgetBody } }, async (request): Promise<Static<typeof Budget>> => {
    const merchantId = merchantOf(principalOf(request));
    const { period } = request.params;
    const body = request.body;
    if (!isKnownCurrency(body.currency)) throw badRequest('body.currency', `${body.currency} is not a supported currency`);
    // A month has one budget, read against the costs in the merchant's currency (GET /v1/costs): one
    // in another currency would replace it and leave the month with no budget anyone sees.
    const merchantCurrency = (await deps.repos.merchant(merchantId))?.defaultCurrency ?? 'CNY';
    if (body.currency !== merchantCurrency) throw badRequest('body.currency', `must be ${merchantCurrency}, the merchant's currency: a month's budget is kept in the currency its costs are counted in`);
    const data = { amountMinor: BigInt(body.amountMinor), currency: body.currency };
    await deps.repos.db.budget.upsert({ where: { merchantId_period: { merchantId, period } }, create: { merchantId, period, ...data }, update: data, select: { period: true } });
    return { merchantId, period, ...body };
  });
}
