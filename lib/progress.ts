import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";

/** How long each named step took last time on this machine: the "about N s left" of the next run. */
const TIMES = path.join(os.homedir(), ".cache", "proxylab", "step-times.json");
const EVERY_MS = 15_000;

function lastTimes(): Record<string, number> {
  try {
    return JSON.parse(readFileSync(TIMES, "utf8")) as Record<string, number>;
  } catch {
    return {};
  }
}

function remember(name: string, ms: number): void {
  try {
    mkdirSync(path.dirname(TIMES), { recursive: true });
    writeFileSync(TIMES, JSON.stringify({ ...lastTimes(), [name]: Math.round(ms) }, null, 2));
  } catch {
    // A read-only home only loses the estimate.
  }
}

/**
 * One line per step with its duration, to stderr so it never mixes with a tool's data on stdout; a step that
 * runs long (an image built from Debian packages) says every 15 s that it is still going, and how long is left
 * if it ran here before.
 */
export async function step<T>(name: string, run: () => Promise<T>, describe: (result: T) => string): Promise<T> {
  const started = performance.now();
  const before = lastTimes()[name];
  const ticker = setInterval(() => {
    const ms = performance.now() - started;
    const left = before !== undefined ? Math.round((before - ms) / 1000) : undefined;
    note(
      `${name}: still running, ${Math.round(ms / 1000)} s so far${
        left === undefined
          ? ""
          : left > 0
            ? `, about ${left} s left (it took ${Math.round(before! / 1000)} s last time)`
            : ", longer than last time"
      }`,
    );
  }, EVERY_MS);
  ticker.unref();
  try {
    const result = await run();
    // A step that had nothing to do (an image up to date) says nothing about how long its work takes.
    if (performance.now() - started > 5_000) remember(name, performance.now() - started);
    console.error(`[setup] ${name}: ${describe(result)} (${seconds(started)})`);
    return result;
  } catch (err) {
    console.error(`[setup] ${name}: FAILED after ${seconds(started)}`);
    throw err;
  } finally {
    clearInterval(ticker);
  }
}

export function note(message: string): void {
  console.error(`[setup]   ${message}`);
}

function seconds(started: number): string {
  return `${((performance.now() - started) / 1000).toFixed(1)} s`;
}
