/**
 * A JSON body with a field twice (`{"customer": {…}, "customer": {…}}`) is refused: JSON.parse keeps
 * the last one silently, other parsers the first, so a proxy or a signature check could read another
 * case than the one opened (an integrator's trial opened a case for the second customer of two).
 */
import { MAX_DEPTH, printable } from './input-safety.js';

/** A key as a field name: escaped as input-safety shows names, and at most 64 characters of it. */
const named = (key: string) => {
  const shown = printable(key);
  return shown.length > 64 ? `${shown.slice(0, 64)}…` : shown;
};

type Frame = { path: string; keys?: Set<string>; expectKey?: boolean; key?: string; index: number };

/** The path (`body.customer`, `body.lines[0].sku`) of the first key an object of `text` repeats; `text` is valid JSON. */
export function firstDuplicateKey(text: string): string | undefined {
  const stack: Frame[] = [];
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22 /* " */) {
      const start = i;
      let escaped = false;
      for (i++; i < n; i++) {
        const d = text.charCodeAt(i);
        if (d === 0x5c /* \ */) {
          escaped = true;
          i++; // the escaped character: an escaped quote does not end the string
        } else if (d === 0x22) break;
      }
      const top = stack.at(-1);
      if (top?.keys && top.expectKey) {
        // "a" and "\u0061" are one key.
        const key = escaped ? (JSON.parse(text.slice(start, i + 1)) as string) : text.slice(start + 1, i);
        if (top.keys.has(key)) return `${top.path}.${named(key)}`;
        top.keys.add(key);
        top.key = key;
        top.expectKey = false;
      }
    } else if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      // Deeper than any body the API takes (api/input-safety.ts refuses it, saying so): not looked into.
      if (stack.length > MAX_DEPTH) return undefined;
      const top = stack.at(-1);
      const path = !top ? 'body' : top.keys ? `${top.path}.${named(top.key!)}` : `${top.path}[${top.index}]`;
      stack.push(c === 0x7b ? { path, keys: new Set(), expectKey: true, index: 0 } : { path, index: 0 });
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) stack.pop();
    else if (c === 0x2c /* , */) {
      const top = stack.at(-1)!;
      if (top.keys) top.expectKey = true;
      else top.index += 1;
    }
  }
  return undefined;
}
