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
    const written = u.at.args[0]!;
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
  for (const listen of findAll(loaded.tree, "listen").filter((l) => !l.added)) {
    const bound = boundAddress(listen.args[0] ?? "");
    if (bound) edits.push({ at: listen, find: listen.args[0]!, replace: bound.port, why: bound.why });
  }
  return applyEdits(loaded.files, edits);
}
