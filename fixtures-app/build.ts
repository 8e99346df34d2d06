/**
 * Builds fixtures-app/dist for the image: each server bundled into one file with its dependencies
 * (sockjs, ws), so the image needs nothing but Debian's Node; and the browser libraries copied next to it.
 */
import { copyFileSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { build } from "esbuild";

const here = __dirname;
const dist = path.join(here, "dist");

async function main(): Promise<void> {
  rmSync(dist, { recursive: true, force: true });
  await build({
    entryPoints: { "app/main": path.join(here, "src/app/main.ts"), "idp/main": path.join(here, "src/idp/main.ts") },
    outdir: dist,
    bundle: true,
    platform: "node",
    // Debian bookworm's nodejs.
    target: "node18",
    format: "cjs",
    logLevel: "warning",
  });
  mkdirSync(path.join(dist, "public"), { recursive: true });
  for (const [pkg, file] of [
    ["sockjs-client", "dist/sockjs.min.js"],
    ["@stomp/stompjs", "bundles/stomp.umd.min.js"],
  ] as const) {
    copyFileSync(path.join(packageDir(pkg), file), path.join(dist, "public", path.basename(file)));
  }
}

/**
 * A dependency's folder, found as Node finds the package (an installed proxylab has its dependencies hoisted
 * beside it, not inside); its `exports` may not list the bundled file itself.
 */
function packageDir(name: string): string {
  for (let dir = path.dirname(require.resolve(name)); dir !== path.dirname(dir); dir = path.dirname(dir)) {
    try {
      if ((JSON.parse(readFileSync(path.join(dir, "package.json"), "utf8")) as { name?: string }).name === name)
        return dir;
    } catch {
      // no package.json here: keep going up
    }
  }
  throw new Error(`cannot find the folder of ${name}`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
