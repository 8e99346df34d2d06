import { APP_ALIAS, applyEdits, whereIs, boundAddress, type Adapted, type LineEdit } from "../adapt";
import { findAll } from "../config-tree";
import type { ConfigFacts } from "../facts";
import { parseApacheUrl } from "./facts";
import type { LoadedApache } from "./load";

/** Modules compiled into Debian's apache2 (`apache2 -l`): a LoadModule of one of them fails. */
const BUILT_IN = [
  "so_module",
  "watchdog_module",
  "log_config_module",
  "logio_module",
  "version_module",
  "unixd_module",
];

/** Where Debian's apache2 keeps its modules (a non-Debian httpd.conf names them relative to its ServerRoot). */
const DEBIAN_MODULES = "/usr/lib/apache2/modules";

/**
 * The copy of a user's Apache config the harness runs: upstreams on the proxy's own host, a unix socket or a
 * private address become the fixture app (`proxylab-app`, same port); a whole httpd.conf from another layout
 * (`ServerRoot "/usr/local/apache2"`, `LoadModule … modules/mod_x.so`) loads Debian's modules from where Debian
 * keeps them. Certificates are mounted at the paths named, not edited.
 */
export function adaptApache(loaded: LoadedApache, facts: ConfigFacts): Adapted {
  const edits: LineEdit[] = [...loaded.completions];
  for (const u of facts.upstreams) {
    if (u.reach === "name" || u.reach === "public" || u.reach === "self") continue;
    const url =
      u.at.name.toLowerCase() === "rewriterule"
        ? u.at.args[1]!
        : u.at.args.find((a) => parseApacheUrl(a)?.host === u.host)!;
    const t = parseApacheUrl(url)!;
    const replacement =
      u.reach === "unix"
        ? url.replace(/^unix:[^|]+\|(\w+:\/\/)[^/]*/i, `$1${APP_ALIAS}:80`)
        : url.replace(t.host, APP_ALIAS);
    edits.push({
      at: u.at,
      find: url,
      replace: replacement,
      why: `${u.host} is ${whereIs(u.reach)}; the app is ${APP_ALIAS}:${u.reach === "unix" ? 80 : u.port} on the stack's network`,
    });
  }
  // Debian's ports.conf already listens on 80 and 443; a site's own `Listen 443` would make Apache fail to bind.
  for (const node of loaded.layout === "site" ? loaded.tree.filter((d) => d.name === "Listen") : []) {
    const port = /(?:^|:)(\d+)$/.exec(node.args[0] ?? "")?.[1];
    if (port === "80" || port === "443") {
      edits.push({
        at: node,
        find: "Listen",
        replace: "# Listen",
        why: `Debian's ports.conf already has \`Listen ${port}\`; a second one stops Apache ("could not bind to address")`,
      });
    }
  }
  // A Listen or a <VirtualHost> bound to one address: its port on every address (proxies/adapt.ts, boundAddress).
  for (const node of findAll(loaded.tree, "Listen", "VirtualHost").filter((n) => !n.added)) {
    for (const written of node.name.toLowerCase() === "listen" ? node.args.slice(0, 1) : node.args) {
      const bound = boundAddress(written);
      if (!bound || edits.some((e) => e.at === node && e.replace === "# Listen")) continue;
      const replace = node.name.toLowerCase() === "listen" ? bound.port : `*:${bound.port}`;
      edits.push({ at: node, find: written, replace, why: bound.why });
    }
  }
  for (const node of loaded.tree) {
    if (node.name === "LoadModule" && BUILT_IN.includes(node.args[0] ?? "")) {
      edits.push({
        at: node,
        find: "LoadModule",
        replace: "# LoadModule",
        why: `Debian's apache2 has ${node.args[0]} built in (apache2 -l): loading it again is an error`,
      });
      continue;
    }
    if (node.name === "LoadModule" && node.args[1] && !node.args[1].startsWith("/")) {
      const file = node.args[1].split("/").pop()!;
      edits.push({
        at: node,
        find: node.args[1],
        replace: `${DEBIAN_MODULES}/${file}`,
        why: `Debian's apache2 keeps its modules in ${DEBIAN_MODULES}`,
      });
    }
    if (node.name === "ServerRoot" && node.args[0] && node.args[0] !== "/etc/apache2") {
      edits.push({
        at: node,
        find: node.args[0],
        replace: "/etc/apache2",
        why: "Debian's apache2 has its ServerRoot at /etc/apache2",
      });
    }
  }
  return applyEdits(loaded.files, edits);
}
