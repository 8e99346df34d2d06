import type { ProxyKind } from "../kinds";
import { haproxyListens } from "./listens";
import { parseHaproxy } from "./parse";

export const HAPROXY: ProxyKind = {
  name: "haproxy",
  target: () => "/etc/haproxy/haproxy.cfg",
  checkCommand: (target) => ["haproxy", "-c", "-f", target],
  warning: /\[WARNING\]/,
  versionCommand: ["haproxy", "-v"],
  version: (out) => `HAProxy/${/version ([\d.]+)/i.exec(out)?.[1] ?? "?"}`,
  configName: "haproxy.cfg",
  parse: parseHaproxy,
  listens: haproxyListens,
};
