import type { Listen } from "../proxies/config-tree";
import { edgeTarget } from "../proxies/edge";
import { idleTimeouts, type IdleTimeout, type IdleTimeouts } from "../proxies/idle";
import { PROXY_KINDS } from "../proxies/kinds";
import {
  configPath,
  edgeConfigOf,
  listensOf,
  prefixOf,
  preparedConfigOf,
  publishedOf,
  replicasOf,
  topologyOf,
  type Project,
} from "../proxies/projects";

/**
 * Where a project's stack lives and how the browser reaches it, decided before anything starts (the browser's
 * launch options need it): data handed to the global setup, the workers and the reporter alike.
 *
 * Each stack gets two loopback addresses of its own (127.0.0.0/8 is all loopback on Linux, nothing to add or
 * remove): the proxy's, where every port its config listens on is published as it is (443, 80, 8443…), so the
 * browser meets it at a production URL (`https://app.test/`); and the harness's, for the OAuth provider and
 * the debug endpoints, so no port of the harness can collide with one a config uses.
 */
export interface StackPlan {
  readonly proxyAddress: string;
  readonly harnessAddress: string;
  /** The stack's container network: its own /24 of 10.80.0.0/16, numbered like its addresses. */
  readonly subnet: string;
  /**
   * The proxy's address on that network, where its config's names resolve inside its container (as a site's names
   * resolve to its own server): `<VirtualHost app.example.com:443>` and `listen app.example.com:443` bind there.
   */
  readonly proxyIp: string;
  /** The names the browser resolves to the proxy's address (and the test certificate covers). */
  readonly publicNames: readonly string[];
  /**
   * Every port the config listens on, published on the proxy's address as it is, or on the port a mapping names
   * (`publicPort`: `docker -p 443:8443`).
   */
  readonly listens: readonly PublishedListen[];
  /**
   * Where the browser enters: the TLS port if there is one (443 first), else plain http (80 first); `port` is the
   * public port, `listenPort` the config's own behind it.
   */
  readonly entry: { readonly scheme: "http" | "https"; readonly port: number; readonly listenPort: number };
  /** The app as the browser reaches it: `https://app.test` (no port when it is the scheme's default). */
  readonly appUrl: string;
  /** Where the scenarios open the app's pages: appUrl plus the path prefix (`--path /push/`, a sub-path variant's), no trailing slash. */
  readonly base: string;
  /** The config's idle timeouts where the scenarios' streams and WebSockets go (proxies/idle.ts). */
  readonly idle: IdleTimeouts;
  /** Split-origin only: the front end and the API, on the same entry port. */
  readonly wwwUrl?: string;
  readonly apiUrl?: string;
  /** The mock provider, reached by the browser directly on the harness's address. */
  readonly idpUrl: string;
  readonly idpDebugUrl: string;
  /** The app's debug endpoint; one per replica (app-1 first) when the stack runs several. */
  readonly appDebugUrls: readonly string[];
  /**
   * A stack with an edge in front of its config (docs/edge.md): the browser meets the edge (`listens`, `entry`
   * are the edge's), the edge runs at `ip` on the stack's network and sends to the config at proxyIp, on `target`.
   * The config's own ports are published on `innerAddress` only (127.80.n.3), for the harness to wait on.
   */
  readonly edge?: {
    readonly ip: string;
    readonly innerAddress: string;
    readonly innerListens: readonly PublishedListen[];
    readonly target: { readonly port: number; readonly tls: boolean };
  };
}

/** The harness's own ports, on the harness's address. */
export const HARNESS_PORTS = { idp: 9443, idpDebug: 9080, appDebug: 8081 } as const;
export const IDP_NAME = "idp.test";

/** Stack n's addresses: 127.80.n.1 (the proxy) and 127.80.n.2 (the harness); its network 10.80.n.0/24. */
export function stackAddresses(index: number): { proxyAddress: string; harnessAddress: string; subnet: string } {
  if (!Number.isInteger(index) || index < 0 || index > 255)
    throw new Error(`A run has at most 256 stacks (project index ${index}).`);
  return { proxyAddress: `127.80.${index}.1`, harnessAddress: `127.80.${index}.2`, subnet: `10.80.${index}.0/24` };
}

