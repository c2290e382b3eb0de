/**
 * Every rule an automatic decision can name has words in both of the console's languages: a rule
 * without them fell back to its code run together ("Refundreceivedgoods") beside translated ones.
 * The rules are read from the decisions in domain/ and workflows/ (`decision(policy, 'rule', …)`)
 * and from a refund's shortfall (`refundShortOf('rule', …)`, or `rule: '…'` in a table it picks from).
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { codesEn } from '../../console/src/lib/i18n/codes-en.js';
import { codesZh } from '../../console/src/lib/i18n/codes-zh.js';
import { consoleEn as en } from '../../console/src/lib/i18n/console-en.js';
import { consoleZh as zh } from '../../console/src/lib/i18n/console-zh.js';
import { whatIfEn } from '../../console/src/lib/i18n/whatif-en.js';
import { whatIfZh } from '../../console/src/lib/i18n/whatif-zh.js';
import { defaultFulfilmentPolicy, missingItemsVerdict } from '../../domain/index.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

function sources(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts'))
    .map((e) => readFileSync(path.join(e.parentPath, e.name), 'utf8'));
}

const rules = new Set(
  [...sources('domain'), ...sources('workflows')].flatMap((text) => [
    ...[...text.matchAll(/decision\(\s*(?:[\w.]+\s*,\s*)?'([a-z][A-Za-z]+)'/g)].map((m) => m[1]!),
    ...[...text.matchAll(/refundShortOf\(([^,]*),/g)].flatMap((m) => [...m[1]!.matchAll(/'([a-z][A-Za-z]+)'/g)].map((q) => q[1]!)),
    // A table of rules a refundShortOf picks from (workflows/exchange.ts REFUNDED_INSTEAD).
    ...[...text.matchAll(/\brule: '([a-z][A-Za-z]+)'/g)].map((m) => m[1]!),
  ]),
);

describe('the names of the rules of automatic decisions', () => {
  it('are found in the platform (the scan still works)', () => {
    expect(rules).toContain('refundReceivedGoods');
    expect(rules).toContain('sameDaySolution');
    expect(rules).toContain('notDeliveredRefund');
    expect(rules).toContain('returnProblemRefund');
  });

  it('are all in the English and the Chinese dictionary', () => {
    expect([...rules].filter((r) => !codesEn[`rule.${r}`]).sort()).toEqual([]);
    expect([...rules].filter((r) => !codesZh[`rule.${r}`]).sort()).toEqual([]);
  });
});

/** The task codes of the warehouse's work list: the API's table (api/routes/warehouse-tasks.ts) and its fallback. */
const warehouseTasks = (() => {
  const text = readFileSync(path.join(ROOT, 'api/routes/warehouse-tasks.ts'), 'utf8');
  const table = /WAREHOUSE_TASKS[^=]*=\s*\{([^}]*)\}/.exec(text)?.[1] ?? '';
  return new Set([...[...table.matchAll(/:\s*'([A-Z_]+)'/g)].map((m) => m[1]!), ...[...text.matchAll(/\?\?\s*'([A-Z_]+)'/g)].map((m) => m[1]!)]);
})();

describe("the names of the warehouse's tasks", () => {
  it('are found in the API (the scan still works)', () => {
    for (const code of ['RECEIVE_RETURN', 'INSPECT_RETURN', 'VERIFY_DISPATCH', 'PACK_RESHIPMENT', 'OTHER']) expect(warehouseTasks).toContain(code);
  });

  it('are all in the English and the Chinese dictionary, in words of each (a lost parcel\'s task showed as "Other")', () => {
    const codes = [...new Set([...warehouseTasks, 'RECEIVE_RETURN', 'RECEIVE_INTERCEPTED_PARCEL', 'RECEIVE_SUBSTITUTE', 'INSPECT_RETURN', 'VERIFY_DISPATCH', 'VERIFY_WRONG_ITEM', 'CHECK_OUTGOING', 'PACK_RESHIPMENT', 'REPAIR', 'SHIP_ORDER', 'OTHER'])];
    expect(codes.filter((c) => !en[`task.${c}`]).sort()).toEqual([]);
    expect(codes.filter((c) => !zh[`task.${c}`] || !/[\u4e00-\u9fff]/.test(zh[`task.${c}`]!)).sort()).toEqual([]);
    // Only the fallback says "other": every task the API names has words of its own.
    expect(codes.filter((c) => c !== 'OTHER' && (zh[`task.${c}`] === zh['task.OTHER'] || en[`task.${c}`] === en['task.OTHER']))).toEqual([]);
  });
});

