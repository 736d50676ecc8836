/**
 * @contextforge/plugins-all — depends on every built-in plugin package so one install brings
 * them all.
 */
export { PACKAGE_NAME, VERSION } from './version.js';

/** npm names of the built-in plugin packages this meta-package installs. */
export const PLUGIN_PACKAGES: readonly string[] = [];
