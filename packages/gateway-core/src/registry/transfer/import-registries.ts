import { composeName } from '../common/naming.js';
import { gatewayRepository } from '../gateways/gateway-repository.js';
import { gatewayRecordCreateSchema, gatewayRecordUpdateSchema } from '../gateways/gateway-schemas.js';
import { promptRepository } from '../prompts/prompt-repository.js';
import { promptCreateSchema, promptUpdateSchema } from '../prompts/prompt-schemas.js';
import { resourceRepository } from '../resources/resource-repository.js';
import { resourceCreateSchema, resourceUpdateSchema } from '../resources/resource-schemas.js';
import { toolRepository } from '../tools/tool-repository.js';
import { toolCreateSchema, toolUpdateSchema } from '../tools/tool-schemas.js';
import type { Bundle } from './bundle-schema.js';
import { at, type ImportRun, parse, pick } from './import-run.js';

/** Imports the bundle's gateways. */
export async function importGateways(run: ImportRun, list: Bundle['entities']['gateways']): Promise<void> {
  for (const [i, g] of (list ?? []).entries()) {
    const path = `entities.gateways.${i}`;
    await at(path, async () => {
      const fields = pick(g, [
        'url',
        'transport',
        'command',
        'args',
        'headers',
        'passthrough_headers',
        'prefix_names',
      ]);
      const authValue = run.reseal(g.auth_value);
      const existing = await gatewayRepository.findByName(run.db, g.name);
      let id: string;
      if (existing && run.strategy === 'skip') {
        run.record({ type: 'gateways', name: g.name, action: 'skip', id: existing.id });
        run.gatewayIds.set(g.name, existing.id);
        return;
      }
      if (existing && run.strategy === 'fail') throw run.conflictFail(`gateway '${g.name}'`);
      if (existing && run.strategy === 'update') {
        await run.services.gateways.updateIn(
          run.db,
          existing,
          parse(gatewayRecordUpdateSchema, fields),
          run.actor,
          [],
        );
        id = existing.id;
        run.record({ type: 'gateways', name: g.name, action: 'update', id });
      } else {
        const name = existing
          ? await run.renamed(g.name, async (c) => !!(await gatewayRepository.findByName(run.db, c)))
          : g.name;
        const id0 = await run.freeId('gateways', g.id);
        const row = await run.services.gateways.createIn(
          run.db,
          { ...parse(gatewayRecordCreateSchema, { ...fields, name }), ...(id0 ? { id: id0 } : {}) },
          run.actor,
        );
        id = row.id;
        run.record({
          type: 'gateways',
          name: g.name,
          action: existing ? 'rename' : 'create',
          id,
          ...(existing ? { new_name: name } : {}),
        });
      }
      await gatewayRepository.update(run.db, id, {
        auth_type: authValue ? (g.auth_type ?? null) : null,
        auth_value: authValue,
      });
      run.gatewayIds.set(g.name, id);
    });
  }
}

/** Imports the bundle's tools. */
export async function importTools(run: ImportRun, list: Bundle['entities']['tools']): Promise<void> {
  for (const [i, t] of (list ?? []).entries()) {
    const path = `entities.tools.${i}`;
    await at(path, async () => {
      const gw = await run.gatewayRef(t.gateway_name);
      const custom = t.custom_name ?? t.name;
      const exposed = composeName(gw.slug, run.sep, custom);
      const fields = pick(t, [
        'title',
        'integration_type',
        'request_type',
        'url',
        'headers',
        'input_schema',
        'output_schema',
        'annotations',
        'jsonpath_filter',
      ]);
      const authValue = run.reseal(t.auth_value);
      const existing = await toolRepository.findByName(run.db, exposed);
      let id: string;
      if (existing && run.strategy === 'skip') {
        run.record({ type: 'tools', name: t.name, action: 'skip', id: existing.id });
        run.toolIds.set(t.name, existing.id);
        return;
      }
      if (existing && run.strategy === 'fail') throw run.conflictFail(`tool '${exposed}'`);
      if (existing && run.strategy === 'update') {
        await run.services.tools.updateIn(
          run.db,
          existing,
          parse(toolUpdateSchema, { ...fields, gateway_id: gw.id }),
          run.actor,
        );
        id = existing.id;
        run.record({ type: 'tools', name: t.name, action: 'update', id });
      } else {
        const name = existing
          ? await run.renamed(
              custom,
              async (c) => !!(await toolRepository.findByName(run.db, composeName(gw.slug, run.sep, c))),
            )
          : custom;
        const id0 = await run.freeId('tools', t.id);
        const input = {
          ...parse(toolCreateSchema, { ...fields, name, ...(gw.id ? { gateway_id: gw.id } : {}) }),
          ...(id0 ? { id: id0 } : {}),
          original_name: t.original_name ?? custom,
        };
        id = (await run.services.tools.createIn(run.db, input, run.actor)).id;
        run.record({
          type: 'tools',
          name: t.name,
          action: existing ? 'rename' : 'create',
          id,
          ...(existing ? { new_name: composeName(gw.slug, run.sep, name) } : {}),
        });
      }
      await toolRepository.update(run.db, id, {
        auth_type: authValue ? (t.auth_type ?? null) : null,
        auth_value: authValue,
      });
      run.toolIds.set(t.name, id);
    });
  }
}

