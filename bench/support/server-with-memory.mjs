// The dev server's own executable (devserver/bin/temporal-dev.js, same arguments), which also
// answers SIGUSR2 with one line on stderr: `MEMORY {process.memoryUsage()}` after a full garbage
// collection (when run with --expose-gc) — how the resident set divides between the V8 heap (live
// and committed), Buffers and the rest (bench/case-memory.ts).
import path from 'node:path';
import { pathToFileURL } from 'node:url';

process.on('SIGUSR2', () => {
  globalThis.gc?.();
  process.stderr.write(`MEMORY ${JSON.stringify(process.memoryUsage())}\n`);
});
const bin = process.env.BENCH_SERVER_BIN ?? new URL('../../devserver/bin/temporal-dev.js', import.meta.url).pathname;
process.argv.splice(1, 1, path.resolve(bin)); // the server reads its flags from process.argv.slice(2)
await import(pathToFileURL(path.resolve(bin)).href);
