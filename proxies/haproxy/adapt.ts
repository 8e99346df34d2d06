import { APP_ALIAS, applyEdits, whereIs, boundAddress, type Adapted, type LineEdit } from "../adapt";
import { findAll } from "../config-tree";
import type { ConfigFacts } from "../facts";
import type { LoadedHaproxy } from "./load";

/**
 * The copy of a user's haproxy.cfg the harness runs: a `server` on the proxy's own host, a unix socket or a
 * private address becomes the fixture app (`proxylab-app`, same port); a `bind` to one address binds its port on
 * every address (proxies/adapt.ts, boundAddress). Certificates (`bind … crt <pem>`) are
 * mounted at the paths named, not edited.
 */
export function adaptHaproxy(loaded: LoadedHaproxy, facts: ConfigFacts): Adapted {
  const edits: LineEdit[] = [];
  for (const u of facts.upstreams) {
    if (u.reach === "name" || u.reach === "public" || u.reach === "self") continue;
    const written = u.at.args[1]!;
    const port = u.reach === "unix" ? 80 : u.port;
    edits.push({
      at: u.at,
      find: written,
      replace: `${APP_ALIAS}:${port}`,
      why: `${u.host} is ${whereIs(u.reach)}; the app is ${APP_ALIAS}:${port} on the stack's network`,
    });
  }
  for (const bind of findAll(loaded.tree, "bind")) {
    for (const part of (bind.args[0] ?? "").split(",")) {
      const bound = boundAddress(part);
      if (bound) edits.push({ at: bind, find: part, replace: `:${bound.port}`, why: bound.why });
    }
  }
  return applyEdits(loaded.files, edits);
}
