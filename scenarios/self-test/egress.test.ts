/**
 * A user's config may point an upstream anywhere: no stack container may send traffic beyond this machine. A
 * container on a stack's network tries a TCP connection to this machine's default gateway (the first hop out):
 * it must reach nothing, and the harness's firewall rule must be what dropped it. Needs the engine, the images
 * and root (`npm run setup`).
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import net from "node:net";
import { after, describe, it } from "node:test";
import { Wait } from "testcontainers";
import { FIXTURE_APP_IMAGE, layerTag } from "../../docker/images";
import { egressDrops, installEgressBlock, removeEgressBlock } from "../../lib/egress";
import type { RunContext } from "../../lib/run";
import { removeRunResources } from "../../lib/sweep";
import { LabeledContainer } from "../../stack/containers/labeled-container";
import { LabeledNetwork } from "../../stack/containers/network";

process.env.TESTCONTAINERS_RYUK_DISABLED = "true";
const run: RunContext = { runId: `egress-${process.pid}`, runDir: "/nonexistent", runnerPid: process.pid };
after(async () => {
  await removeRunResources(run.runId);
  await removeEgressBlock();
});

/** This machine's default gateway, from the kernel's routing table: the first address beyond it. */
function defaultGateway(): string {
  const line = readFileSync("/proc/net/route", "utf8")
    .split("\n")
    .slice(1)
    .map((l) => l.trim().split(/\s+/))
    .find((f) => f[1] === "00000000");
  assert.ok(line, "this machine has a default route");
  const hex = line[2]!;
  return [3, 2, 1, 0].map((i) => parseInt(hex.slice(i * 2, i * 2 + 2), 16)).join(".");
}

const hostConnects = (host: string, port: number) =>
  new Promise<string>((resolve) => {
    const s = net.connect({ host, port, timeout: 3_000 });
    s.once("connect", () => resolve("connected"));
    s.once("timeout", () => resolve("timeout"));
    s.once("error", (e: NodeJS.ErrnoException) => resolve(e.code ?? "error"));
  }).finally(() => undefined);

describe("no traffic beyond the machine", () => {
  it("a container on a stack's network reaches nothing beyond it, dropped by the harness's rule", async () => {
    const gateway = defaultGateway();
    await installEgressBlock();
    const before = (await egressDrops())!;
    const network = await LabeledNetwork.create(`proxylab-${run.runId}`, "10.80.249.0/24", run);
    const probe = new LabeledContainer(layerTag(FIXTURE_APP_IMAGE), run, { "org.proxylab.role": "egress-probe" })
      .withNetworkMode(network.name)
      .withCommand([
        "node",
        "-e",
        `const s = require("net").connect({ host: "${gateway}", port: 80, timeout: 3000 });
         s.on("connect", () => { console.log("probe: connected"); process.exit(0); });
         s.on("timeout", () => { console.log("probe: timeout"); process.exit(0); });
         s.on("error", (e) => { console.log("probe: " + e.code); process.exit(0); });`,
      ])
      .withWaitStrategy(Wait.forOneShotStartup())
      .withStartupTimeout(20_000);
    const started = await probe.start();
    const said = (await probe.logs.settled()).trim();
    await started.stop({ remove: true }).catch(() => undefined);
    await network.remove();
    const dropped = (await egressDrops())! - before;
    const fromHost = await hostConnects(gateway, 80);
    console.log(
      `[self-test] ${gateway}:80 from a stack's network: ${said}; packets dropped by the rule: ${dropped}; from the host: ${fromHost}`,
    );
    assert.match(said, /probe: timeout/, "the connection went nowhere");
    assert.ok(dropped > 0, "the harness's rule dropped it");
  });
});
