/**
 * Tracking numbers stored before the API normalised them (prisma/migrations/*_normalise_parcel_numbers):
 * normalised in SQL exactly as domain/tracking-number.ts does, so the warehouse's scan of the label
 * finds a return entered as "sf 1400 0000 0009", and a courier's event its parcel.
 */
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { normaliseTrackingNumber } from '../../domain/tracking-number.js';
import { databaseBefore, type DatabaseBeforeMigration } from '../support/migration-under-test.js';

/** Spellings a customer or a clerk may have entered, each for a case of its own. */
const SPELLINGS = [
  'SF140000000009',
  'SF 1400 0000 0009',
  'sf1400000000555',
  'ＳＦ１４００\u3000０００００７７７',
  '\u2068YT 7512\u00a0345\u202f678\u2069',
  'jd-0012\u200b-ab\ufeff',
  '\tzt\u2009o\r\n123\u3000',
  'ПЕ12ab①',
];

let before: DatabaseBeforeMigration;
const q = <T extends pg.QueryResultRow>(text: string, params: unknown[] = []) => before.q<T>(text, params);

beforeAll(async () => {
  before = await databaseBefore('normalise_parcel_numbers');
  await q(`INSERT INTO "Merchant" (id, name, "defaultCurrency") VALUES ('m1', 'Shop', 'CNY')`);
  for (const [i, spelling] of SPELLINGS.entries()) {
    await q(
      `INSERT INTO "Case" (id, "merchantId", type, stage, "orderId", "orderSnapshot", request, "customerId", currency, "policyVersion", "workflowId", "updatedAt", "returnTrackingNumber")
       VALUES ($1, 'm1', 'RETURN_AND_REFUND', 'AWAITING_ARRIVAL', $1, '{}', '{}', 'cust', 'CNY', 1, 'case-' || $1, now(), $2)`,
      [`c${i}`, spelling],
    );
    await q(`INSERT INTO "CaseParcel" ("caseId", carrier, "trackingNumber", role) VALUES ($1, 'SF', $2, 'RETURN')`, [`c${i}`, spelling]);
  }
  // One parcel of one case known in three spellings: it keeps one row, the one already normalised.
  for (const spelling of ['sf 777', 'SF777', 'Sf777 ']) await q(`INSERT INTO "CaseParcel" ("caseId", carrier, "trackingNumber", role) VALUES ('c0', 'YTO', $1, 'ORIGINAL')`, [spelling]);
  // And one in two spellings, neither normalised: it keeps one row, normalised.
  for (const spelling of ['yt 888', 'yt888']) await q(`INSERT INTO "CaseParcel" ("caseId", carrier, "trackingNumber", role) VALUES ('c1', 'YTO', $1, 'OUTBOUND')`, [spelling]);
  expect(await before.migrate()).toContain(before.migration);
}, 60_000);

afterAll(() => before?.drop());

describe('numbers stored before normalisation', () => {
  it("a case's return number is normalised exactly as the API now normalises it", async () => {
    const rows = await q<{ id: string; returnTrackingNumber: string }>(`SELECT id, "returnTrackingNumber" FROM "Case" ORDER BY id`);
    expect(rows.map((r) => r.returnTrackingNumber)).toEqual(SPELLINGS.map(normaliseTrackingNumber));
    expect(rows.map((r) => r.returnTrackingNumber).slice(0, 4)).toEqual(['SF140000000009', 'SF140000000009', 'SF1400000000555', 'SF140000000777']);
  });

  it("the parcels a case follows are normalised too, a parcel known in several spellings keeping one row", async () => {
    const rows = await q<{ caseId: string; carrier: string; trackingNumber: string; role: string }>(`SELECT "caseId", carrier, "trackingNumber", role FROM "CaseParcel" ORDER BY "caseId", carrier, "trackingNumber"`);
    const returns = rows.filter((r) => r.carrier === 'SF');
    expect(returns.map((r) => r.trackingNumber)).toEqual(SPELLINGS.map(normaliseTrackingNumber));
    expect(rows.filter((r) => r.carrier === 'YTO')).toEqual([
      { caseId: 'c0', carrier: 'YTO', trackingNumber: 'SF777', role: 'ORIGINAL' },
      { caseId: 'c1', carrier: 'YTO', trackingNumber: 'YT888', role: 'OUTBOUND' },
    ]);
  });
});
