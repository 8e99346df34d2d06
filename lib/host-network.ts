import { existsSync, readdirSync, readFileSync } from "node:fs";

const IFA_F_TENTATIVE = 0x40;

/**
 * Host interfaces that are up but whose IPv6 link-local address is missing or still tentative.
 * When Docker starts a container, the kernel gives the host end of its veth a link-local address only
 * after duplicate-address detection, 1-2 s after the container is up. Chromium takes that for an IP
 * address change and fails whatever request is in flight with net::ERR_NETWORK_CHANGED.
 */
export function unsettledInterfaces(): string[] {
  if (!existsSync("/proc/net/if_inet6") || !existsSync("/sys/class/net")) return [];
  const settled = new Set<string>();
  const tentative = new Set<string>();
  for (const line of readFileSync("/proc/net/if_inet6", "utf8").trim().split("\n")) {
    const [addr, , , , flags, name] = line.trim().split(/\s+/);
    if (!addr?.startsWith("fe80") || !name || !flags) continue;
    if (Number.parseInt(flags, 16) & IFA_F_TENTATIVE) tentative.add(name);
    else settled.add(name);
  }
  return readdirSync("/sys/class/net").filter((name) => {
    if (!name.startsWith("veth") && !name.startsWith("br-")) return false;
    const read = (file: string) => {
      try {
        return readFileSync(`/sys/class/net/${name}/${file}`, "utf8").trim();
      } catch {
        return "";
      }
    };
    const ipv6Off = (() => {
      try {
        return readFileSync(`/proc/sys/net/ipv6/conf/${name}/disable_ipv6`, "utf8").trim() === "1";
      } catch {
        return true;
      }
    })();
    if (ipv6Off || read("operstate") !== "up") return false;
    return tentative.has(name) || !settled.has(name);
  });
}

/** Waits (bounded) until no container interface is still getting its IPv6 address; returns how long it took. */
export async function waitForHostNetworkToSettle(timeoutMs = 5_000): Promise<number> {
  const started = Date.now();
  while (unsettledInterfaces().length > 0 && Date.now() - started < timeoutMs) {
    await new Promise((r) => setTimeout(r, 100));
  }
  return Date.now() - started;
}
