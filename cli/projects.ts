/**
 * `npm run --silent projects`: the default matrix's project names as a JSON array, for CI's job matrix
 * (.github/workflows/proxy-matrix.yml), so a new variant needs no edit there. `-- --shards n`: the shard
 * numbers 1..n as a JSON array instead (an empty array for 0: the per-project layout).
 */
import { parseArgs } from "node:util";
import { engineProjectNames } from "../lib/browsers";
import { defaultProjects } from "../proxies/projects";

const { values } = parseArgs({ options: { shards: { type: "string" } } });
if (values.shards !== undefined) {
  const n = Number(values.shards);
  if (!Number.isInteger(n) || n < 0 || n > 64) throw new Error(`--shards ${values.shards}: a whole number, 0 to 64`);
  console.log(JSON.stringify(Array.from({ length: n }, (_, i) => i + 1)));
} else {
  // Each engine's projects (`fixed`, `fixed@firefox`), as PROXYLAB_BROWSER asks.
  console.log(JSON.stringify(engineProjectNames(defaultProjects().map((p) => p.name))));
}
