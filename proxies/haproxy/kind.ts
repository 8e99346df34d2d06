import type { ProxyKind } from "../kinds";
import { haproxyListens } from "./listens";
import { parseHaproxy } from "./parse";

export const HAPROXY: ProxyKind = {
  name: "haproxy",
  baseDir: "/etc/haproxy",
  // The directory: every *.cfg in it, in name order (a single haproxy.cfg, or a copy of /etc/haproxy).
  checkCommand: ["haproxy", "-c", "-f", "/etc/haproxy"],
  warning: /\[WARNING\]/,
  versionCommand: ["haproxy", "-v"],
  version: (out) => `HAProxy/${/version ([\d.]+)/i.exec(out)?.[1] ?? "?"}`,
  configName: "haproxy.cfg",
  listenHint: "add a frontend that binds a port (e.g. `bind :443 ssl crt /etc/haproxy/certs/`)",
  parse: parseHaproxy,
  listens: haproxyListens,
};
