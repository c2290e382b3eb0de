/**
 * Codes inside step data read as words, in English and Chinese (no browser: the console's
 * dictionaries and the platform's sources). A staff trial read "Kind: short" on a case's timeline:
 * a count that differed ({ sku, expected, received, kind: 'SHORT' }) was shown by the English
 * words `value.SHORT`, which were the code in lower case — read as a raw code. Every `kind` the
 * domain and workflows put in step data has words of its own in both languages, and no English words
 * for a value are just its code lowercased, so a new code of either sort is caught here.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { codesEn } from '../../console/src/lib/i18n/codes-en.js';
import { codesZh } from '../../console/src/lib/i18n/codes-zh.js';
import { consoleEn } from '../../console/src/lib/i18n/console-en.js';
import { consoleZh } from '../../console/src/lib/i18n/console-zh.js';
import { CASE_STAGE_NAMES, CASE_STATUS_NAMES, CASE_TYPE_NAMES, type Names } from '../../domain/case-types.js';
import { DOCUMENT_NAMES } from '../../domain/fulfilment/documents.js';
import { ROOT_CAUSE_CATEGORY_NAMES } from '../../domain/fulfilment/root-cause.js';
import { STEP_NAMES } from '../../domain/step-names.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** The console's code words (en.ts and zh.ts merge these; the rest are its own screens' words). */
const en: Record<string, string> = { ...codesEn, ...consoleEn };
const zh: Record<string, string> = { ...codesZh, ...consoleZh };
/** The platform's own names of its codes, as console/src/lib/i18n/domain-names.ts has them. */
const DOMAIN_NAMES: Array<Record<string, Names>> = [CASE_TYPE_NAMES, CASE_STATUS_NAMES, CASE_STAGE_NAMES, DOCUMENT_NAMES, ROOT_CAUSE_CATEGORY_NAMES, STEP_NAMES];
const chinese = (text: string | undefined) => !!text && /[\u4e00-\u9fff]/.test(text);

/** Every code the platform's sources give a `kind` (`kind: 'SHORT' | 'OVER'`, `kind: 'CAP'`). */
function kindCodes(): string[] {
  const codes = new Set<string>();
  for (const dir of ['domain', 'workflows']) {
    for (const e of readdirSync(path.join(ROOT, dir), { withFileTypes: true, recursive: true })) {
      if (!e.isFile() || !e.name.endsWith('.ts')) continue;
      const text = readFileSync(path.join(e.parentPath, e.name), 'utf8');
      for (const m of text.matchAll(/\bkind\??: ('[A-Z][A-Z0-9_]+'(?: \| '[A-Z][A-Z0-9_]+')*)/g)) for (const c of m[1]!.matchAll(/'([A-Z0-9_]+)'/g)) codes.add(c[1]!);
    }
  }
  return [...codes].sort();
}

/** The words label('kind', code) finds (console/src/lib/i18n/index.ts): `kind.*`, else the shared `value.*` or the platform's names. */
const words = (dict: Record<string, string>, lang: 'en' | 'zh-CN', code: string) => dict[`kind.${code}`] ?? dict[`value.${code}`] ?? DOMAIN_NAMES.find((table) => table[code])?.[code]?.[lang];

describe('codes in step data, in words', () => {
  it('finds the kinds of the domain (the scan still works)', () => {
    expect(kindCodes()).toEqual(expect.arrayContaining(['SHORT', 'OVER', 'UNEXPECTED', 'DAMAGED_BY_CUSTOMER', 'SHIPPING']));
  });

  it("every kind the domain gives a line has words in English and Chinese: a count that differs reads 'Fewer than expected', not 'short'", () => {
    const without = kindCodes().filter((code) => {
      const english = words(en, 'en', code);
      return !english || english === code || !chinese(words(zh, 'zh-CN', code));
    });
    expect(without).toEqual([]);
    expect(words(en, 'en', 'SHORT')).toBe('Fewer than expected');
    expect(words(zh, 'zh-CN', 'SHORT')).toBe('少于应收');
  });

  it('no English words of a coded value are the code itself in lower case (it would read as a raw code: "Kind: short")', () => {
    const rawLooking = Object.entries(en)
      .filter(([key]) => /^(value|kind|outcome|reason|condition|resolution|finding|cause|degree|trace)\.[A-Z0-9_]+$/.test(key))
      .filter(([key, text]) => {
        const code = key.slice(key.indexOf('.') + 1);
        return text === code.toLowerCase() || text === code.toLowerCase().replaceAll('_', ' ') || /^[a-z]/.test(text);
      })
      .map(([key, text]) => `${key}: ${text}`);
    expect(rawLooking).toEqual([]);
  });
});
