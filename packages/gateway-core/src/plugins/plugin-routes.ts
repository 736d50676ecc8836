import {
  errorMessage,
  LEGACY_MODES,
  PLUGIN_MODES,
  PluginError,
  type PluginInfo,
  type PluginManager,
} from '@contextforge/plugin-framework';
import { z } from 'zod';
import { principalIfAny } from '../auth/http/request-context.js';
import { AuditRecorder } from '../auth/services/audit-recorder.js';
import { GatewayError } from '../errors.js';
import { defineRoute, type RouteDef } from '../http/route-def.js';
import { pluginView, pluginViewSchema } from './plugin-view.js';

const nameParams = z.object({ name: z.string().min(1).max(255) }).strict();

const MODES = [...PLUGIN_MODES, ...Object.keys(LEGACY_MODES)] as [string, ...string[]];

const listSchema = z.object({
  plugins_enabled: z.boolean().describe('PLUGINS_ENABLED'),
  total: z.number(),
  enabled_count: z.number(),
  disabled_count: z.number(),
  plugins: z.array(pluginViewSchema),
});

/** What the plugin routes need. */
export interface PluginRoutesOptions {
  /** The running manager; undefined when PLUGINS_ENABLED is false. */
  manager: () => PluginManager | undefined;
  /** Where mode switches are recorded (undefined without the security layer). */
  audit: AuditRecorder | undefined;
}

function notFound(name: string, manager: PluginManager | undefined): GatewayError {
  return new GatewayError(
    'NOT_FOUND',
    manager
      ? `no plugin named "${name}" (configured: ${
          manager
            .listPlugins()
            .map((p) => p.name)
            .join(', ') || 'none'
        })`
      : `no plugin named "${name}": plugins are off (PLUGINS_ENABLED=false)`,
  );
}

/** The framework's errors of a mode switch as the gateway's. */
function switchError(error: unknown, name: string): unknown {
  if (!(error instanceof PluginError)) return error;
  if (error.code === 'PLUGIN_NOT_FOUND') return new GatewayError('NOT_FOUND', error.message);
  if (error.code === 'PLUGIN_CONFIG_INVALID')
    return new GatewayError('VALIDATION_FAILED', error.message, { field: 'mode' });
  return new GatewayError('UNPROCESSABLE', `plugin "${name}" cannot be enabled: ${errorMessage(error)}`, {
    cause: error,
  });
}

/**
 * `GET /v1/plugins`, `GET /v1/plugins/{name}` (`plugins.read`: what is loaded, its hooks, mode, priority,
 * `on_error` and call statistics) and `PUT /v1/plugins/{name}` (`admin.plugins`: switch a plugin's mode at
 * run time, or back to its YAML mode with `{"mode": null}`; audited as `config.changed`). The switch lives in
 * this process until the next restart and survives reloads of an unchanged entry.
 */
export function pluginRoutes(o: PluginRoutesOptions): RouteDef[] {
  const find = (name: string): { manager: PluginManager; info: PluginInfo } => {
    const manager = o.manager();
    const info = manager?.getPlugin(name);
    if (!manager || !info) throw notFound(name, manager);
    return { manager, info };
  };
  return [
    defineRoute({
      method: 'GET',
      path: '/v1/plugins',
      permission: 'plugins.read',
      tag: 'Plugins',
      summary:
        'Plugins loaded from PLUGINS_CONFIG_FILE, in file order: hooks, mode, priority, on_error, status and call statistics',
      response: listSchema,
      handler: async () => {
        const plugins = (o.manager()?.listPlugins() ?? []).map(pluginView);
        const enabled = plugins.filter((p) => p.status === 'enabled').length;
        return {
          body: {
            plugins_enabled: o.manager() !== undefined,
            total: plugins.length,
            enabled_count: enabled,
            disabled_count: plugins.length - enabled,
            plugins,
          },
        };
      },
    }),
    defineRoute({
      method: 'GET',
      path: '/v1/plugins/{name}',
      permission: 'plugins.read',
      tag: 'Plugins',
      summary: 'One plugin with its call statistics',
      params: nameParams,
      response: pluginViewSchema,
      handler: async ({ params }) => ({ body: pluginView(find(params.name).info) }),
    }),
    defineRoute({
      method: 'PUT',
      path: '/v1/plugins/{name}',
      permission: 'admin.plugins',
      tag: 'Plugins',
      summary:
        'Switch a plugin’s mode at run time (sequential, transform, audit, concurrent, fire_and_forget, disabled; legacy enforce, permissive, enforce_ignore_error), or back to its YAML mode with null; takes effect on the next call',
      params: nameParams,
      body: z.object({ mode: z.enum(MODES).nullable() }).strict(),
      response: pluginViewSchema,
      handler: async ({ params, body, c }) => {
        const { manager, info: before } = find(params.name);
        let after: PluginInfo;
        try {
          after =
            body.mode === null
              ? await manager.resetMode(params.name)
              : await manager.setMode(params.name, body.mode as Parameters<PluginManager['setMode']>[1]);
        } catch (error) {
          throw switchError(error, params.name);
        }
        c.set('audited', true);
        o.audit?.record(AuditRecorder.actorOf(c, principalIfAny(c)), {
          action: 'config.changed',
          target: { type: 'plugin', name: params.name },
          details: {
            setting: 'plugin.mode',
            previous: before.mode,
            mode: after.mode,
            ...(body.mode === null ? { reset: true } : {}),
          },
        });
        return { body: pluginView(after) };
      },
    }),
  ];
}
