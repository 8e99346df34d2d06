import { APP_ALIAS, applyEdits, whereIs, boundAddress, type Adapted, type LineEdit } from "../adapt";
import { findAll } from "../config-tree";
import type { ConfigFacts } from "../facts";
import type { LoadedNginx } from "./load";

/**
 * The copy of a user's nginx config the harness runs, and nothing more changed than it must:
 * - an upstream on the proxy's own host (`127.0.0.1:3000`, `localhost`, a unix socket) or on the user's own
 *   network (a private address) becomes the fixture app, `proxylab-app:<same port>` (a unix socket: port 80);
 *   upstream host names stay as written (the app answers to each of them on the stack's network);
 * - a `listen` bound to one address (`192.0.2.10:443`, `127.0.0.1:8080`) listens on that port on every address
 *   (proxies/adapt.ts, boundAddress).
 * Certificates, keys and DH parameters are not edited: the harness's files are mounted at the paths named.
 */
export function adaptNginx(loaded: LoadedNginx, facts: ConfigFacts): Adapted {
  const edits: LineEdit[] = [...loaded.completions];
  for (const u of facts.upstreams) {
    if (u.reach === "name" || u.reach === "public" || u.reach === "self") continue;
    const written = u.written ?? u.at.args[0]!;
    const replacement =
      u.reach === "unix"
        ? written.replace(
            /^(https?:\/\/)?unix:[^:]+:?/,
            (_m, scheme: string | undefined) => `${scheme ?? ""}${APP_ALIAS}:80`,
          )
        : written.replace(u.host, APP_ALIAS);
    const why =
      u.reach === "unix"
        ? `${u.host} is a socket on the proxy's own host; the app is ${APP_ALIAS}:80 on the stack's network`
        : `${u.host}${u.reach === "loopback" ? `:${u.port}` : ""} is ${whereIs(u.reach)}; the app is ${APP_ALIAS}:${u.port} on the stack's network`;
    edits.push({ at: u.at, find: written, replace: replacement, why });
  }
  // A Host header or a proxy_redirect that names a rewritten upstream as written (`proxy_set_header Host
  // localhost:11434;`) names the app with it: what nginx derives from proxy_pass (`proxy_redirect default`) must
  // still match what the app builds from Host, as it does where the config runs.
  const rewritten = facts.upstreams.filter((u) => u.reach === "loopback" || u.reach === "private");
  for (const d of findAll(loaded.tree, "proxy_set_header", "proxy_redirect")) {
    const value = d.name === "proxy_redirect" ? d.args[0] : d.args[0]?.toLowerCase() === "host" ? d.args[1] : undefined;
    if (!value) continue;
    for (const u of rewritten) {
      const named = [`${u.host}:${u.port}`, ...(u.port === 80 ? [u.host] : [])].find(
        (n) => value === n || value.startsWith(`http://${n}/`) || value === `http://${n}`,
      );
      if (!named) continue;
      edits.push({
        at: d,
        after: d.name === "proxy_redirect" ? d.name : d.args[0]!,
        find: named,
        replace: `${APP_ALIAS}:${u.port}`,
        why: `${d.name} names the upstream ${named}, rewritten to the app: it names the app too, so nginx's redirect rewriting matches as where the config runs`,
      });
      break;
    }
  }
  for (const listen of findAll(loaded.tree, "listen").filter((l) => !l.added)) {
    const bound = boundAddress(listen.args[0] ?? "");
    if (bound) edits.push({ at: listen, find: listen.args[0]!, replace: bound.port, why: bound.why });
  }
  return applyEdits(loaded.files, edits);
}