/** Imports the bundle's resources. */
export async function importResources(run: ImportRun, list: Bundle['entities']['resources']): Promise<void> {
  for (const [i, r] of (list ?? []).entries()) {
    const path = `entities.resources.${i}`;
    await at(path, async () => {
      const gw = await run.gatewayRef(r.gateway_name);
      const fields = pick(r, ['name', 'title', 'mime_type', 'content', 'blob']);
      const uriField = r.uri_template ? { uri_template: r.uri_template } : { uri: r.uri };
      const existing = await resourceRepository.findByUri(run.db, r.uri);
      if (existing && (run.strategy === 'skip' || run.strategy === 'rename')) {
        run.record({
          type: 'resources',
          name: r.uri,
          action: 'skip',
          id: existing.id,
          ...(run.strategy === 'rename'
            ? { reason: 'resources are identified by URI and cannot be renamed' }
            : {}),
        });
        run.resourceIds.set(r.uri, existing.id);
        return;
      }
      if (existing && run.strategy === 'fail') throw run.conflictFail(`resource '${r.uri}'`);
      if (existing) {
        const full = await resourceRepository.findById(run.db, existing.id);
        await run.services.resources.updateIn(
          run.db,
          full!,
          parse(resourceUpdateSchema, { ...fields, ...uriField, gateway_id: gw.id }),
          run.actor,
        );
        run.resourceIds.set(r.uri, existing.id);
        run.record({ type: 'resources', name: r.uri, action: 'update', id: existing.id });
        return;
      }
      const id0 = await run.freeId('resources', r.id);
      const row = await run.services.resources.createIn(
        run.db,
        {
          ...parse(resourceCreateSchema, {
            ...fields,
            ...uriField,
            ...(gw.id ? { gateway_id: gw.id } : {}),
          }),
          ...(id0 ? { id: id0 } : {}),
        },
        run.actor,
      );
      run.resourceIds.set(r.uri, row.id);
      run.record({ type: 'resources', name: r.uri, action: 'create', id: row.id });
    });
  }
}

/** Imports the bundle's prompts. */
export async function importPrompts(run: ImportRun, list: Bundle['entities']['prompts']): Promise<void> {
  for (const [i, p] of (list ?? []).entries()) {
    const path = `entities.prompts.${i}`;
    await at(path, async () => {
      const gw = await run.gatewayRef(p.gateway_name);
      const custom = p.custom_name ?? p.name;
      const exposed = composeName(gw.slug, run.sep, custom);
      const fields = pick(p, ['title', 'template', 'arguments']);
      const existing = await promptRepository.findByName(run.db, exposed);
      if (existing && run.strategy === 'skip') {
        run.record({ type: 'prompts', name: p.name, action: 'skip', id: existing.id });
        run.promptIds.set(p.name, existing.id);
        return;
      }
      if (existing && run.strategy === 'fail') throw run.conflictFail(`prompt '${exposed}'`);
      if (existing && run.strategy === 'update') {
        await run.services.prompts.updateIn(
          run.db,
          existing,
          parse(promptUpdateSchema, { ...fields, gateway_id: gw.id }),
          run.actor,
        );
        run.promptIds.set(p.name, existing.id);
        run.record({ type: 'prompts', name: p.name, action: 'update', id: existing.id });
        return;
      }
      const name = existing
        ? await run.renamed(
            custom,
            async (c) => !!(await promptRepository.findByName(run.db, composeName(gw.slug, run.sep, c))),
          )
        : custom;
      const id0 = await run.freeId('prompts', p.id);
      const input = {
        ...parse(promptCreateSchema, { ...fields, name, ...(gw.id ? { gateway_id: gw.id } : {}) }),
        ...(id0 ? { id: id0 } : {}),
        original_name: p.original_name ?? custom,
      };
      const row = await run.services.prompts.createIn(run.db, input, run.actor);
      run.promptIds.set(p.name, row.id);
      run.record({
        type: 'prompts',
        name: p.name,
        action: existing ? 'rename' : 'create',
        id: row.id,
        ...(existing ? { new_name: composeName(gw.slug, run.sep, name) } : {}),
      });
    });
  }
}
