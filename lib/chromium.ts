import { commands } from "./commands";
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import os from "node:os";
import path from "node:path";

/**
 * Playwright cannot download its own browser here; we drive the system's Chromium. By default the headless
 * shell (Debian's `chromium-headless-shell`, the same build as `chromium`): it is what Playwright itself runs
 * for headless Chromium, and a cell costs it half the CPU of the full browser run headless (docs/bench.md).
 * `PROXYLAB_CHROMIUM=full` runs Debian's full `chromium`; `CHROMIUM_PATH` names a binary and wins over both.
 */
export type ChromiumBuild = "shell" | "full";

export const CHROMIUM_BUILD_ENV = "PROXYLAB_CHROMIUM";

/** Playwright's own browsers (`npx playwright install chromium`, e.g. on GitHub's runners), newest first. */
function playwrightInstalled(folderPrefix: string, inner: string): string[] {
  const root = process.env.PLAYWRIGHT_BROWSERS_PATH || path.join(os.homedir(), ".cache", "ms-playwright");
  try {
    return readdirSync(root)
      .filter((d) => d.startsWith(folderPrefix))
      .sort()
      .reverse()
      .map((d) => path.join(root, d, inner));
  } catch {
    return [];
  }
}

/**
 * Where each build is looked for, in order. The shell's real binary comes first: Debian's /usr/bin wrapper is a
 * `sh -e` that runs it as a child (no exec), one process more between Playwright and the browser.
 */
export function chromiumCandidates(build: ChromiumBuild): string[] {
  return build === "shell"
    ? [
        "/usr/lib/chromium/chromium-headless-shell",
        "/usr/bin/chromium-headless-shell",
        ...playwrightInstalled("chromium_headless_shell-", "chrome-headless-shell-linux64/chrome-headless-shell"),
      ]
    : [
        "/usr/bin/chromium",
        "/usr/bin/chromium-browser",
        "/usr/bin/google-chrome",
        ...playwrightInstalled("chromium-", "chrome-linux64/chrome"),
      ];
}

/** The build this run asks for: `PROXYLAB_CHROMIUM` (shell | full), the shell by default. */
export function chromiumBuild(env: NodeJS.ProcessEnv = process.env): ChromiumBuild {
  const asked = env[CHROMIUM_BUILD_ENV]?.trim();
  if (!asked || asked === "shell") return "shell";
  if (asked === "full") return "full";
  throw new Error(
    `${CHROMIUM_BUILD_ENV}=${asked}: use shell (the headless shell, the default) or full (the whole Chromium, run headless).`,
  );
}

export function chromiumPath(env: NodeJS.ProcessEnv = process.env): string {
  const fromEnv = env.CHROMIUM_PATH;
  if (fromEnv) return fromEnv;
  const candidates = chromiumCandidates(chromiumBuild(env));
  return candidates.find((p) => existsSync(p)) ?? candidates[0]!;
}

/** Whether a binary is a headless shell (Debian's chromium-headless-shell, Playwright's chrome-headless-shell). */
export function isHeadlessShell(executable: string): boolean {
  return /headless[-_]shell/.test(path.basename(executable));
}

/** What setup installs for each build, and what the error says to do. */
const PACKAGE: Record<ChromiumBuild, string> = { shell: "chromium-headless-shell", full: "chromium" };

export function chromiumPackage(env: NodeJS.ProcessEnv = process.env): string {
  return PACKAGE[chromiumBuild(env)];
}

/** "Chromium 156.0.8078.114 (headless shell, /usr/lib/chromium/chromium-headless-shell)" or an Error saying what to do. */
export function chromiumVersion(executable = chromiumPath()): string {
  const setup = chromiumBuild() === "full" ? `${CHROMIUM_BUILD_ENV}=full ${commands.setup()}` : commands.setup();
  const fix = `Run \`${setup}\` (it installs Debian's ${chromiumPackage()}), or set CHROMIUM_PATH to a Chromium or Chrome binary.`;
  if (!existsSync(executable)) throw new Error(`No Chromium at ${executable}. ${fix}`);
  let version: string;
  try {
    version = execFileSync(executable, ["--version"], {
      encoding: "utf8",
      timeout: 10_000,
      stdio: ["ignore", "pipe", "ignore"],
    }).trim();
  } catch (err) {
    throw new Error(`Chromium at ${executable} does not start (${(err as Error).message.split("\n")[0]}). ${fix}`, {
      cause: err,
    });
  }
  // "Chromium 156.0.8078.114 built on Debian GNU/Linux 12 (bookworm)": the number is what tells builds apart.
  const short = /^(\S+(?: \S+)*? \d+(?:\.\d+)+)/.exec(version)?.[1] ?? version;
  return `${short} (${isHeadlessShell(executable) ? "headless shell" : "full browser, headless"}, ${executable})`;
}

/**
 * What the harness adds to Playwright's own switches, for either build: no QUIC (Caddy offers HTTP/3 by Alt-Svc;
 * the matrix measures TCP). Playwright already turns off background networking, component updates, sync, the
 * first-run UI, the media router and optimization hints. A `--disable-features` here would replace Playwright's
 * whole list, not add to it: Chromium keeps the last one only (measured: a second `--disable-features` brought
 * `HTMLFencedFrameElement` back). Each project adds its own --host-resolver-rules (stack/plan.ts).
 */
export const CHROMIUM_ARGS: readonly string[] = ["--disable-quic"];
