import type { ProxyKind } from "../kinds";
import { nginxListens } from "./listens";
import { parseNginx } from "./parse";

export const NGINX: ProxyKind = {
  name: "nginx",
  baseDir: "/etc/nginx",
  checkCommand: ["nginx", "-t"],
  warning: /\[warn\]/,
  versionCommand: ["nginx", "-v"],
  version: (out) => /nginx\/[\d.]+/.exec(out)?.[0] ?? "nginx",
  configName: "default.conf",
  listenHint: "add a listen to a server block (e.g. `listen 443 ssl;`)",
  parse: parseNginx,
  listens: nginxListens,
};
