/** Builds a manager from inline YAML with the test factories (and a silent logger). */
import { fileURLToPath } from 'node:url';
import {
  createGlobalContext,
  type GlobalContext,
  PluginManager,
  parsePluginsYaml,
  silentLogger,
} from '../../src/index.js';
import { testFactories } from './test-plugins.js';

/** The test folder (local-path kinds resolve against it). */
export const testDir = fileURLToPath(new URL('..', import.meta.url));

/** An initialized manager for `yaml`. */
export async function managerFor(yaml: string): Promise<PluginManager> {
  const manager = new PluginManager({
    config: parsePluginsYaml(yaml, '<test>', process.env, testDir),
    factories: testFactories,
    logger: silentLogger,
  });
  await manager.initialize();
  return manager;
}

/** A global context for one request. */
export function gctx(init: Partial<GlobalContext> = {}): GlobalContext {
  return createGlobalContext({ requestId: 'req-1', ...init });
}
