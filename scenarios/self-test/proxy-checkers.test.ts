/**
 * Each proxy's config is checked before its stack starts by the product's own checker, in its own image, and a
 * rejection shows the checker's message with the user's file. One typo per product, run through the same check
 * the run's global setup does. Needs the engine and the images (`npm run setup`).
 */
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, describe, it } from "node:test";
import { LABELS, type RunContext } from "../../lib/run";
import { createTestPki } from "../../lib/tls";
import { configPath, getProject, type Project } from "../../proxies/projects";
import { checkProxyConfigs } from "../../stack/config-check";
import { countOf, labeled } from "./harness-process";

// As playwright.config.ts does: Ryuk's image would have to be pulled; this test removes its own containers.
process.env.TESTCONTAINERS_RYUK_DISABLED = "true";
const dir = mkdtempSync(path.join(os.tmpdir(), "proxylab-checkers-"));
const run: RunContext = { runId: `checkers-${process.pid}`, runDir: dir, runnerPid: process.pid };
after(() => rmSync(dir, { recursive: true, force: true }));

/** The product's fixed config with one line broken the way a hand edit breaks it. */
function broken(variant: string, from: RegExp, to: string): Project {
  const registry = getProject(variant);
  const text = readFileSync(configPath(registry), "utf8");
  assert.match(text, from, `${variant}'s config still has the line this test breaks`);
  const file = path.join(dir, path.basename(configPath(registry)));
  writeFileSync(file, text.replace(from, to));
  return {
    ...registry,
    name: `typo-${registry.proxy}`,
    user: { input: file, shown: file, prefix: "" },
    expects: "healthy",
    reproduces: [],
  };
}

const CASES = [
  {
    v: () => broken("apache-fixed", /^(\s+)ProxyPreserveHost On$/m, "$1ProxyPreserveHost Onn"),
    message:
      /apache2ctl -t rejected .*site\.conf:\nAH00526: Syntax error on line \d+ of .*site\.conf:\nProxyPreserveHost must be On or Off/,
  },
  {
    v: () => broken("haproxy-fixed", /^(\s+)timeout tunnel/m, "$1timeout tunel"),
    message:
      /haproxy -c -f \/etc\/haproxy rejected .*haproxy\.cfg:[\s\S]*parsing \[.*haproxy\.cfg:\d+\] : 'timeout' supports .*\(got 'tunel'\)/,
  },
  {
    v: () => broken("caddy-default", /^(\s+)reverse_proxy app/m, "$1reverse_proxxy app"),
    message: /caddy validate .* rejected .*Caddyfile[\s\S]*unrecognized directive: reverse_proxxy/,
  },
];

describe("each proxy's own checker", { concurrency: 1 }, () => {
  it("rejects a typo with its own message, naming the user's file, and leaves no container", async () => {
    await createTestPki(dir, run.runId, ["app.test"]);
    for (const c of CASES) {
      const v = c.v();
      const started = Date.now();
      await assert.rejects(
        checkProxyConfigs([v], run, () => {}),
        (err: Error) => {
          assert.match(err.message, c.message);
          assert.ok(err.message.includes(v.user!.shown), `names ${v.user!.shown}:\n${err.message}`);
          const said = err.message.split("\n").filter((l) => /error|supports/i.test(l) && !l.includes("Fatal errors"));
          console.log(`[self-test] ${v.proxy}: ${Date.now() - started} ms: ${said.join(" | ")}`);
          return true;
        },
      );
      assert.equal(countOf(await labeled(`${LABELS.run}=${run.runId}`)), 0, "a check container was left");
    }
  });
});
