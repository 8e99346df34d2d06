/**
 * `npm run clean`: removes every container and network of the harness (running or not, kept with
 * KEEP_CONTAINERS=1 or left by a killed run) and the per-run temporary folders. `-- --images` also
 * removes the images (the next `npm run setup` rebuilds them, ~1 min).
 */
import { readdirSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { $ } from "zx";
import { engineVersion } from "../lib/docker-engine";
import { removeEgressBlock } from "../lib/egress";
import { removeEverything } from "../lib/sweep";
import { HARNESS_REPOS } from "./images";

async function main(): Promise<void> {
  await engineVersion();
  const removed = await removeEverything();
  await removeEgressBlock();
  const dirs = readdirSync(os.tmpdir()).filter((d) => d.startsWith("proxylab-"));
  for (const d of dirs) rmSync(path.join(os.tmpdir(), d), { recursive: true, force: true });
  console.error(`[clean] removed ${removed} containers/networks and ${dirs.length} run folders`);
  if (process.argv.includes("--images")) {
    for (const repo of HARNESS_REPOS) {
      const ids = (await $({ quiet: true })`docker images -q ${repo}`).stdout.split("\n").filter(Boolean);
      if (ids.length) await $({ quiet: true })`docker rmi -f ${[...new Set(ids)]}`;
      console.error(`[clean] removed ${ids.length} images of ${repo}`);
    }
  }
}

main().catch((err: unknown) => {
  console.error(`[clean] ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
