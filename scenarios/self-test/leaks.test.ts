/**
 * The harness cleans up after itself (Ryuk cannot run here): stopped with SIGINT or SIGTERM mid-run, it
 * leaves nothing; SIGKILLed, the next run's start sweeps what it left. Real runner, real containers.
 */
import assert from "node:assert/strict";
import { egressDrops } from "../../lib/egress";
import { existsSync, readdirSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, it } from "node:test";
import { LABELS } from "../../lib/run";
import { countOf, HarnessProcess, labeled, leftSince, runIdOf, waitFor, type Labeled } from "./harness-process";

// A long cell, so the signal lands while its stack and browser are busy.
const LONG_CELL = ["--project=fixed", "--grep", "\\ssse-idle-resume:"];
const SHORT_CELL = ["--project=fixed", "--grep", "\\srandom-uuid:"];
const CLEAN_WITHIN_MS = 30_000;

const runDirOf = (runId: string) => path.join(os.tmpdir(), `proxylab-${runId}`);

type Phase = "while stacks start" | "mid-test";

/** Starts a run and returns once it is in the phase: its proxy container exists, or its first test has begun. */
async function startAndWaitFor(phase: Phase): Promise<{ runner: HarnessProcess; runId: string }> {
  const runner = HarnessProcess.playwright(LONG_CELL);
  const runId = await runIdOf(runner.child.pid!, 60_000, () => runner.output);
  if (phase === "mid-test")
    await waitFor(
      "the first test to begin",
      60_000,
      async () => (/\[matrix\] fixed: starting/.test(runner.output) ? true : undefined),
      () => runner.output,
    );
  return { runner, runId };
}

async function assertCleanWithin(runId: string, ms: number): Promise<number> {
  const started = Date.now();
  let last: Labeled = { containers: [], networks: [] };
  let rule = false;
  await waitFor(
    `nothing left of run ${runId}`,
    ms,
    async () => {
      last = await labeled(`${LABELS.run}=${runId}`);
      rule = (await egressDrops()) !== null;
      return countOf(last) === 0 && !existsSync(runDirOf(runId)) && !rule ? true : undefined;
    },
    () =>
      `Left: ${JSON.stringify(last)}; run folder ${existsSync(runDirOf(runId)) ? "still there" : "gone"}; egress rule ${rule ? "still there" : "gone"}`,
  );
  return Date.now() - started;
}

describe("no leaks", { concurrency: 1 }, () => {
  const cases: Array<[NodeJS.Signals, Phase]> = [
    ["SIGINT", "while stacks start"],
    ["SIGINT", "mid-test"],
    ["SIGTERM", "mid-test"],
  ];
  for (const [signal, phase] of cases) {
    it(`${signal} to the runner's process group ${phase} leaves no container, network, firewall rule or run folder`, async () => {
      const { runner, runId } = await startAndWaitFor(phase);
      runner.signalGroup(signal);
      const exit = await Promise.race([
        runner.exited,
        new Promise<never>((_, reject) =>
          setTimeout(
            () =>
              reject(new Error(`runner still running ${CLEAN_WITHIN_MS / 1000} s after ${signal}:\n${runner.output}`)),
            CLEAN_WITHIN_MS,
          ),
        ),
      ]);
      const ms = await assertCleanWithin(runId, CLEAN_WITHIN_MS);
      await waitFor("no process of the run left", 10_000, async () => (runner.groupAlive() ? undefined : true));
      console.log(
        `[self-test] ${signal} ${phase}: runner exited in ${exit.ms} ms (code ${exit.code}, signal ${exit.signal}); clean ${ms} ms after its exit`,
      );
    });
  }

  it("SIGKILL leaves resources that the next run's start sweeps", async () => {
    const { runner, runId } = await startAndWaitFor("mid-test");
    // Killed with its browser up, whose profile folder must be in the run folder (playwright.config.ts), so
    // the sweep takes it too.
    const runTmp = path.join(runDirOf(runId), "tmp");
    const profileIn = () =>
      existsSync(runTmp) ? readdirSync(runTmp).some((e) => e.startsWith("playwright_chromiumdev_profile-")) : false;
    await waitFor(
      `the browser's profile folder in ${runTmp} (not elsewhere in ${os.tmpdir()})`,
      60_000,
      async () => (profileIn() ? true : undefined),
      () => runner.output,
    );
    runner.signalGroup("SIGKILL");
    await runner.exited;
    // Nothing could clean up: the stack is still there, as after an OOM kill or a hard CI cancel.
    const left = await labeled(`${LABELS.run}=${runId}`);
    assert.ok(countOf(left) > 0, "a SIGKILLed run leaves its stack (else this test proves nothing)");

    const others = await labeled(LABELS.harness);
    const next = HarnessProcess.playwright(SHORT_CELL);
    const exit = await next.exited;
    assert.equal(exit.code, 0, next.output);
    assert.match(next.output, /swept \d+ leftovers of killed runs/);
    const ms = await assertCleanWithin(runId, CLEAN_WITHIN_MS);
    assert.equal(countOf(await leftSince(others)), 0, "the next run left nothing of its own either");
    console.log(
      `[self-test] SIGKILL: left ${left.containers.length} containers and ${left.networks.length} networks; the next run swept them (${exit.ms} ms run, clean +${ms} ms)`,
    );
  });
});