/**
 * The names the browser uses: the config's own (server_name, ServerName, site addresses, host ACLs), in its
 * order; `app.test` for a config that names none.
 */
export function publicNamesOf(project: Project): string[] {
  const names = preparedConfigOf(project).facts.names;
  return names.length > 0 ? [...names] : ["app.test"];
}

/** A port the config listens on, and the one the browser meets it on. */
export interface PublishedListen extends Pick<Listen, "port" | "tls"> {
  readonly publicPort: number;
}

export function entryOf(listens: readonly PublishedListen[]): StackPlan["entry"] | null {
  const tls = listens.filter((l) => l.tls).sort((a, b) => Number(b.publicPort === 443) - Number(a.publicPort === 443));
  if (tls[0]) return { scheme: "https", port: tls[0].publicPort, listenPort: tls[0].port };
  const plain = [...listens].sort((a, b) => Number(b.publicPort === 80) - Number(a.publicPort === 80));
  return plain[0] ? { scheme: "http", port: plain[0].publicPort, listenPort: plain[0].port } : null;
}

export function originOf(scheme: "http" | "https", host: string, port: number): string {
  const standard = (scheme === "https" && port === 443) || (scheme === "http" && port === 80);
  return `${scheme}://${host}${standard ? "" : `:${port}`}`;
}

/** A project's plan; `index` is its place among the run's projects (the same in the runner and every worker). */
export function planStack(project: Project, index: number): StackPlan {
  if (project.edge) return planEdgeStack(project, index);
  const published = publishedOf(project);
  const own = new Set(listensOf(project).map((l) => l.port));
  const stray = Object.keys(published).find((port) => !own.has(Number(port)));
  const setting = project.user ? "--publish" : `${project.name}'s published`;
  const publics = listensOf(project).map((l) => published[l.port] ?? l.port);
  const twice = publics.find((port, i) => publics.indexOf(port) !== i);
  if (twice !== undefined)
    throw new Error(
      `${setting}: two ports of ${project.user?.shown ?? configPath(project)} would be published as ${twice}; map each to its own public port.`,
    );
  if (stray)
    throw new Error(
      `${setting} ${published[Number(stray)]}:${stray}: ${project.user?.shown ?? configPath(project)} listens on no port ${stray} (it listens on ${[...own].join(", ")}).`,
    );
  const listens = listensOf(project).map(({ port, tls }) => ({ port, tls, publicPort: published[port] ?? port }));
  const entry = entryOf(listens);
  if (!entry)
    throw new Error(
      `${project.user?.shown ?? configPath(project)} listens on no TCP port: the browser has nowhere to go. To run it, ${PROXY_KINDS[project.proxy].listenHint}.`,
    );
  const names = publicNamesOf(project);
  const prefix = prefixOf(project);
  return {
    ...reached(project, index, names, entry),
    listens,
    entry,
    idle: {
      stream: idleTimeouts(preparedConfigOf(project), names[0]!, entry.listenPort, `${prefix}/sse`).stream,
      tunnel: idleTimeouts(preparedConfigOf(project), names[0]!, entry.listenPort, `${prefix}/ws-echo`).tunnel,
    },
  };
}

/** What every stack has, with or without an edge: its addresses, the URLs the browser opens, the harness's ports. */
function reached(
  project: Project,
  index: number,
  names: readonly string[],
  entry: StackPlan["entry"],
): Omit<StackPlan, "listens" | "entry" | "idle" | "edge"> {
  const { proxyAddress, harnessAddress, subnet } = stackAddresses(index);
  const origin = originOf(entry.scheme, names[0]!, entry.port);
  return {
    proxyAddress,
    harnessAddress,
    subnet,
    proxyIp: subnet.replace(/\.0\/24$/, ".250"),
    publicNames: [...names],
    appUrl: origin,
    base: `${origin}${prefixOf(project)}`,
    ...(topologyOf(project) === "split-origin"
      ? {
          wwwUrl: originOf(entry.scheme, "www.app.test", entry.port),
          apiUrl: originOf(entry.scheme, "api.app.test", entry.port),
        }
      : {}),
    idpUrl: `https://${IDP_NAME}:${HARNESS_PORTS.idp}`,
    idpDebugUrl: `http://${harnessAddress}:${HARNESS_PORTS.idpDebug}`,
    // Replica n's debug port is the app's plus n - 1 (8081, 8082…), on the same harness address.
    appDebugUrls: Array.from(
      { length: replicasOf(project) },
      (_, i) => `http://${harnessAddress}:${HARNESS_PORTS.appDebug + i}`,
    ),
  };
}

