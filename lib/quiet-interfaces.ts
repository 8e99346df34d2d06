import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";

const DEFAULT_DISABLE_IPV6 = "/proc/sys/net/ipv6/conf/default/disable_ipv6";
/** The value from before the run, kept on disk so a killed run's change is undone by the next run or `npm run clean`. */
const SAVED = path.join(os.tmpdir(), "proxylab-ipv6-default.saved");

/**
 * Lets stacks start while browsers run. Chromium fails streams in flight (net::ERR_NETWORK_CHANGED) when a
 * host interface gains an address. A stack's network gets its IPv4 address when it is created, so networks are
 * made before any browser; the host end of each container's veth then gets an IPv6 link-local address after
 * duplicate-address detection. With `net.ipv6.conf.default.disable_ipv6=1`, new interfaces get none. Measured:
 * 14 containers started during 30 cells cut 4 to 5 of them; with networks made first and this set, none.
 * Only interfaces created during the run are affected; existing ones keep their addresses. False when the
 * setting cannot be changed (not root): stacks then all start before the browsers, as they did before.
 */
export function quietNewInterfaces(): boolean {
  if (!existsSync(DEFAULT_DISABLE_IPV6)) return false;
  try {
    const before = readFileSync(DEFAULT_DISABLE_IPV6, "utf8").trim();
    // Kept from a killed run: that file holds the machine's own value, this one is the run's.
    if (!existsSync(SAVED)) writeFileSync(SAVED, before);
    writeFileSync(DEFAULT_DISABLE_IPV6, "1");
    return true;
  } catch {
    return false;
  }
}

/** Puts back the machine's own value, if a run changed it. */
export function restoreNewInterfaces(): void {
  if (!existsSync(SAVED)) return;
  try {
    writeFileSync(DEFAULT_DISABLE_IPV6, readFileSync(SAVED, "utf8").trim());
    rmSync(SAVED, { force: true });
  } catch {
    // Not writable now (not root): the saved value stays for a run that can.
  }
}

/** True while a run (or a killed one) has the setting changed. */
export function newInterfacesQuieted(): boolean {
  return existsSync(SAVED);
}

/** The same as a shell line, for the detached sweeper of a run interrupted in its setup (lib/sweep.ts). */
export const RESTORE_NEW_INTERFACES_SHELL = `[ -f '${SAVED}' ] && cat '${SAVED}' > ${DEFAULT_DISABLE_IPV6} && rm -f '${SAVED}'`;
