import { APP_ALIAS, applyEdits, type Adapted, type LineEdit } from "../adapt";
import type { ConfigFacts } from "../facts";
import type { LoadedHaproxy } from "./load";

/**
 * The copy of a user's haproxy.cfg the harness runs: a `server` on the proxy's own host, a unix socket or a
 * private address becomes the fixture app (`proxylab-app`, same port). Certificates (`bind … crt <pem>`) are
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
      why: `${u.host} is ${u.reach === "private" ? "an address on your network" : "the proxy's own host"}; the app is ${APP_ALIAS}:${port} on the stack's network`,
    });
  }
  return applyEdits(loaded.files, edits);
}
