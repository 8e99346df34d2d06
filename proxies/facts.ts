import type { ConfigNode, Listen } from "./config-tree";

/**
 * What the harness reads from a config, whatever its kind, to run it unedited: where it listens, which names
 * it answers to, where it sends requests, which files it expects beside it. Each kind's facts.ts fills it in.
 */
export interface Upstream {
  /** As written: a host name, an IP literal, or "unix:/path". */
  readonly host: string;
  readonly port: number;
  readonly tls: boolean;
  readonly at: ConfigNode;
  /** The text naming it on that line, when not the directive's first argument (a `set` or `map` value). */
  readonly written?: string;
  /**
   * "name": a host name the fixture app will answer to (a network alias); "loopback" and "unix": the app on the
   * proxy's own host, rewritten to the app; "private": an address on the user's network, rewritten to the app;
   * "public": a public address, left as it is (nothing leaves the machine: it reaches nothing); "self": the
   * proxy's own port (loopback to a port the config listens on), left as it is; "placeholder": a published
   * example's stand-in (`<snip>`, `<backend_url>`), which no proxy can resolve: rewritten to the app.
   */
  readonly reach: "name" | "loopback" | "unix" | "private" | "public" | "self" | "placeholder";
}

/** A file the config names that the user does not ship: certificates, keys, DH parameters. */
export interface NamedFile {
  readonly path: string;
  readonly role:
    | "certificate"
    | "key"
    | "certificate-and-key"
    | "ca"
    | "dhparams"
    | "certificate-dir"
    /** HAProxy `crt-list`: a file listing certificates (written by OPNsense's and pfSense's plugins). */
    | "crt-list"
    /** A directory the proxy needs to exist (HAProxy `chroot`). */
    | "directory";
  readonly at: ConfigNode;
}

/** A place the config proxies: its path prefix and where it sends the request. */
export interface ProxiedPath {
  readonly path: string;
  readonly match: "prefix" | "exact" | "regex";
  readonly upstream: string;
  /** Whether the proxy strips the prefix before passing the request on (`proxy_pass http://app/;`). */
  readonly strips: boolean;
  readonly at: ConfigNode;
}

export interface ConfigFacts {
  readonly listens: readonly Listen[];
  /** Names the config answers to (server_name, ServerName, site addresses, host ACLs), in order. */
  readonly names: readonly string[];
  readonly upstreams: readonly Upstream[];
  readonly files: readonly NamedFile[];
  readonly proxied: readonly ProxiedPath[];
}

const PRIVATE = /^(10\.|192\.168\.|172\.(1[6-9]|2\d|3[01])\.|169\.254\.|fc|fd)/i;

/** How a host of an upstream is reached: see Upstream.reach. */
export function reachOf(host: string, port: number, ownPorts: readonly number[]): Upstream["reach"] {
  const h = host.replace(/^\[|\]$/g, "");
  if (/[<>{}]/.test(h) || /^(your[-_]|example_)/i.test(h)) return "placeholder";
  if (h.startsWith("unix:") || h.startsWith("/")) return "unix";
  if (/^(localhost|127\.\d+\.\d+\.\d+|::1|0\.0\.0\.0)$/i.test(h)) return ownPorts.includes(port) ? "self" : "loopback";
  if (/^\d+\.\d+\.\d+\.\d+$/.test(h) || h.includes(":")) return PRIVATE.test(h) ? "private" : "public";
  return "name";
}

/** A concrete host name for a server name pattern: `*.example.com` → `app.example.com`; regexes and `_` give none. */
export function concreteName(name: string): string | null {
  if (!name || name === "_" || name.startsWith("~") || name === "localhost" || name === "default" || name.includes("$"))
    return null;
  if (/^\d+\.\d+\.\d+\.\d+$/.test(name)) return null;
  const concrete = (
    name.startsWith("*.")
      ? `app${name.slice(1)}`
      : name.startsWith(".")
        ? name.slice(1)
        : name.endsWith(".*")
          ? `${name.slice(0, -2)}.test`
          : name
  ).toLowerCase();
  // A placeholder left in a published example (`<your-domain>`, `example.com:443`) is not a host name to use.
  return /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/.test(concrete) ? concrete : null;
}
