import { readFileSync } from "node:fs";
import path from "node:path";

/**
 * A dependency's folder and version, found as Node finds the package: an installed proxylab has its dependencies
 * hoisted beside it, not inside; a package's `exports` may hide its package.json and bundled files.
 */
export function packageInfo(name: string): { dir: string; version: string } {
  for (let dir = path.dirname(require.resolve(name)); dir !== path.dirname(dir); dir = path.dirname(dir)) {
    try {
      const pkg = JSON.parse(readFileSync(path.join(dir, "package.json"), "utf8")) as {
        name?: string;
        version: string;
      };
      if (pkg.name === name) return { dir, version: pkg.version };
    } catch {
      // no package.json here: keep going up
    }
  }
  throw new Error(`cannot find the folder of ${name}`);
}
