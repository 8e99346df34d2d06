/**
 * Builds fixtures-app/dist for the image: each server bundled into one file with its dependencies
 * (sockjs, ws), so the image needs nothing but Debian's Node; and the browser libraries copied next to it.
 */
import { copyFileSync, mkdirSync, rmSync } from "node:fs";
import path from "node:path";
import { build } from "esbuild";
import { packageInfo } from "../lib/package-dir";

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
    copyFileSync(path.join(packageInfo(pkg).dir, file), path.join(dist, "public", path.basename(file)));
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
