/**
 * Every rule an automatic decision can name has words in both of the console's languages: a rule
 * without them fell back to its code run together ("Refundreceivedgoods") beside translated ones.
 * The rules are read from the decisions in domain/ and workflows/ (`decision(policy, 'rule', …)`).
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { codesEn } from '../../console/src/lib/i18n/codes-en.js';
import { codesZh } from '../../console/src/lib/i18n/codes-zh.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

function sources(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts'))
    .map((e) => readFileSync(path.join(e.parentPath, e.name), 'utf8'));
}

const rules = new Set(
  [...sources('domain'), ...sources('workflows')].flatMap((text) => [...text.matchAll(/decision\(\s*(?:[\w.]+\s*,\s*)?'([a-z][A-Za-z]+)'/g)].map((m) => m[1]!)),
);

describe('the names of the rules of automatic decisions', () => {
  it('are found in the platform (the scan still works)', () => {
    expect(rules).toContain('refundReceivedGoods');
    expect(rules).toContain('sameDaySolution');
  });

  it('are all in the English and the Chinese dictionary', () => {
    expect([...rules].filter((r) => !codesEn[`rule.${r}`]).sort()).toEqual([]);
    expect([...rules].filter((r) => !codesZh[`rule.${r}`]).sort()).toEqual([]);
  });
});
