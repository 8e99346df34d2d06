import os from "node:os";
import path from "node:path";

/** Every container and network of a run carries these labels, so a run (or a sweep) can find its own. */
export const LABELS = {
  harness: "org.proxylab",
  run: "org.proxylab.run",
  pid: "org.proxylab.pid",
  /** The runner's host: a pid means something only there (CI in a container may share this Docker engine). */
  host: "org.proxylab.host",
  variant: "org.proxylab.variant",
  /** Set on what a KEEP_CONTAINERS=1 run leaves on purpose: sweeps spare it, `npm run clean` removes it. */
  keep: "org.proxylab.keep",
} as const;

export interface RunContext {
  readonly runId: string;
  /** Per-run temporary folder: test CA, keys, the browser's NSS database. Removed at the end of the run. */
  readonly runDir: string;
  /** The Playwright runner's pid: a run whose pid is gone left its resources behind. */
  readonly runnerPid: number;
}

/**
 * The run's identity is fixed once, in the runner process (playwright.config.ts calls this first), and
 * handed to workers through the environment they inherit.
 */
export function runContext(): RunContext {
  if (!process.env.PROXYLAB_RUN_ID) {
    const runId = `${Date.now().toString(36)}-${process.pid}`;
    process.env.PROXYLAB_RUN_ID = runId;
    process.env.PROXYLAB_RUN_DIR = path.join(os.tmpdir(), `proxylab-${runId}`);
    process.env.PROXYLAB_RUNNER_PID = String(process.pid);
  }
  return {
    runId: process.env.PROXYLAB_RUN_ID,
    runDir: process.env.PROXYLAB_RUN_DIR ?? path.join(os.tmpdir(), `proxylab-${process.env.PROXYLAB_RUN_ID}`),
    runnerPid: Number(process.env.PROXYLAB_RUNNER_PID ?? process.pid),
  };
}

export function runLabels(run: RunContext, extra: Record<string, string> = {}): Record<string, string> {
  const keep: Record<string, string> = keepContainers() ? { [LABELS.keep]: "true" } : {};
  return {
    [LABELS.harness]: "true",
    [LABELS.run]: run.runId,
    [LABELS.pid]: String(run.runnerPid),
    [LABELS.host]: os.hostname(),
    ...keep,
    ...extra,
  };
}

export const keepContainers = (): boolean => process.env.KEEP_CONTAINERS === "1";
