import path from "node:path";
import { walk, at, type ConfigNode } from "../config-tree";
import type { ConfigFile } from "../config-files";
import type { ProvidedFile } from "../prepare";
import { HAPROXY_DIR } from "./load";

/** Error pages Debian's haproxy package ships: a config naming one of these finds it in the image. */
const DEBIAN_ERRORS = ["400", "403", "408", "500", "502", "503", "504"].map((c) => `/etc/haproxy/errors/${c}.http`);

const REASONS: Record<string, string> = {
  "200": "OK",
  "400": "Bad Request",
  "401": "Unauthorized",
  "403": "Forbidden",
  "404": "Not Found",
  "405": "Method Not Allowed",
  "407": "Proxy Authentication Required",
  "408": "Request Time-out",
  "410": "Gone",
  "413": "Payload Too Large",
  "425": "Too Early",
  "429": "Too Many Requests",
  "500": "Internal Server Error",
  "501": "Not Implemented",
  "502": "Bad Gateway",
  "503": "Service Unavailable",
  "504": "Gateway Time-out",
};

/** An error page as HAProxy wants one: a whole HTTP response, headers and body. */
function errorPage(code: string, file: string): string {
  const reason = REASONS[code] ?? "Error";
  const body = `<html><body><h1>${code} ${reason}</h1>proxylab's stand-in for ${file}.</body></html>\n`;
  return `HTTP/1.0 ${code} ${reason}\r\nCache-Control: no-cache\r\nConnection: close\r\nContent-Type: text/html\r\n\r\n${body}`;
}

/**
 * Files an HAProxy config names that its project ships beside it and the user did not give: error pages
 * (`errorfile 503 /usr/local/etc/haproxy/errors/503.http`), Lua scripts (`lua-load`), map and ACL pattern files
 * (`map_dom(/etc/haproxy/hosts.map)`, `acl … -f blocked.lst`). Each gets a stand-in that loads, said before the
 * run: an error page that says what it stands in for, an empty map or list (a lookup finds nothing, so the map's
 * default or the rule's other branch applies), and a script that registers the names the config calls as no-ops.
 * A scenario that depends on one of them shows it; the rest run as written.
 */
export function haproxyStandIns(files: readonly ConfigFile[], tree: readonly ConfigNode[]): ProvidedFile[] {
  const given = new Set(files.map((f) => f.target));
  const out = new Map<string, ProvidedFile>();
  const resolve = (p: string) => (p.startsWith("/") ? p : path.posix.join(HAPROXY_DIR, p));
  const add = (target: string, node: ConfigNode, text: string, what: string) => {
    if (given.has(target) || out.has(target)) return;
    out.set(target, {
      target,
      tool: "its project",
      at: at(node),
      text,
      note: `${at(node)}: ${target} is not in what was given: ${what}.`,
    });
  };
  const luaNames = luaReferences(tree);
  for (const { node } of walk(tree)) {
    if (node.name === "errorfile" && node.args[1]) {
      const target = resolve(node.args[1]);
      if (!DEBIAN_ERRORS.includes(target))
        add(target, node, errorPage(node.args[0] ?? "503", node.args[1]), `a stand-in ${node.args[0]} page is there`);
    }
    if (node.name === "lua-load" && node.args[0])
      add(resolve(node.args[0]), node, luaStandIn(luaNames), `a stand-in script registers ${describeLua(luaNames)}`);
    for (const arg of node.args) {
      for (const m of arg.matchAll(/\bmap(?:_\w+)?\(([^,)]+)/g)) {
        const file = m[1]!.trim();
        if (!file.includes("%[")) add(resolve(file), node, "", "an empty map stands in (every lookup misses)");
      }
    }
    const f = node.args.indexOf("-f");
    if (f >= 0 && node.args[f + 1])
      add(resolve(node.args[f + 1]!), node, "", "an empty list stands in (nothing matches it)");
  }
  return [...out.values()];
}

interface LuaNames {
  actions: Set<string>;
  services: Set<string>;
  fetches: Set<string>;
  converters: Set<string>;
}

/** The Lua names a config calls: `http-request lua.x`, `use-service lua.x`, `%[lua.x]` fetches, `,lua.x` converters. */
function luaReferences(tree: readonly ConfigNode[]): LuaNames {
  const names: LuaNames = { actions: new Set(), services: new Set(), fetches: new Set(), converters: new Set() };
  for (const { node } of walk(tree)) {
    const words = [node.name, ...node.args];
    words.forEach((w, i) => {
      const action = /^lua\.([\w-]+)$/.exec(w);
      if (action && i > 0) {
        if (words[i - 1] === "use-service") names.services.add(action[1]!);
        else if (
          /^(http-request|http-response|tcp-request|tcp-response|content|connection|session|http-after-response)$/.test(
            words[i - 1] ?? "",
          )
        )
          names.actions.add(action[1]!);
      }
      for (const m of w.matchAll(/(^|[,[(])lua\.([\w-]+)/g)) {
        if (m[1] === ",") names.converters.add(m[2]!);
        else if (m[1] !== "" || !action) names.fetches.add(m[2]!);
      }
    });
  }
  return names;
}

function describeLua(n: LuaNames): string {
  const all = [
    ...[...n.actions].map((x) => `action lua.${x}`),
    ...[...n.services].map((x) => `service lua.${x}`),
    ...[...n.fetches].map((x) => `fetch lua.${x}`),
    ...[...n.converters].map((x) => `converter lua.${x}`),
  ];
  return all.length
    ? `${all.join(", ")} as no-ops (a service answers 503)`
    : "nothing (the config calls none of its names)";
}

function luaStandIn(n: LuaNames): string {
  const lines = [
    "-- proxylab's stand-in for a script the config's project ships: every name the config calls, as a no-op.",
  ];
  for (const a of n.actions)
    lines.push(`core.register_action("${a}", { "http-req", "http-res", "tcp-req", "tcp-res" }, function(txn) end)`);
  for (const s of n.services)
    lines.push(
      `core.register_service("${s}", "http", function(applet) applet:set_status(503) applet:start_response() applet:send("") end)`,
    );
  for (const f of n.fetches) lines.push(`core.register_fetches("${f}", function(txn) return "" end)`);
  for (const c of n.converters) lines.push(`core.register_converters("${c}", function(value) return value end)`);
  return `${lines.join("\n")}\n`;
}