const platformSources = [...sources('domain'), ...sources('workflows')];
/** The outcomes automatic decisions reach (`decision(policy, 'rule', values, 'OUTCOME')`): the what-if page names a case's decision by them too ("Refund now" stood in English beside Chinese). */
const outcomes = new Set(
  platformSources.flatMap((text) => [
    ...[...text.matchAll(/decision\(\s*(?:[\w.]+\s*,\s*)?'[a-z][A-Za-z]+'\s*,[\s\S]{0,400}?,\s*'([A-Z][A-Z_]+)'\s*\)/g)].map((m) => m[1]!),
    // return-refund.ts's own helper: decide('rule', 'OUTCOME', values)
    ...[...text.matchAll(/\bdecide\(\s*'[a-z][A-Za-z]+'\s*,\s*'([A-Z][A-Z_]+)'/g)].map((m) => m[1]!),
  ]),
);
/** The updates and signals a case takes: the what-if page names an input a rerun refused by them ("Choose remedy" stood in English). */
const inputs = new Set(sources('workflows').flatMap((text) => [...text.matchAll(/define(?:Update|Signal)\s*(?:<[^>]*>)?\s*\(\s*'([a-zA-Z]+)'/g)].map((m) => m[1]!)));
const enAll: Record<string, string> = { ...codesEn, ...en, ...whatIfEn };
const zhAll: Record<string, string> = { ...codesZh, ...zh, ...whatIfZh };
const chinese = (text: string | undefined) => !!text && /[\u4e00-\u9fff]/.test(text);

describe('the outcomes of automatic decisions and the inputs of a case', () => {
  it('are found in the platform (the scans still work)', () => {
    for (const code of ['REFUND_NOW', 'NEEDS_AGENT', 'URGENT']) expect(outcomes).toContain(code);
    for (const name of ['chooseRemedy', 'propose', 'arrivalScanned', 'assign']) expect(inputs).toContain(name);
  });

  it('every outcome has words of its own in English and Chinese', () => {
    expect([...outcomes].filter((c) => !enAll[`outcome.${c}`]).sort()).toEqual([]);
    expect([...outcomes].filter((c) => !chinese(zhAll[`outcome.${c}`])).sort()).toEqual([]);
  });

  it("every input has the what-if page's words in English and Chinese", () => {
    expect([...inputs].filter((i) => !enAll[`whatIf.input.${i}`]).sort()).toEqual([]);
    expect([...inputs].filter((i) => !chinese(zhAll[`whatIf.input.${i}`])).sort()).toEqual([]);
  });

  it("the kinds of a document's lines and the reasons goods are not refunded have words (a refund's lines read \"类型: Goods\")", () => {
    // REFUND lines (return-refund breakdown, delay compensation, wrong item, exchange difference, transit damage, quality) and the excluded lines of a refund.
    const codes = ['GOODS', 'SHIPPING', 'CAP', 'COMPENSATION', 'ORDER', 'DISCOUNT', 'GIFT_RESHIP', 'GIFT_REFUND', 'EXCHANGE', 'RETURN_REFUND', 'PRICE_DIFFERENCE', 'PARTIAL', 'DAMAGE', 'REFUND', 'REPAIR', 'DAMAGED_BY_CUSTOMER', 'MISSING', 'MORE_THAN_ORDERED', 'MORE_THAN_APPROVED', 'NOT_IN_ORDER', 'SHORT', 'OVER', 'UNEXPECTED'];
    expect(codes.filter((c) => !enAll[`value.${c}`]).sort()).toEqual([]);
    expect(codes.filter((c) => !chinese(zhAll[`value.${c}`])).sort()).toEqual([]);
  });
});

describe('the values of the missing-items checks', () => {
  /** Every key of a decision's values, nested objects and lists included. */
  const keysOf = (v: unknown): string[] =>
    Array.isArray(v) ? v.flatMap(keysOf) : v && typeof v === 'object' ? Object.entries(v).flatMap(([k, x]) => [k, ...keysOf(x)]) : [];

  it('have words in both languages (a Chinese timeline showed "Tolerance grams")', () => {
    const order = { orderId: 'o', currency: 'CNY', items: [{ sku: 'KETTLE', name: 'Kettle', quantity: 2, unitPriceMinor: 20_000, unitCostMinor: 9_000 }], shippingFeeMinor: 0, paidTotalMinor: 40_000 };
    const evidence = { outboundRecord: [{ sku: 'KETTLE', quantity: 1 }], waybillWeightGrams: 1_350, unitWeightsGrams: { KETTLE: 1_200 }, packagingWeightGrams: 150, stockCount: [{ sku: 'KETTLE', systemQuantity: 5, countedQuantity: 6 }] };
    const keys = new Set(keysOf(missingItemsVerdict(defaultFulfilmentPolicy(1), order, [{ sku: 'KETTLE', quantity: 1 }], evidence).decision.values));
    expect(keys).toContain('toleranceGrams');
    expect([...keys].filter((k) => !codesZh[`field.${k}`]).sort()).toEqual([]);
    expect([...keys].filter((k) => !codesEn[`field.${k}`]).sort()).toEqual([]);
  });
});
