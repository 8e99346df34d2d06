import { closeSync, existsSync, openSync } from "node:fs";
import { spawn } from "node:child_process";
import { $ } from "zx";
import { engineVersion } from "../../lib/docker-engine";
import { note } from "../../lib/progress";

const SOCKET = "/var/run/docker.sock";
const START_TIMEOUT_MS = 60_000;

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
      "No Docker engine is running and starting dockerd needs root. Start it (e.g. `sudo dockerd &` or `sudo systemctl start docker`) and run `npm run setup` again.",
    );
  }
  note(`starting dockerd in the background (log: ${logFile})`);
  const log = openSync(logFile, "a");
  const child = spawn("dockerd", [], { detached: true, stdio: ["ignore", log, log] });
  closeSync(log);
  let exited: number | null = null;
  child.on("exit", (code) => (exited = code ?? -1));
  child.unref();

  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline && exited === null) {
    if (existsSync(SOCKET)) {
      try {
        return { version: await engineVersion(), started: true };
      } catch {
        // socket is there before the API is ready
      }
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  const tail = (await $({ nothrow: true, quiet: true })`tail -n 25 ${logFile}`).stdout;
  const why =
    exited !== null
      ? `dockerd exited with code ${exited}`
      : `dockerd did not answer on ${SOCKET} within ${START_TIMEOUT_MS / 1000} s`;
  throw new Error(
    `${why}. Last lines of ${logFile}:\n${tail}\nIf iptables is the problem, check that the iptables package is installed and the kernel allows it.`,
  );
}
