import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";

/** Playwright cannot download its own browser here; we drive the system's Chromium (Debian's `chromium`). */
export const CHROMIUM_CANDIDATES = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"];

export function chromiumPath(): string {
  const fromEnv = process.env.CHROMIUM_PATH;
  if (fromEnv) return fromEnv;
  return CHROMIUM_CANDIDATES.find((p) => existsSync(p)) ?? CHROMIUM_CANDIDATES[0]!;
}

/** "Chromium 156.0..." or an Error saying what to do. */
export function chromiumVersion(executable = chromiumPath()): string {
  if (!existsSync(executable)) {
    throw new Error(
      `No Chromium at ${executable}. Run \`npm run setup\` (it installs Debian's chromium), or set CHROMIUM_PATH to a Chromium or Chrome binary.`,
    );
  }
  try {
    return execFileSync(executable, ["--version"], {
      encoding: "utf8",
      timeout: 10_000,
      stdio: ["ignore", "pipe", "ignore"],
    }).trim();
  } catch (err) {
    throw new Error(
      `Chromium at ${executable} does not start (${(err as Error).message.split("\n")[0]}). Reinstall it with \`npm run setup\`, or set CHROMIUM_PATH.`,
      { cause: err },
    );
  }
}

/**
 * Flags for a closed network: no background traffic to Google's hosts, no QUIC. Each project adds its own
 * --host-resolver-rules (stack/plan.ts): real hostnames on its stack's loopback address, nothing else.
 */
export const CHROMIUM_ARGS = [
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--disable-quic",
  "--no-first-run",
  "--disable-features=MediaRouter,OptimizationHints",
];
