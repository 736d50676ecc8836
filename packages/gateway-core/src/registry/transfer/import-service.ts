import { mapWriteError } from '../../db/db-errors.js';
import type { Actor } from '../common/actor.js';
import { newId } from '../common/ids.js';
import type { RegistryContext } from '../registry-context.js';
import type { Bundle, ImportOptions, ImportReport } from './bundle-schema.js';
import { importGateways, importPrompts, importResources, importTools } from './import-registries.js';
import { ImportRun, type ImportServices } from './import-run.js';
import { importRoots, importServers } from './import-servers.js';

export type { ImportServices } from './import-run.js';

class DryRunRollback extends Error {
  constructor(readonly report: ImportReport) {
    super('dry run');
  }
}

/**
 * Imports a bundle in one transaction: all entities are written or none. Existing entities (same name, or
 * URI for resources and roots) follow `conflict_strategy`: skip, update (bumps version), rename (adds
 * `-imported`; resources and roots, identified by URI, are skipped instead) or fail. A dry run performs the
 * whole import and rolls it back, so its report is exactly what a real run would do.
 *
 * @throws GatewayError naming the entity (`entities.<type>.<index>…`): VALIDATION_FAILED, UNPROCESSABLE
 *   (missing reference, undecryptable secret), CONFLICT (strategy fail)
 */
export async function importBundle(
  ctx: RegistryContext,
  services: ImportServices,
  bundle: Bundle,
  options: ImportOptions,
  actor: Actor,
): Promise<ImportReport> {
  const batch = newId();
  const report: ImportReport = {
    dry_run: options.dry_run,
    conflict_strategy: options.conflict_strategy,
    import_batch_id: batch,
    counts: { created: 0, updated: 0, skipped: 0, renamed: 0 },
    actions: [],
  };
  const importActor: Actor = { user: actor.user, via: 'import', importBatchId: batch };
  try {
    await ctx.db.transaction().execute(async (db) => {
      const run = new ImportRun(
        ctx,
        services,
        db,
        options.conflict_strategy,
        importActor,
        report,
        options.rekey_secret,
      );
      // Referenced kinds first, so references resolve to what this import created, renamed or skipped.
      await importGateways(run, bundle.entities.gateways);
      await importTools(run, bundle.entities.tools);
      await importResources(run, bundle.entities.resources);
      await importPrompts(run, bundle.entities.prompts);
      await importServers(run, bundle.entities.servers);
      await importRoots(run, bundle.entities.roots);
      if (options.dry_run) throw new DryRunRollback(report);
    });
  } catch (error) {
    // A dry run always ends here: the rollback is the point.
    if (error instanceof DryRunRollback) return error.report;
    throw mapWriteError(error, 'import');
  }
  for (const prefix of ['gateway:', 'tool:', 'resource:', 'prompt:', 'server:'])
    await ctx.cache.invalidatePrefix(prefix);
  return report;
}
