/**
 * Prisma's own schema engine, compiled to WebAssembly (`@prisma/schema-engine-wasm`), for what the
 * native CLI engine would do here if it could be downloaded: turn `schema.prisma` into migration SQL
 * with the same differ `prisma migrate dev` uses. (Applying migrations is `migrations.ts`.)
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { PrismaPg } from '@prisma/adapter-pg';
import { bindMigrationAwareSqlAdapterFactory } from '@prisma/driver-adapter-utils';

type Glue = {
  __wbg_set_wasm(exports: WebAssembly.Exports): void;
  SchemaEngine: { new: (options: unknown, log: (line: string) => void, adapter: unknown) => Promise<Engine> };
};
interface Engine {
  diff(params: unknown): Promise<{ exitCode: number; stdout?: string }>;
  free(): void;
}

let glue: Promise<Glue> | undefined;

/** Instantiates the WASM module once per process (its JS glue targets bundlers, so by hand). */
async function loadGlue(): Promise<Glue> {
  glue ??= (async () => {
    const require = createRequire(import.meta.url);
    const gluePath = require.resolve('@prisma/schema-engine-wasm/schema_engine_bg');
    const g = (await import('@prisma/schema-engine-wasm/schema_engine_bg')) as unknown as Glue;
    const bytes = await readFile(path.join(path.dirname(gluePath), 'schema_engine_bg.wasm'));
    const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), { './schema_engine_bg.js': g as unknown as WebAssembly.ModuleImports });
    g.__wbg_set_wasm(instance.exports);
    (instance.exports.__wbindgen_start as () => void)();
    (globalThis as Record<string, unknown>).PRISMA_WASM_PANIC_REGISTRY ??= { set_message: (m: string) => console.error('schema-engine panic:', m) };
    return g;
  })();
  return glue;
}

/**
 * The SQL that creates, from nothing, the schema `schema.prisma` describes — byte for byte what
 * `prisma migrate diff --from-empty --to-schema` prints. No database is read; the adapter is only
 * there because the engine requires one.
 */
export async function sqlForSchema(schemaPath: string, connectionString: string): Promise<string> {
  const g = await loadGlue();
  const schemaText = await readFile(schemaPath, 'utf8');
  const absolute = path.resolve(schemaPath);
  const adapter = bindMigrationAwareSqlAdapterFactory(new PrismaPg({ connectionString, max: 1 }) as never);
  const engine = await g.SchemaEngine.new({ datamodels: [[absolute, schemaText]] }, () => undefined, adapter);
  try {
    const result = await engine.diff({
      from: { tag: 'empty' },
      to: { tag: 'schemaDatamodel', files: [{ path: absolute, content: schemaText }] },
      script: true,
      shadowDatabaseUrl: null,
      exitCode: false,
      filters: { externalTables: [], externalEnums: [] },
    });
    return result.stdout ?? '';
  } finally {
    engine.free();
  }
}
