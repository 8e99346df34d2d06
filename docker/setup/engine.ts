import { commands } from "../../lib/commands";
import { closeSync, existsSync, openSync, readFileSync, statSync } from "node:fs";
import { spawn } from "node:child_process";
import { $ } from "zx";
import { engineVersion } from "../../lib/docker-engine";
import { note } from "../../lib/progress";

const SOCKET = "/var/run/docker.sock";
// A clean start answers in seconds. After an unclean stop dockerd first removes every stale sandbox (seen:
// 110 of them, 0.3 s each), writing a line for each: it gets more time while its log grows, never past the cap.
const QUIET_TIMEOUT_MS = 60_000;
const START_CAP_MS = 600_000;

/**
 * Makes sure a Docker engine answers. Idempotent: a running engine is left alone. Machines here boot with
 * no daemon, so dockerd is started detached (it must outlive this script) with its log in a file.
 */
export async function ensureEngine(logFile: string): Promise<{ version: string; started: boolean }> {
  try {
    return { version: await engineVersion(), started: false };
  } catch (err) {
    if (process.env.DOCKER_HOST) {
      throw new Error(
        `DOCKER_HOST=${process.env.DOCKER_HOST} is set but that engine does not answer: ${(err as Error).message}`,
        { cause: err },
      );
    }
  }
  if (process.getuid?.() !== 0) {
    throw new Error(
      `No Docker engine is running and starting dockerd needs root. Start it (e.g. \`sudo dockerd &\` or \`sudo systemctl start docker\`) and run \`${commands.setup()}\` again.`,
    );
  }
  note(`starting dockerd in the background (log: ${logFile})`);
  const log = openSync(logFile, "a");
  const child = spawn("dockerd", [], { detached: true, stdio: ["ignore", log, log] });
  closeSync(log);
  let exited: number | null = null;
  child.on("exit", (code) => (exited = code ?? -1));
  child.unref();

  const started = Date.now();
  let lastGrowth = started;
  let logSize = sizeOf(logFile);
  let lastNote = started;
  while (exited === null && Date.now() - lastGrowth < QUIET_TIMEOUT_MS && Date.now() - started < START_CAP_MS) {
    if (existsSync(SOCKET)) {
      try {
        return { version: await engineVersion(), started: true };
      } catch {
        // socket is there before the API is ready
      }
    }
    await new Promise((r) => setTimeout(r, 250));
    const size = sizeOf(logFile);
    if (size !== logSize) [logSize, lastGrowth] = [size, Date.now()];
    if (Date.now() - lastNote >= 15_000) {
      lastNote = Date.now();
      const stale = staleSandboxesRemoved(logFile);
      if (stale > 0) note(`dockerd is removing stale sandboxes an earlier unclean stop left (${stale} so far)`);
    }
  }
  const tail = (await $({ nothrow: true, quiet: true })`tail -n 25 ${logFile}`).stdout;
  const why =
    exited !== null
      ? `dockerd exited with code ${exited}`
      : Date.now() - started >= START_CAP_MS
        ? `dockerd did not answer on ${SOCKET} within ${START_CAP_MS / 1000} s`
        : `dockerd did not answer on ${SOCKET} and wrote nothing for ${QUIET_TIMEOUT_MS / 1000} s`;
  throw new Error(
    `${why}. Last lines of ${logFile}:\n${tail}\nIf iptables is the problem, check that the iptables package is installed and the kernel allows it.`,
  );
}

function sizeOf(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}

/** Lines of this start only: the log file is appended to across starts. */
function staleSandboxesRemoved(logFile: string): number {
  const text = readFileSync(logFile, "utf8");
  const thisStart = text.slice(text.lastIndexOf("Starting up"));
  return thisStart.split("Removing stale sandbox").length - 1;
}
