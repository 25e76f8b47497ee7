// The Prisma schema engine compiled to WebAssembly, driven through a driver adapter. Used at
// development time (creating migrations) and in tests (proving the migrated database matches
// schema.prisma), because the native engine binary cannot be downloaded everywhere.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { bindMigrationAwareSqlAdapterFactory, type SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import { readMigrations, schemaPath } from './migrate.js';

const require = createRequire(import.meta.url);
const emptyFilter = { externalTables: [], externalEnums: [] };

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Engine = any;
let runtime: Promise<Engine> | undefined;

function loadRuntime(): Promise<Engine> {
  runtime ??= (async () => {
    // The package entry does `import "x.wasm"`, which Node 20 rejects: instantiate by hand.
    const glue = await import('@prisma/schema-engine-wasm/schema_engine_bg' as string);
    const wasmPath = join(dirname(require.resolve('@prisma/schema-engine-wasm/schema_engine_bg')), 'schema_engine_bg.wasm');
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const wasm = (globalThis as any).WebAssembly;
    const module = new wasm.Module(await readFile(wasmPath));
    const instance = new wasm.Instance(module, { './schema_engine_bg.js': glue });
    glue.__wbg_set_wasm(instance.exports);
    (instance.exports as { __wbindgen_start: () => void }).__wbindgen_start();
    return glue;
  })();
  return runtime;
}

export async function withSchemaEngine<T>(factory: SqlMigrationAwareDriverAdapterFactory, fn: (engine: Engine) => Promise<T>): Promise<T> {
  const glue = await loadRuntime();
  const engine = await glue.SchemaEngine.new({ datamodels: undefined }, () => {}, bindMigrationAwareSqlAdapterFactory(factory));
  try {
    return await fn(engine);
  } finally {
    engine.free();
  }
}

async function schemaFiles() {
  return [{ path: schemaPath, content: await readFile(schemaPath, 'utf8') }];
}

/** SQL that takes the database behind `factory` to schema.prisma; empty string when it already matches. */
export async function diffDatabaseToSchema(factory: SqlMigrationAwareDriverAdapterFactory): Promise<string> {
  const files = await schemaFiles();
  return withSchemaEngine(factory, async (engine) => {
    const diff = await engine.diff({
      from: { tag: 'schemaDatasource', files, configDir: dirname(schemaPath) },
      to: { tag: 'schemaDatamodel', files },
      script: true,
      exitCode: true,
      filters: emptyFilter,
    });
    return diff.exitCode === 0 ? '' : String(diff.stdout ?? '');
  });
}

export { readMigrations };
