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
import { consoleEn as en } from '../../console/src/lib/i18n/console-en.js';
import { consoleZh as zh } from '../../console/src/lib/i18n/console-zh.js';

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
