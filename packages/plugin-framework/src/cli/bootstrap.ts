/** `mcpplugins bootstrap`: writes a native or external plugin project from a template. */
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { EXTERNAL_TEMPLATE } from './templates/external-template.js';
import { NATIVE_TEMPLATE } from './templates/native-template.js';

/** Template kinds. */
export type TemplateType = 'native' | 'external';

/** Options of `bootstrapProject`. */
export interface BootstrapOptions {
  destination: string;
  templateType: TemplateType;
  /** Plugin / package name (default: the destination folder's name). */
  name?: string;
  /** List the files without writing them. */
  dryRun?: boolean;
  /** Allow writing into a non-empty folder (existing files are never overwritten). */
  force?: boolean;
}

/**
 * Writes the template's files into `destination`.
 *
 * @returns the relative paths written (or that would be, with `dryRun`)
 * @throws Error when the destination is a non-empty folder (without `force`) or the name is invalid
 */
export function bootstrapProject(options: BootstrapOptions): string[] {
  const destination = resolve(options.destination);
  const name = options.name ?? basename(destination);
  if (!/^(@[a-z0-9-~][a-z0-9-._~]*\/)?[a-z0-9-~][a-z0-9-._~]*$/.test(name)) {
    const origin = options.name ? '--name' : 'the destination folder name (pass --name to choose another)';
    throw new Error(
      `plugin name "${name}" from ${origin} is not a valid npm package name (lower case, digits, - . _ ~, optional @scope/)`,
    );
  }
  const template = options.templateType === 'native' ? NATIVE_TEMPLATE : EXTERNAL_TEMPLATE;
  if (existsSync(destination) && readdirSync(destination).length > 0 && !options.force) {
    throw new Error(
      `destination ${destination} is not empty (use --force to add the template's missing files)`,
    );
  }
  const written: string[] = [];
  for (const [relative, content] of Object.entries(template)) {
    const target = join(destination, relative);
    if (existsSync(target)) continue;
    written.push(relative);
    if (options.dryRun) continue;
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, content.replaceAll('{{NAME}}', name));
  }
  return written;
}
