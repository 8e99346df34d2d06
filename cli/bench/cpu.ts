import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";

/**
 * Where the matrix's CPU goes, in core-seconds. The machine's whole busy time (/proc/stat) bounds the wall from
 * below: on `cores` cores a run cannot end before busy ÷ cores, however its cells are scheduled. The engine's
 * containers (cgroup v1 cpuacct; null where not readable) are the proxies', apps' and providers' share; the rest is
 * the harness and Chromium, the engine and the kernel. (The runner's reaped children are no measure of the
 * harness: a check counted under half of the busy time there, while top(1) gave Chromium most of it.)
 */
export interface CpuUse {
  busyCoreS: number;
  idleCoreS: number;
  stealCoreS: number;
  /** The proxies, apps and providers in their containers; null without cgroup v1's cpuacct. */
  containersCoreS: number | null;
}

const TICKS = (() => {
  try {
    return Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;
  } catch {
    return 100;
  }
})();

interface Sample {
  busy: number;
  idle: number;
  steal: number;
  containersNs: number | null;
}

function sample(): Sample {
  // cpu  user nice system idle iowait irq softirq steal ...
  const f = readFileSync("/proc/stat", "utf8").split("\n")[0]!.trim().split(/\s+/).slice(1).map(Number);
  let containersNs: number | null = null;
  try {
    containersNs = Number(readFileSync("/sys/fs/cgroup/cpuacct/docker/cpuacct.usage", "utf8"));
  } catch {
    // cgroup v2, or no engine's group: the split is not given.
  }
  return {
    busy: f[0]! + f[1]! + f[2]! + f[5]! + f[6]!,
    idle: f[3]! + f[4]!,
    steal: f[7] ?? 0,
    containersNs,
  };
}

/** Starts counting; the returned function stops and gives the use since. */
export function cpuMeter(): () => CpuUse {
  const a = sample();
  return () => {
    const b = sample();
    return {
      busyCoreS: (b.busy - a.busy) / TICKS,
      idleCoreS: (b.idle - a.idle) / TICKS,
      stealCoreS: (b.steal - a.steal) / TICKS,
      containersCoreS:
        a.containersNs !== null && b.containersNs !== null ? (b.containersNs - a.containersNs) / 1e9 : null,
    };
  };
}
