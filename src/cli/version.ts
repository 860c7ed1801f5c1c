/**
 * The package's version for `--version`, read from package.json wherever the command runs from
 * (src/cli under tsx, dist/src/cli once built).
 * @module
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The `version` of the nearest package.json named `imstate` above this file, or `unknown`. */
export const packageVersion = (): string => {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let depth = 0; depth < 6; depth += 1) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) {
      try {
        const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: unknown; version?: unknown };
        if (pkg.name === 'imstate' && typeof pkg.version === 'string') return pkg.version;
      } catch {
        // An unreadable package.json further down is not ours; keep looking up.
      }
    }
    dir = dirname(dir);
  }
  return 'unknown';
};
