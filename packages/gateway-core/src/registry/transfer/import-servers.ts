import { GatewayError } from '../../errors.js';
import { promptRepository } from '../prompts/prompt-repository.js';
import { resourceRepository } from '../resources/resource-repository.js';
import { serverRepository } from '../servers/server-repository.js';
import { serverCreateSchema, serverUpdateSchema } from '../servers/server-schemas.js';
import { toolRepository } from '../tools/tool-repository.js';
import type { Bundle } from './bundle-schema.js';
import { at, type ImportRun, parse, pick } from './import-run.js';

/** Imports the bundle's servers. */
export async function importServers(run: ImportRun, list: Bundle['entities']['servers']): Promise<void> {
  for (const [i, s] of (list ?? []).entries()) {
    const path = `entities.servers.${i}`;
    await at(path, async () => {
      const resolve = async (
        kind: 'tools' | 'resources' | 'prompts',
        key: string,
        j: number,
      ): Promise<string> => {
        const local =
          kind === 'tools'
            ? run.toolIds.get(key)
            : kind === 'resources'
              ? run.resourceIds.get(key)
              : run.promptIds.get(key);
        const found =
          local ??
          (kind === 'tools'
            ? (await toolRepository.findByName(run.db, key))?.id
            : kind === 'resources'
              ? (await resourceRepository.findByUri(run.db, key))?.id
              : (await promptRepository.findByName(run.db, key))?.id);
        if (!found) {
          throw new GatewayError(
            'UNPROCESSABLE',
            `associated_${kind}.${j} refers to '${key}', which is neither in the bundle nor in this gateway`,
            { field: `associated_${kind}.${j}` },
          );
        }
        return found;
      };
      const members = {
        associated_tools: await Promise.all(
          (s.associated_tools ?? []).map(async (m, j) => ({
            id: await resolve('tools', m.name, j),
            alias: m.alias ?? null,
          })),
        ),
        associated_resources: await Promise.all(
          (s.associated_resources ?? []).map((u, j) => resolve('resources', u, j)),
        ),
        associated_prompts: await Promise.all(
          (s.associated_prompts ?? []).map((n, j) => resolve('prompts', n, j)),
        ),
      };
      const fields = { ...pick(s, ['icon']), ...members };
      const existing = await serverRepository.findByName(run.db, s.name);
      if (existing && run.strategy === 'skip')
        return run.record({ type: 'servers', name: s.name, action: 'skip', id: existing.id });
      if (existing && run.strategy === 'fail') throw run.conflictFail(`server '${s.name}'`);
      if (existing && run.strategy === 'update') {
        await run.services.servers.updateIn(
          run.db,
          existing.id,
          parse(serverUpdateSchema, fields),
          run.actor,
        );
        return run.record({ type: 'servers', name: s.name, action: 'update', id: existing.id });
      }
      const name = existing
        ? await run.renamed(s.name, async (c) => !!(await serverRepository.findByName(run.db, c)))
        : s.name;
      const id0 = await run.freeId('servers', s.id);
      const out = await run.services.servers.createIn(
        run.db,
        parse(serverCreateSchema, { ...fields, name, ...(id0 ? { id: id0 } : {}) }),
        run.actor,
      );
      run.record({
        type: 'servers',
        name: s.name,
        action: existing ? 'rename' : 'create',
        id: out.id,
        ...(existing ? { new_name: name } : {}),
      });
    });
  }
}

/** Imports the bundle's roots. */
export async function importRoots(run: ImportRun, list: Bundle['entities']['roots']): Promise<void> {
  for (const [i, r] of (list ?? []).entries()) {
    const path = `entities.roots.${i}`;
    await at(path, async () => {
      const existing = await run.db
        .selectFrom('roots')
        .selectAll()
        .where('uri', '=', r.uri)
        .executeTakeFirst();
      if (existing && run.strategy === 'fail') throw run.conflictFail(`root '${r.uri}'`);
      if (existing && run.strategy === 'update') {
        await run.db
          .updateTable('roots')
          .set({ name: r.name ?? null })
          .where('id', '=', existing.id)
          .execute();
        return run.record({ type: 'roots', name: r.uri, action: 'update', id: existing.id });
      }
      if (existing)
        return run.record({
          type: 'roots',
          name: r.uri,
          action: 'skip',
          id: existing.id,
          ...(run.strategy === 'rename'
            ? { reason: 'roots are identified by URI and cannot be renamed' }
            : {}),
        });
      const id0 = await run.freeId('roots', r.id);
      const out = await run.services.roots.createIn(run.db, {
        uri: r.uri,
        name: r.name ?? null,
        ...(id0 ? { id: id0 } : {}),
      });
      run.record({ type: 'roots', name: r.uri, action: 'create', id: out.id });
    });
  }
}
