import { APP_ALIAS, applyEdits, type Adapted, type LineEdit } from "../adapt";
import type { ConfigFacts } from "../facts";
import { parseCaddyUpstream } from "./facts";
import type { LoadedCaddy } from "./load";

/** Where the harness puts its test certificate for a site whose certificate Caddy would get from a CA. */
export const HARNESS_CERT = "/etc/proxylab/tls/server.crt";
export const HARNESS_KEY = "/etc/proxylab/tls/server.key";

/**
 * The copy of a user's Caddyfile the harness runs:
 * - upstreams on the proxy's own host (`localhost:3000`, `:3000`), a unix socket or a private address become the
 *   fixture app (`proxylab-app`, same port);
 * - a site Caddy would serve over TLS with a certificate from an ACME CA (this machine reaches none) or its own
 *   internal CA gets `tls <the harness's certificate> <key>`: the run's test CA, which the browser trusts, for
 *   its names. Everything else about TLS (and the http-to-https redirect) is Caddy's, as in production.
 */
export function adaptCaddy(loaded: LoadedCaddy, facts: ConfigFacts): Adapted {
  const edits: LineEdit[] = [];
  for (const u of facts.upstreams) {
    if (u.reach === "name" || u.reach === "public" || u.reach === "self") continue;
    const written = u.at.args.find(
      (a) => parseCaddyUpstream(a)?.host === u.host || (u.reach === "unix" && a.startsWith("unix/")),
    )!;
    const port = u.reach === "unix" ? 80 : u.port;
    const scheme = /^(https?|h2c):\/\//.exec(written)?.[0] ?? "";
    edits.push({
      at: u.at,
      find: written,
      replace: `${scheme}${APP_ALIAS}:${port}`,
      why: `${u.host} is ${u.reach === "private" ? "an address on your network" : "the proxy's own host"}; the app is ${APP_ALIAS}:${port} on the stack's network`,
    });
  }
  const tlsPorts = new Set(facts.listens.filter((l) => l.tls).map((l) => l.port));
  for (const site of loaded.tree.filter((n) => n.name === "site")) {
    const served = facts.listens.filter((l) => l.at === site);
    if (!served.some((l) => tlsPorts.has(l.port) && l.tls)) continue;
    const tls = (site.children ?? []).find((d) => d.name === "tls");
    if (tls && tls.args.length >= 2 && !tls.args[0]!.includes("@")) continue; // its own certificate files: mounted
    const why =
      "Caddy would get this site's certificate from a CA (ACME or its own internal one); the harness serves its test certificate for the site's names, trusted by the browser";
    if (tls)
      edits.push({
        at: tls,
        find: `tls ${tls.args.join(" ")}`.trim(),
        replace: `tls ${HARNESS_CERT} ${HARNESS_KEY}`,
        why,
      });
    else edits.push({ at: site, insertAfter: `\ttls ${HARNESS_CERT} ${HARNESS_KEY}`, why });
  }
  return applyEdits(loaded.files, edits);
}
