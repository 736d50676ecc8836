import { readFileSync, writeFileSync } from 'node:fs';
import {
  BUNDLE_TYPES,
  bundleSchema,
  type ConflictStrategy,
  createGateway,
  createLogger,
  exportBundle,
  GatewayError,
  importBundle,
} from '@contextforge/gateway-core';
import { configFor } from './load.js';

async function withGateway<T>(
  envFile: string | undefined,
  work: (gw: Awaited<ReturnType<typeof createGateway>>) => Promise<T>,
): Promise<T> {
  const config = configFor(envFile);
  // The bundle goes straight to and from the database: no HTTP, so no security layer (and no bootstrap).
  const gw = await createGateway(config, {
    auth: false,
    plugins: false,
    // Nor the MCP side: a command must not connect to (or spawn) the upstreams it exports or imports.
    mcp: false,
    logger: createLogger(config.LOG_LEVEL === 'info' ? 'warn' : config.LOG_LEVEL),
  });
  try {
    return await work(gw);
  } finally {
    await gw.close();
  }
}

/** `contextforge export`: writes a bundle of the registry (from the configured database) to a file or stdout. */
export async function exportCommand(options: {
  output?: string;
  types?: string;
  tags?: string;
  includeInactive: boolean;
  envFile?: string;
}): Promise<void> {
  const types = options.types
    ?.split(',')
    .map((t) => t.trim())
    .filter(Boolean);
  for (const t of types ?? []) {
    if (!(BUNDLE_TYPES as readonly string[]).includes(t))
      throw new GatewayError(
        'BAD_REQUEST',
        `--types: unknown type '${t}' (expected ${BUNDLE_TYPES.join(', ')})`,
      );
  }
  const bundle = await withGateway(options.envFile, (gw) =>
    exportBundle(
      gw.context,
      {
        ...(types ? { types: types as (typeof BUNDLE_TYPES)[number][] } : {}),
        ...(options.tags ? { tags: options.tags.split(',').map((t) => t.trim()) } : {}),
        includeInactive: options.includeInactive,
      },
      { user: null, via: 'cli' },
    ),
  );
  const text = `${JSON.stringify(bundle, null, 2)}\n`;
  if (options.output && options.output !== '-') {
    writeFileSync(options.output, text);
    const counts = Object.entries(bundle.entities)
      .map(([k, v]) => `${(v as unknown[]).length} ${k}`)
      .join(', ');
    process.stderr.write(`exported ${counts} to ${options.output}\n`);
  } else {
    process.stdout.write(text);
  }
}

/** `contextforge import FILE`: imports a bundle into the configured database and prints the report. */
export async function importCommand(
  file: string,
  options: { conflictStrategy: string; dryRun?: boolean; rekeySecret?: string; envFile?: string },
): Promise<void> {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file === '-' ? 0 : file, 'utf8'));
  } catch (cause) {
    throw new GatewayError(
      'BAD_REQUEST',
      `${file} is not a readable JSON bundle: ${(cause as Error).message}`,
      { cause },
    );
  }
  const parsed = bundleSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new GatewayError(
      'VALIDATION_FAILED',
      `${file}: ${issue?.path.join('.') || 'bundle'}: ${issue?.message}`,
    );
  }
  const report = await withGateway(options.envFile, (gw) =>
    importBundle(
      gw.context,
      gw.services,
      parsed.data,
      {
        conflict_strategy: options.conflictStrategy as ConflictStrategy,
        dry_run: options.dryRun ?? false,
        ...(options.rekeySecret ? { rekey_secret: options.rekeySecret } : {}),
      },
      { user: null, via: 'cli' },
    ),
  );
  const c = report.counts;
  process.stdout.write(
    `${report.dry_run ? 'dry run: would import' : 'imported'}: ${c.created} created, ${c.updated} updated, ${c.skipped} skipped, ${c.renamed} renamed (conflict strategy ${report.conflict_strategy})\n`,
  );
  for (const a of report.actions) {
    process.stdout.write(
      `  ${a.action.padEnd(6)} ${a.type.slice(0, -1)} ${a.name}${a.new_name ? ` -> ${a.new_name}` : ''}${a.reason ? ` (${a.reason})` : ''}\n`,
    );
  }
}
