/**
 * The codes the workflows' source names at a call (`enter('AWAITING_RETURN', …)`,
 * `waitForAgent('PARCEL_LOST', …)`): what tests check against the domain's tables of words, so a new
 * stage, step or wait cannot reach a reader without its name. Read from the source because
 * the workflows decide them in code paths no single test run walks.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const WORKFLOWS = fileURLToPath(new URL('../../workflows/', import.meta.url));

/** Every first capture of the patterns (each with the `g` flag) in workflows/*.ts. */
export function codesInWorkflows(...patterns: RegExp[]): Set<string> {
  const codes = new Set<string>();
  for (const file of readdirSync(WORKFLOWS).filter((f) => f.endsWith('.ts'))) {
    const source = readFileSync(`${WORKFLOWS}${file}`, 'utf8');
    // Every group a pattern captured: a step chosen between two (`answered ? 'A' : 'B'`) names both.
    for (const pattern of patterns) for (const m of source.matchAll(pattern)) for (const code of m.slice(1)) if (code) codes.add(code);
  }
  return codes;
}

/** The call shapes these tests read: a stage entered, a step recorded, an agent wait started. */
export const ENTERED_STAGE = /\benter\('([A-Z_]+)'/g;
export const AGENT_WAIT = /waitForAgent\('([A-Z_]+)'/g;
export const RECORDED_STEP = [/\bstep\('([A-Z_]+)'/g, /\bstep\(\w+ \? '([A-Z_]+)' : '([A-Z_]+)'/g, /\.enter\('[A-Z_]+', '([A-Z_]+)'/g, /\bevent\('[^']*', '([A-Z_]+)'/g, AGENT_WAIT];
