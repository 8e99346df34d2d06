import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { dockerClient } from "../../lib/docker-engine";
import { LABELS } from "../../lib/run";

export const ROOT = path.resolve(__dirname, "..", "..");

/** The Playwright runner (or another of the harness's commands) as a user starts it, in its own process group. */
export class HarnessProcess {
  readonly child: ChildProcess;
  private text = "";
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; ms: number }>;
  private readonly started = Date.now();

  constructor(command: string, args: string[], env: NodeJS.ProcessEnv = {}) {
    // A fresh run each time: never inherit a run identity (importing playwright.config.ts sets one here).
    const inherited = Object.fromEntries(
      Object.entries(process.env).filter(
        ([k]) => !["PROXYLAB_RUN_ID", "PROXYLAB_RUN_DIR", "PROXYLAB_RUNNER_PID"].includes(k),
      ),
    );
    // detached: its own process group, so a signal can go to the whole group as a terminal's Ctrl-C does.
    this.child = spawn(command, args, {
      cwd: ROOT,
      env: { ...inherited, ...env, FORCE_COLOR: "0" },
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
    });
    this.child.stdout!.on("data", (d: Buffer) => (this.text += d.toString()));
    this.child.stderr!.on("data", (d: Buffer) => (this.text += d.toString()));
    this.exited = new Promise((resolve) =>
      this.child.on("exit", (code, signal) => resolve({ code, signal, ms: Date.now() - this.started })),
    );
  }

  static playwright(args: string[], env: NodeJS.ProcessEnv = {}): HarnessProcess {
    return new HarnessProcess(path.join(ROOT, "node_modules", ".bin", "playwright"), ["test", ...args], env);
  }

  get output(): string {
    return this.text;
  }

  /** Signals the whole process group (runner and workers). */
  signalGroup(signal: NodeJS.Signals): void {
    process.kill(-this.child.pid!, signal);
  }

  groupAlive(): boolean {
    try {
      process.kill(-this.child.pid!, 0);
      return true;
    } catch {
      return false;
    }
  }
}

export interface Labeled {
  containers: string[];
  networks: string[];
}

/** The harness's containers and networks matching a label filter, by name. */
export async function labeled(filter: string): Promise<Labeled> {
  const docker = dockerClient();
  const [containers, networks] = await Promise.all([
    docker.listContainers({ all: true, filters: { label: [filter] } }),
    docker.listNetworks({ filters: { label: [filter] } }),
  ]);
  // A container Docker is still removing has no name (dockerd 20.10 may list one so for a while): it is leaving.
  return {
    containers: containers.flatMap((c) => (c.Names[0] ? [c.Names[0].replace(/^\//, "")] : [])),
    networks: networks.map((n) => n.Name),
  };
}

export const countOf = (l: Labeled) => l.containers.length + l.networks.length;

/**
 * What carries the harness label now and did not before: another run sharing the Docker engine (a developer's
 * matrix while CI runs) is not this test's leak.
 */
export async function leftSince(before: Labeled): Promise<Labeled> {
  const now = await labeled(LABELS.harness);
  return {
    containers: now.containers.filter((c) => !before.containers.includes(c)),
    networks: now.networks.filter((n) => !before.networks.includes(n)),
  };
}

/** Polls until `check` returns a value, or throws `what` with the last value seen after `timeoutMs`. */
export async function waitFor<T>(
  what: string,
  timeoutMs: number,
  check: () => Promise<T | undefined>,
  describe: () => string = () => "",
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs / 1000} s. ${describe()}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** The run id of the runner with this pid, once its stack's containers exist. */
export async function runIdOf(pid: number, timeoutMs: number, output: () => string): Promise<string> {
  return waitFor(
    `containers of runner ${pid}`,
    timeoutMs,
    async () => {
      const found = await dockerClient().listContainers({
        all: true,
        filters: { label: [`${LABELS.pid}=${pid}`, "org.proxylab.role=proxy"] },
      });
      return found[0]?.Labels[LABELS.run];
    },
    () => `Runner output so far:\n${output()}`,
  );
}
