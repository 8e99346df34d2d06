import { readdirSync, readFileSync } from "node:fs";
import { dockerClient } from "../../lib/docker-engine";
import { LABELS } from "../../lib/run";

const PAGE = 4096;

function rssBytes(pid: number): number {
  try {
    return Number(readFileSync(`/proc/${pid}/statm`, "utf8").split(" ")[1]) * PAGE;
  } catch {
    return 0;
  }
}

function descendants(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // The command may hold spaces and parentheses: the ppid is the 2nd field after the last ')'.
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {
      // gone meanwhile
    }
  }
  const out: number[] = [];
  const walk = (pid: number) => {
    for (const c of children.get(pid) ?? []) {
      out.push(c);
      walk(c);
    }
  };
  walk(root);
  return out;
}

/** Peak resident memory of one process and of its whole tree (workers, Chromium), sampled. */
export class ProcessTreeSampler {
  peakRunner = 0;
  peakTree = 0;
  private timer: NodeJS.Timeout;
  constructor(
    private readonly pid: number,
    everyMs = 500,
  ) {
    this.timer = setInterval(() => this.sample(), everyMs);
  }
  private sample(): void {
    const runner = rssBytes(this.pid);
    const tree = runner + descendants(this.pid).reduce((sum, p) => sum + rssBytes(p), 0);
    this.peakRunner = Math.max(this.peakRunner, runner);
    this.peakTree = Math.max(this.peakTree, tree);
  }
  stop(): void {
    clearInterval(this.timer);
  }
}

/**
 * Peak memory of the harness's containers, by role (app, idp, proxy): the cgroup's own high-water mark
 * (cgroup v1 memory.max_usage_in_bytes) where readable, else the engine's stats.
 */
export class ContainerMemorySampler {
  readonly peakByRole = new Map<string, number>();
  peakAllAtOnce = 0;
  private timer: NodeJS.Timeout;
  private busy = false;
  constructor(everyMs = 1_000) {
    this.timer = setInterval(() => void this.sample(), everyMs);
  }
  private async sample(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      const docker = dockerClient();
      const running = await docker.listContainers({ filters: { label: [LABELS.harness] } });
      let sum = 0;
      for (const c of running) {
        const role = c.Labels["org.proxylab.role"] ?? "other";
        let bytes = 0;
        try {
          bytes = Number(readFileSync(`/sys/fs/cgroup/memory/docker/${c.Id}/memory.max_usage_in_bytes`, "utf8"));
        } catch {
          const stats = (await docker
            .getContainer(c.Id)
            .stats({ stream: false })
            .catch(() => null)) as { memory_stats?: { max_usage?: number; usage?: number } } | null;
          bytes = stats?.memory_stats?.max_usage ?? stats?.memory_stats?.usage ?? 0;
        }
        sum += bytes;
        this.peakByRole.set(role, Math.max(this.peakByRole.get(role) ?? 0, bytes));
      }
      this.peakAllAtOnce = Math.max(this.peakAllAtOnce, sum);
    } finally {
      this.busy = false;
    }
  }
  stop(): void {
    clearInterval(this.timer);
  }
}

export const mib = (bytes: number) => Math.round(bytes / 1024 / 1024);