/** The shorter of two hops' idle timeouts (null: none), said with the hop that sets it. */
function shorter(edge: IdleTimeout, inner: IdleTimeout, innerShown: string): IdleTimeout {
  const edgeFirst = inner.ms === null || (edge.ms !== null && edge.ms <= inner.ms);
  return edgeFirst
    ? { ms: edge.ms, why: `the edge's ${edge.why}` }
    : { ms: inner.ms, why: `${innerShown}'s ${inner.why}` };
}

/**
 * A stack with an edge (docs/edge.md): the browser meets the edge on the ports it listens on (the stock edge: 443),
 * at the config's own names (or the edge config's, when it names some); a quiet stream lasts as long as the
 * shorter of the two hops allows.
 */
function planEdgeStack(project: Project, index: number): StackPlan {
  const edge = edgeConfigOf(project)!;
  const shown = project.user?.shown ?? configPath(project);
  const innerListens = listensOf(project).map(({ port, tls }) => ({ port, tls, publicPort: port }));
  const target = edgeTarget(innerListens);
  if (!target)
    throw new Error(
      `${shown} listens on no TCP port: the edge has nowhere to send requests. To run it, ${PROXY_KINDS[project.proxy].listenHint}.`,
    );
  const listens = edge.facts.listens.map(({ port, tls }) => ({ port, tls, publicPort: port }));
  const entry = entryOf(listens);
  if (!entry)
    throw new Error(
      `${edge.shown} listens on no TCP port: the browser has nowhere to go. To run it, ${PROXY_KINDS[edge.kind].listenHint}.`,
    );
  const names = edge.facts.names.length > 0 ? [...edge.facts.names] : publicNamesOf(project);
  const prefix = prefixOf(project);
  const idle = (p: string) => {
    const outer = idleTimeouts(edge, names[0]!, entry.listenPort, p);
    const inner = idleTimeouts(preparedConfigOf(project), names[0]!, target.port, p);
    return { stream: shorter(outer.stream, inner.stream, shown), tunnel: shorter(outer.tunnel, inner.tunnel, shown) };
  };
  const common = reached(project, index, names, entry);
  return {
    ...common,
    listens,
    entry,
    idle: { stream: idle(`${prefix}/sse`).stream, tunnel: idle(`${prefix}/ws-echo`).tunnel },
    edge: {
      ip: common.subnet.replace(/\.0\/24$/, ".249"),
      innerAddress: common.proxyAddress.replace(/\.1$/, ".3"),
      innerListens,
      target,
    },
  };
}

/** The names one project's browser resolves: its public names to the proxy's address, the provider to the harness's. */
export function resolvedNames(plan: StackPlan): Array<readonly [name: string, address: string]> {
  return [...plan.publicNames.map((n) => [n, plan.proxyAddress] as const), [IDP_NAME, plan.harnessAddress] as const];
}

/**
 * Chromium's resolver for one project: resolvedNames, and every other name to nothing (nothing the page asks for
 * can leave the machine). Firefox gets the same names in its own /etc/hosts (lib/firefox.ts).
 */
export function hostResolverRules(plan: StackPlan): string {
  const rules = [
    ...resolvedNames(plan).map(([n, address]) => `MAP ${n} ${address}`),
    "MAP * ~NOTFOUND",
    "EXCLUDE localhost",
  ];
  return `--host-resolver-rules=${rules.join(",")}`;
}

/** Every project's plan, by name: a project's index is its place in the run's full list of projects. */
export function planStacks(projects: readonly Project[]): Map<string, StackPlan> {
  return new Map(projects.map((p, i) => [p.name, planStack(p, i)]));
}
