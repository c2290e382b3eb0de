import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

// domain/ (and its folders, such as fulfilment/) runs inside Temporal's deterministic workflow
// sandbox: it may import only domain modules (and types), and must not reach for the clock,
// randomness, the environment or I/O.
const dir = new URL('../../domain/', import.meta.url);
const files = (readdirSync(dir, { recursive: true }) as string[]).filter((f) => f.endsWith('.ts'));

describe('domain/ is pure', () => {
  it('looks at the subfolders too', () => expect(files).toContain('fulfilment/index.ts'));
  it.each(files)('%s imports only domain modules', (file) => {
    const source = readFileSync(new URL(file, dir), 'utf8');
    const imports = [...source.matchAll(/^\s*(import|export)\s+(type\s+)?[^;]*?from\s+'([^']+)'/gm)].filter((m) => !m[2]).map((m) => m[3]);
    const inside = (p: string) => /^(\.\/|\.\.\/)([a-z-]+\/)?[a-z-]+\.js$/.test(p) && !new URL(p, new URL(file, dir)).href.replace(dir.href, '').startsWith('..');
    expect(imports.filter((p) => !inside(p!))).toEqual([]);
  });
  it.each(files)('%s uses no clock, randomness, environment or timers', (file) => {
    const source = readFileSync(new URL(file, dir), 'utf8').replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '');
    expect(source).not.toMatch(/Date\.now\(|new Date\(\)|Math\.random|process\.|require\(|setTimeout|setInterval|globalThis|fetch\(/);
  });
});
