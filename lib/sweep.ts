import { spawn } from "node:child_process";
import { readdirSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { dockerClient } from "./docker-engine";
import { REMOVE_EGRESS_SHELL } from "./egress";
import { LABELS } from "./run";

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

async function removeWhere(
  labelFilter: string[],
  keep: (labels: Record<string, string>) => boolean = () => false,
): Promise<number> {
  const docker = dockerClient();
  let removed = 0;
  const containers = await docker.listContainers({ all: true, filters: { label: labelFilter } });
  await Promise.all(
    containers
      .filter((c) => !keep(c.Labels))
      .map(async (c) => {
        await docker
          .getContainer(c.Id)
          .remove({ force: true, v: true })
          .catch(() => undefined);
        removed++;
      }),
  );
  const networks = await docker.listNetworks({ filters: { label: labelFilter } });
  for (const n of networks.filter((n) => !keep(n.Labels ?? {}))) {
    await docker
      .getNetwork(n.Id)
      .remove()
      .catch(() => undefined);
    removed++;
  }
  return removed;
}

/** Everything of one run: used at the end of a run, after the workers have stopped their own stacks. */
export function removeRunResources(runId: string): Promise<number> {
  return removeWhere([`${LABELS.run}=${runId}`]);
}

/**
 * Ryuk cannot run here (it is a pulled image), so a SIGKILLed run's containers are swept by the next
 * run: anything of ours whose runner pid no longer exists on this host (another host's run, sharing the
 * engine, is left to that host).
 */
export function sweepAbandonedRuns(): Promise<number> {
  return removeWhere(
    [LABELS.harness],
    (labels) =>
      labels[LABELS.keep] === "true" ||
      (labels[LABELS.host] !== undefined && labels[LABELS.host] !== os.hostname()) ||
      isAlive(Number(labels[LABELS.pid])),
  );
}

/** `npm run clean`: everything of the harness, running or not. */
export function removeEverything(): Promise<number> {
  return removeWhere([LABELS.harness]);
}

/**
 * Run folders (test CA, keys, the browser's NSS db) of runs whose runner is gone: a run stopped before its
 * teardown (SIGKILL, a global timeout) leaves its folder; the next run removes it. Named proxylab-<id>-<pid>.
 */
export function sweepAbandonedRunDirs(currentRunDir: string): number {
  let removed = 0;
  for (const entry of readdirSync(os.tmpdir())) {
    const pid = /^proxylab-[a-z0-9]+-(\d+)$/.exec(entry)?.[1];
    const dir = path.join(os.tmpdir(), entry);
    if (!pid || dir === currentRunDir || isAlive(Number(pid))) continue;
    rmSync(dir, { recursive: true, force: true });
    removed++;
  }
  return removed;
}

/**
 * For a run interrupted before Playwright would call any teardown (Ctrl-C during the global setup): a detached
 * shell waits for the runner to exit, so no container can be created after it looks, then removes the run's
 * containers, networks and folder. Detached, because the runner exits without waiting for async work.
 */
export function sweepAfterExit(runId: string, runDir: string, pid = process.pid): void {
  const filter = `label=${LABELS.run}=${runId}`;
  const script = [
    `while kill -0 ${pid} 2>/dev/null; do sleep 0.2; done`,
    `ids=$(docker ps -aq --filter '${filter}'); [ -z "$ids" ] || docker rm -f -v $ids`,
    `nets=$(docker network ls -q --filter '${filter}'); [ -z "$nets" ] || docker network rm $nets`,
    `rm -rf '${runDir}'`,
    REMOVE_EGRESS_SHELL,
  ].join("\n");
  spawn("sh", ["-c", script], { detached: true, stdio: "ignore" }).unref();
}
