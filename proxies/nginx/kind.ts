import type { ProxyKind } from "../kinds";
import { readConfigShape } from "./contract";

export const NGINX: ProxyKind = {
  name: "nginx",
  // A file of server {} blocks, or a whole nginx.conf; the contract check says which (and rejects the rest).
  target: (file) => readConfigShape(file).target,
  checkCommand: () => ["nginx", "-t"],
  warning: /\[warn\]/,
  versionCommand: ["nginx", "-v"],
  version: (out) => /nginx\/[\d.]+/.exec(out)?.[0] ?? "nginx",
  configName: "default.conf",
};
