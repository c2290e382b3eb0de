import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CASE_STATUS_NAMES, CASE_STATUSES, CASE_TYPE_NAMES, CASE_TYPES, caseTypeName, isCaseStatus, isCaseType, isFinalStatus } from '../../domain/index.js';

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
  it('are the twelve of DOMAIN.md, the same as the database enum', () => {
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
