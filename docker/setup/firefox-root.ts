import { chmodSync, mkdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { $ } from "zx";
import {
  FIREFOX_LAUNCHER,
  FIREFOX_RECIPE,
  FIREFOX_STAMP,
  firefoxRecipeStamp,
  firefoxRoot,
  firefoxRootReady,
  firefoxVersion,
} from "../../lib/firefox";

/**
 * Firefox's root: sid's firefox in a directory of the project's own (not an image: a chroot starts it in
 * milliseconds, with the host's network and no container), made by mmdebstrap like the images' bases. Built
 * beside the old one and moved into place, so a failed build leaves no half root behind the stamp.
 */
export async function ensureFirefoxRoot(logDir: string): Promise<string> {
  // The launcher must be executable also where a package manager dropped the mode bits.
  chmodSync(FIREFOX_LAUNCHER, 0o755);
  const root = firefoxRoot();
  if (firefoxRootReady(root)) return `${firefoxVersion(root)}, up to date`;
  const building = `${root}.building`;
  const log = path.join(logDir, "firefox-root.log");
  rmSync(building, { recursive: true, force: true });
  mkdirSync(path.dirname(root), { recursive: true });
  const aptopts = Object.entries(FIREFOX_RECIPE.aptOptions).map(([k, v]) => `--aptopt=${k} "${v}"`);
  const built = await $({
    quiet: true,
    nothrow: true,
  })`mmdebstrap --variant=apt ${aptopts} --include=${FIREFOX_RECIPE.packages.join(",")} ${FIREFOX_RECIPE.suite} ${building}`;
  writeFileSync(log, built.stdout + built.stderr);
  if (built.exitCode !== 0) {
    rmSync(building, { recursive: true, force: true });
    const last = (built.stderr || built.stdout).trim().split("\n").slice(-15).join("\n");
    throw new Error(
      `mmdebstrap ${FIREFOX_RECIPE.suite} with ${FIREFOX_RECIPE.packages.join(",")} failed (log: ${log}):\n${last}\nPROXYLAB_BROWSER=chromium skips Firefox.`,
    );
  }
  // The launcher binds this run's names and nothing else over these (docker/firefox/firefox-in-root.sh); the root's
  // own say: no DNS server, names from the files only.
  writeFileSync(path.join(building, "etc", "hosts"), "127.0.0.1 localhost\n::1 localhost\n");
  writeFileSync(path.join(building, "etc", "resolv.conf"), "");
  writeFileSync(path.join(building, "etc", "nsswitch.conf"), "hosts: files\n");
  writeFileSync(path.join(building, FIREFOX_STAMP), firefoxRecipeStamp());
  rmSync(root, { recursive: true, force: true });
  renameSync(building, root);
  return `${firefoxVersion(root)}, built`;
}
