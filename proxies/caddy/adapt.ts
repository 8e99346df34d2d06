import { APP_ALIAS, applyEdits, whereIs, type Adapted, type LineEdit } from "../adapt";
import type { ConfigFacts } from "../facts";
import { parseCaddyUpstream } from "./facts";
import { caddyListens } from "./listens";
import type { LoadedCaddy } from "./load";

/** Caddy's internal root CA in the harness's image (its data directory: docker/caddy/Dockerfile). */
export const CADDY_LOCAL_ROOT = "/var/lib/proxylab-caddy/data/caddy/pki/authorities/local/root.crt";

/**
 * The copy of a user's Caddyfile the harness runs:
 * - upstreams on the proxy's own host (`localhost:3000`, `:3000`), a unix socket or a private address become the
 *   fixture app (`proxylab-app`, same port);
 * - sites Caddy would serve over TLS with a certificate from an ACME CA (this machine reaches none) get theirs
 *   from Caddy's own internal CA (`local_certs`), which the browser trusts. Everything else about TLS (and the
 *   http-to-https redirect) is Caddy's, as in production.
 */
export function adaptCaddy(loaded: LoadedCaddy, facts: ConfigFacts): Adapted {
  // Placeholders first: the edits after them find the values on their lines.
  const edits: LineEdit[] = [...loaded.completions];
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
      why: `${u.host} is ${whereIs(u.reach)}; the app is ${APP_ALIAS}:${port} on the stack's network`,
    });
  }
  // Sites Caddy would get a certificate for from an ACME CA (which this machine cannot reach): its own internal
  // CA issues them instead, and the harness makes the browser trust that CA, as `caddy trust` would.
  const managed = loaded.tree.filter((site) => {
    if (
      site.name !== "site" ||
      !caddyListens([...loaded.tree.filter((n) => n.name === "global"), site]).some((l) => l.tls)
    )
      return false;
    const tls = (site.children ?? []).find((d) => d.name === "tls");
    return !(tls && tls.args.length >= 2 && !tls.args[0]!.includes("@"));
  });
  // `tls you@example.com` names the ACME account of that one site, which then ignores local_certs: its own line
  // says internal instead.
  for (const site of managed) {
    const tls = (site.children ?? []).find((d) => d.name === "tls" && d.args.length === 1 && d.args[0]!.includes("@"));
    if (tls)
      edits.push({
        at: tls,
        after: "tls",
        find: tls.args[0]!,
        replace: "internal",
        why: `tls ${tls.args[0]} asks an ACME CA (Let's Encrypt) for ${site.args.join(", ")}'s certificate with that e-mail, and this machine reaches none: Caddy's internal CA issues it instead`,
      });
  }
  let proxyCa: string | undefined;
  if (managed.length > 0) {
    const global = loaded.tree.find((n) => n.name === "global");
    const why = `${managed.map((m) => m.args.join(", ")).join("; ")}: Caddy would get the certificate from an ACME CA, which this machine cannot reach; Caddy's own internal CA issues it instead, and the browser trusts that CA`;
    if (global) edits.push({ at: global, insertAfter: "\tlocal_certs\n\tskip_install_trust", why });
    else
      edits.push({
        at: { file: loaded.entry.shown, line: 1 },
        insertBefore: "{\n\tlocal_certs\n\tskip_install_trust\n}",
        why,
      });
    proxyCa = CADDY_LOCAL_ROOT;
  }
  return { ...applyEdits(loaded.files, edits), ...(proxyCa ? { proxyCa } : {}) };
}
