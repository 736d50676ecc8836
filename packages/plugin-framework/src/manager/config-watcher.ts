/**
 * Watches a configuration file for changes. Editors often replace files (rename over), which
 * `fs.watch` on the file itself misses; watching the directory and filtering by name catches both.
 */
import { watch } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';

/** Calls `onChange` (debounced) whenever `path` changes; returns a stop function. */
export function watchConfigFile(path: string, debounceMs: number, onChange: () => void): () => void {
  const absolute = resolve(path);
  const name = basename(absolute);
  let timer: NodeJS.Timeout | undefined;
  const watcher = watch(dirname(absolute), { persistent: false }, (_event, file) => {
    if (file !== null && file.toString() !== name) return;
    clearTimeout(timer);
    timer = setTimeout(onChange, debounceMs);
  });
  return () => {
    clearTimeout(timer);
    watcher.close();
  };
}
