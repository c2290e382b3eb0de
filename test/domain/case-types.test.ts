import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CASE_STAGE_NAMES, CLOSE_REASONS, CASE_STATUS_NAMES, CASE_STATUSES, CASE_TYPE_NAMES, CASE_TYPES, caseTypeName, isCaseStatus, isCaseType, isFinalStatus } from '../../domain/index.js';

/** The values of a Prisma enum, read from the schema so the two lists cannot drift apart. */
function prismaEnum(name: string): string[] {
  const schema = readFileSync(new URL('../../prisma/schema.prisma', import.meta.url), 'utf8');
  const body = new RegExp(`enum ${name} \\{([^}]*)\\}`).exec(schema)?.[1] ?? '';
  return body
    .split('\n')
    .map((l) => l.replace(/\/\/.*$/, '').trim())
    .filter(Boolean);
}

describe('case types', () => {
  it('are the twelve of docs/after-sales.md, the same as the database enum', () => {
    expect(CASE_TYPES).toHaveLength(12);
    expect([...CASE_TYPES]).toEqual(prismaEnum('CaseType'));
  });
  it('each has a Chinese and an English name, all different', () => {
    for (const locale of ['zh-CN', 'en'] as const) {
      const names = CASE_TYPES.map((t) => caseTypeName(t, locale));
      expect(names.every((n) => n.trim().length > 0)).toBe(true);
      expect(new Set(names).size).toBe(12);
    }
    expect(Object.keys(CASE_TYPE_NAMES).sort()).toEqual([...CASE_TYPES].sort());
    expect(caseTypeName('RETURN_AND_REFUND', 'zh-CN')).toBe('退货退款');
    expect(caseTypeName('MISSING_ITEMS', 'en')).toBe('Missing items');
  });
  it('guards', () => {
    expect(isCaseType('COMPLAINT')).toBe(true);
    expect(isCaseType('complaint')).toBe(false);
    expect(isCaseType(undefined)).toBe(false);
  });
});

describe('case statuses', () => {
  it('are the database enum, with names in both languages; only CLOSED is final', () => {
    expect([...CASE_STATUSES]).toEqual(prismaEnum('CaseStatus'));
    expect(Object.keys(CASE_STATUS_NAMES).sort()).toEqual([...CASE_STATUSES].sort());
    expect(CASE_STATUSES.filter(isFinalStatus)).toEqual(['CLOSED']);
    expect(isCaseStatus('RESOLVED')).toBe(true);
    expect(isCaseStatus('DONE')).toBe(false);
  });
});

/** Every stage a workflow enters (`enter('X'` in workflows/*.ts), read from the sources so a new one cannot go unnamed. */
function enteredStages(): Set<string> {
  const dir = new URL('../../workflows/', import.meta.url);
  const stages = new Set<string>();
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts'))) {
    for (const m of readFileSync(new URL(file, dir), 'utf8').matchAll(/\benter\('([A-Z_]+)'/g)) stages.add(m[1]!);
  }
  return stages;
}

describe('case stages', () => {
  it('every stage a workflow enters, and OPENED where every case starts, has a Chinese and an English name', () => {
    const stages = new Set([...enteredStages(), 'OPENED']);
    expect(stages.size).toBeGreaterThan(20);
    expect([...stages].filter((s) => !Object.hasOwn(CASE_STAGE_NAMES, s))).toEqual([]);
    // …and the table names no stage that no workflow enters.
    expect(Object.keys(CASE_STAGE_NAMES).filter((s) => !stages.has(s))).toEqual([]);
    for (const locale of ['zh-CN', 'en'] as const) {
      const names = Object.values(CASE_STAGE_NAMES).map((n) => n[locale]);
      expect(names.every((n) => n.trim().length > 0)).toBe(true);
      // Two stages with one name would read as the same step in the register.
      expect(new Set(names).size).toBe(names.length);
    }
    expect(CASE_STAGE_NAMES.AWAITING_RETURN_SHIPMENT!['zh-CN']).toBe('待顾客寄回');
  });
});

describe('close reasons', () => {
  it('lists every code a workflow closes a case with (an agent’s close records the note instead)', () => {
    const dir = new URL('../../workflows/', import.meta.url);
    const codes = new Set<string>();
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts'))) {
      for (const m of readFileSync(new URL(file, dir), 'utf8').matchAll(/\bcloseReason: '([A-Z_]+)'/g)) codes.add(m[1]!);
    }
    expect(codes.size).toBeGreaterThan(5);
    expect([...codes].sort()).toEqual([...CLOSE_REASONS].sort());
  });
});
