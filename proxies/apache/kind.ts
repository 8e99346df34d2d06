import type { ProxyKind } from "../kinds";
import { apacheListens } from "./listens";
import { parseApache } from "./parse";

export const APACHE: ProxyKind = {
  name: "apache",
  // Debian's apache2.conf includes sites-enabled/*.conf; the image enables the modules a reverse proxy uses.
  baseDir: "/etc/apache2",
  checkCommand: ["apache2ctl", "-t"],
  warning: /AH\d+: Warning|\[warn\]/i,
  versionCommand: ["apache2ctl", "-v"],
  version: (out) => /Apache\/[\d.]+/.exec(out)?.[0] ?? "Apache",
  configName: "site.conf",
  listenHint: "put its sites in a `<VirtualHost *:443>` (with `SSLEngine on`), or add a `Listen` line",
  parse: parseApache,
  listens: apacheListens,
};
