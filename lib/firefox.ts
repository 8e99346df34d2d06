import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { SID_APT_OPTIONS } from "../proxies/nginx/versions";
import { commands } from "./commands";

/**
 * Firefox, the second engine: sid's stock `firefox` (159), driven by Playwright over WebDriver BiDi
 * (`channel: "moz-firefox"`), unpatched. It lives in a root of its own made by mmdebstrap from Debian's sid
 * (bookworm's firefox-esr 153 lacks a BiDi command Playwright 1.65 sends at every new context), and starts through
 * docker/firefox/firefox-in-root.sh, which gives it, in a mount namespace of its own, this run's names and trust.
 * The host's packages and name resolution stay as they are.
 */
export const FIREFOX_ROOT_ENV = "PROXYLAB_FIREFOX_ROOT";

/** What the root is made of; a change here rebuilds it (the stamp file holds it). */
export const FIREFOX_RECIPE = {
  suite: "sid",
  packages: ["firefox", "ca-certificates"],
  aptOptions: SID_APT_OPTIONS,
  version: 1,
} as const;

export const FIREFOX_STAMP = ".proxylab-recipe";

export function firefoxRoot(env: NodeJS.ProcessEnv = process.env): string {
  return env[FIREFOX_ROOT_ENV] || path.join(os.homedir(), ".cache", "proxylab", "firefox-sid");
}

export function firefoxRecipeStamp(): string {
  return JSON.stringify(FIREFOX_RECIPE);
}

/** Whether the root is built from today's recipe. */
export function firefoxRootReady(root = firefoxRoot()): boolean {
  try {
    return readFileSync(path.join(root, FIREFOX_STAMP), "utf8") === firefoxRecipeStamp();
  } catch {
    return false;
  }
}

/** The launcher Playwright starts as Firefox's executable. */
export const FIREFOX_LAUNCHER = path.resolve(__dirname, "..", "docker", "firefox", "firefox-in-root.sh");

/** "Firefox 159.0 (sid root, /root/.cache/proxylab/firefox-sid)" or an Error saying what to do. */
export function firefoxVersion(root = firefoxRoot()): string {
  const fix = `Run \`${commands.setup()}\` (it builds Firefox's root from Debian's sid), or PROXYLAB_BROWSER=chromium to run Chromium only.`;
  if (!firefoxRootReady(root)) throw new Error(`No Firefox root at ${root}. ${fix}`);
  let version: string;
  try {
    version = execFileSync(FIREFOX_LAUNCHER, ["--version"], {
      encoding: "utf8",
      timeout: 20_000,
      env: { ...process.env, [FIREFOX_ROOT_ENV]: root },
      stdio: ["ignore", "pipe", "ignore"],
    }).trim();
  } catch (err) {
    throw new Error(`Firefox in ${root} does not start (${(err as Error).message.split("\n")[0]}). ${fix}`, {
      cause: err,
    });
  }
  // "Mozilla Firefox 159.0"
  const short = /(Firefox \d+(?:\.\d+)*\S*)/.exec(version)?.[1] ?? version;
  return `${short} (sid root, ${root})`;
}

/**
 * Preferences beside Playwright's own (which already keep updates, telemetry, captive-portal and safe-browsing
 * checks off): no HTTP/3 (as Chromium's --disable-quic: the matrix measures TCP), no DNS over HTTPS and no DNS
 * prefetch (names come from the root's /etc/hosts only). Everything a user's Firefox does by default (HTTPS-First,
 * connection coalescing, cookie defaults, WebSockets over HTTP/2) is left as it ships.
 */
export const FIREFOX_PREFS: Readonly<Record<string, string | number | boolean>> = {
  "network.http.http3.enable": false,
  "network.trr.mode": 5,
  "network.dns.disablePrefetch": true,
  "network.proxy.type": 0,
};

/** One project's launch: its names to its stack's addresses, and the run's NSS database (test CA, proxies' CAs). */
export function firefoxLaunchOptions(hosts: ReadonlyArray<readonly [name: string, address: string]>, nssdb: string) {
  return {
    executablePath: FIREFOX_LAUNCHER,
    firefoxUserPrefs: { ...FIREFOX_PREFS },
    env: {
      ...process.env,
      [FIREFOX_ROOT_ENV]: firefoxRoot(),
      PROXYLAB_HOSTS: hosts.map(([name, address]) => `${address} ${name}`).join("\n"),
      PROXYLAB_NSSDB: nssdb,
    },
  };
}
