import type { ProxyKind } from "../kinds";
import { readConfigShape } from "./contract";
import { nginxListens } from "./listens";
import { parseNginx } from "./parse";

export const NGINX: ProxyKind = {
  name: "nginx",
  // A file of server {} blocks, or a whole nginx.conf; the contract check says which (and rejects the rest).
  target: (file) => readConfigShape(file).target,
  checkCommand: () => ["nginx", "-t"],
  warning: /\[warn\]/,
  versionCommand: ["nginx", "-v"],
  version: (out) => /nginx\/[\d.]+/.exec(out)?.[0] ?? "nginx",
  configName: "default.conf",
  parse: parseNginx,
  listens: nginxListens,
};
