// The hub's own folder (where package.json is), the same whether it runs from the TypeScript
// sources or from the compiled build in dist/, which mirrors them one level further down: files
// that are not code (migrations, the built dashboard) are read from here, never copied.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function findRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) throw new Error(`no package.json above ${from}`);
  }
}

export const PACKAGE_ROOT = findRoot(dirname(fileURLToPath(import.meta.url)));

/** A path inside the hub's folder, e.g. `fromRoot('server', 'store', 'migrations')`. */
export const fromRoot = (...parts: string[]): string => join(PACKAGE_ROOT, ...parts);
