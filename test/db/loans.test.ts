/**
 * An urgent exchange's loan product (db/repositories/loans.ts): the warehouse's report of it sent
 * and the case's finding that it never went out are taken under one key, so of the two only the
 * first counts — a report after the case went on without the loan is refused, and a case never
 * writes a loan off that was reported sent.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPrisma, type Db } from '../../db/client.js';
import { createLoanRepository } from '../../db/repositories/loans.js';
import { createTestDatabase } from '../../db/test-database.js';

let db: Db;
let drop: () => Promise<void>;
const aCase = (id: string) =>
  db.case.create({ data: { id, merchantId: 'shoes', type: 'EXCHANGE_RESHIPMENT', stage: 'AWAITING_INSPECTION', orderId: `o-${id}`, orderSnapshot: {}, request: {}, customerId: 'c', currency: 'CNY', policyVersion: 1, workflowId: `case-${id}` } });
const report = (caseId: string, trackingNumber: string) => createLoanRepository(db).recordSent(caseId, { by: 'packer', carrier: 'SF', trackingNumber, sku: 'LOAN', message: { template: 'loanSent', params: { sku: 'LOAN', carrier: 'SF', trackingNumber } } });

beforeAll(async () => {
  const t = await createTestDatabase();
  drop = t.drop;
  db = createPrisma(t.url);
  await db.merchant.create({ data: { id: 'shoes', name: 'Shoes', defaultCurrency: 'CNY' } });
});
afterAll(async () => {
  await db?.$disconnect();
  await drop?.();
});

describe("a loan product's sending, and the case's finding that it never went out", () => {
  it('a case that asks before any report finds it unsent, says so on its timeline, and a report after is not taken', async () => {
    await aCase('never');
    const loans = createLoanRepository(db);
    expect(await loans.claimNotSent('never', 'LOAN')).toBe(false);
    // Asked again (a retried activity): the same answer, written once.
    expect(await loans.claimNotSent('never', 'LOAN')).toBe(false);
    expect(await db.caseEvent.findMany({ where: { caseId: 'never' }, select: { kind: true, stepKey: true, data: true } })).toEqual([{ kind: 'SUBSTITUTE_NOT_SENT', stepKey: 'loan:sent', data: { sku: 'LOAN' } }]);
    expect(await report('never', 'SFLOAN1')).toBe(false);
    expect(await loans.sentOf('never')).toMatchObject({ kind: 'SUBSTITUTE_NOT_SENT' });
    expect(await db.notification.count({ where: { caseId: 'never' } })).toBe(0);
  });

  it('a loan reported sent first is found sent, however late the report came', async () => {
    await aCase('sent');
    const loans = createLoanRepository(db);
    expect(await report('sent', 'SFLOAN2')).toBe(true);
    expect(await loans.claimNotSent('sent', 'LOAN')).toBe(true);
    expect(await loans.sentOf('sent')).toMatchObject({ kind: 'SUBSTITUTE_SENT', data: { trackingNumber: 'SFLOAN2' } });
    expect(await db.caseEvent.count({ where: { caseId: 'sent', kind: 'SUBSTITUTE_NOT_SENT' } })).toBe(0);
  });

  it('the report and the question at the same instant: exactly one wins, and both sides agree which', async () => {
    const loans = createLoanRepository(db);
    for (let i = 0; i < 10; i++) {
      const id = `race${i}`;
      await aCase(id);
      const [reported, sent] = await Promise.all([report(id, `SFRACE${i}`), loans.claimNotSent(id, 'LOAN')]);
      expect(reported, id).toBe(sent);
      expect((await loans.sentOf(id))!.kind, id).toBe(sent ? 'SUBSTITUTE_SENT' : 'SUBSTITUTE_NOT_SENT');
    }
  });
});
