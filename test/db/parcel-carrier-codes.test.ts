/**
 * Carrier names stored before the API turned them into codes (prisma/migrations/*_parcel_carrier_codes):
 * turned into codes in SQL exactly as domain/carriers.ts carrierCodeOf does, so SF's tracking events
 * find a return entered as "顺丰", and the figures count one SF, not "顺丰" and "SF".
 */
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { carrierCodeOf, isCarrierCode, KNOWN_CARRIERS } from '../../domain/carriers.js';
import { databaseBefore, type DatabaseBeforeMigration } from '../support/migration-under-test.js';

/** Full-width ASCII, as a Chinese IME types it. */
const fullWidth = (text: string) => text.replace(/[!-~]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));

/** Every name of every known carrier, and the ways people mistype them; then carriers the table does not know. */
const NAMES = [
  ...Object.entries(KNOWN_CARRIERS).flatMap(([code, names]) => [code, code.toLowerCase(), fullWidth(code.toLowerCase()), ...names, ...names.map((n) => ` ${n.toUpperCase()}\u3000`)]),
  '中国 邮政\u200b',
  'best',
  '\u00a0Best-Express ',
  '小件快递',
  'Some Express',
];

let before: DatabaseBeforeMigration;
const q = <T extends pg.QueryResultRow>(text: string, params: unknown[] = []) => before.q<T>(text, params);

beforeAll(async () => {
  before = await databaseBefore('parcel_carrier_codes');
  await q(`INSERT INTO "Merchant" (id, name, "defaultCurrency") VALUES ('m1', 'Shop', 'CNY')`);
  for (const [i, name] of NAMES.entries()) {
    await q(
      `INSERT INTO "Case" (id, "merchantId", type, stage, "orderId", "orderSnapshot", request, "customerId", currency, "policyVersion", "workflowId", "updatedAt", carrier)
       VALUES ($1, 'm1', 'LOST_PARCEL', 'AWAITING_CLAIM', $1, '{}', '{}', 'cust', 'CNY', 1, 'case-' || $1, now(), $2)`,
      [`c${String(i).padStart(3, '0')}`, name],
    );
    await q(`INSERT INTO "CaseParcel" ("caseId", carrier, "trackingNumber", role) VALUES ($1, $2, $3, 'RETURN')`, [`c${String(i).padStart(3, '0')}`, name, `T${i}`]);
  }
  // One parcel known under its code and a name: it keeps its RETURN row (which a corrected return number removes), as the code.
  await q(`INSERT INTO "CaseParcel" ("caseId", carrier, "trackingNumber", role, at) VALUES ('c000', 'SF', 'DUP1', 'ORIGINAL', now() - interval '1 day'), ('c000', '顺丰', 'DUP1', 'RETURN', now())`);
  // And one under two names, neither a RETURN row: it keeps the earliest, as the code.
  await q(`INSERT INTO "CaseParcel" ("caseId", carrier, "trackingNumber", role, at) VALUES ('c001', '圆通', 'DUP2', 'OUTBOUND', now()), ('c001', 'yto express', 'DUP2', 'ORIGINAL', now() - interval '1 hour')`);
  expect(await before.migrate()).toContain(before.migration);
}, 60_000);

afterAll(() => before?.drop());

/** What the API stores for `name` now; a name that makes no code was refused, and stays as stored. */
const expected = (name: string) => (isCarrierCode(carrierCodeOf(name)) ? carrierCodeOf(name) : name);

describe('carrier names stored before the API turned them into codes', () => {
  it("a case's carrier becomes the code the API now stores, for every name of every known carrier", async () => {
    const rows = await q<{ carrier: string }>(`SELECT carrier FROM "Case" ORDER BY id`);
    expect(rows.map((r) => r.carrier)).toEqual(NAMES.map(expected));
    expect(rows.slice(-5).map((r) => r.carrier)).toEqual(['EMS', 'BEST', 'BEST-EXPRESS', '小件快递', 'Some Express']);
    expect(new Set(rows.slice(0, -4).map((r) => r.carrier))).toEqual(new Set(Object.keys(KNOWN_CARRIERS)));
  });

  it('the parcels a case follows too, a parcel known under several names keeping one row', async () => {
    const rows = await q<{ caseId: string; carrier: string; trackingNumber: string; role: string }>(`SELECT "caseId", carrier, "trackingNumber", role FROM "CaseParcel" ORDER BY "caseId", "trackingNumber"`);
    expect(rows.filter((r) => r.trackingNumber.startsWith('T')).map((r) => r.carrier)).toEqual(NAMES.map(expected));
    expect(rows.filter((r) => r.trackingNumber.startsWith('DUP'))).toEqual([
      { caseId: 'c000', carrier: 'SF', trackingNumber: 'DUP1', role: 'RETURN' },
      { caseId: 'c001', carrier: 'YTO', trackingNumber: 'DUP2', role: 'ORIGINAL' },
    ]);
  });

  it('the figures per carrier count each carrier once, under its code', async () => {
    const keys = await q<{ key: string; cases: number }>(`SELECT key, sum(cases)::int AS cases FROM "FigureDay" WHERE dim = 'carrier' AND zone = 'Asia/Shanghai' AND cases > 0 GROUP BY key ORDER BY key`);
    expect(keys.map((k) => k.key)).toEqual([...new Set(NAMES.map(expected))].sort());
    expect(keys.find((k) => k.key === 'SF')!.cases).toBe(NAMES.filter((n) => expected(n) === 'SF').length);
  });
});
