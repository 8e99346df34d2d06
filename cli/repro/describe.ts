import { APP_ALIAS } from "../../proxies/adapt";
import { appEndpoints, replicaNames, replicasShareNames } from "../../proxies/prepare";
import {
  edgeConfigOf,
  nginxVersionOf,
  prefixOf,
  preparedConfigOf,
  replicasOf,
  type Project,
} from "../../proxies/projects";
import type { ProxiedPath } from "../../proxies/facts";
import type { StackPlan } from "../../stack/plan";

/** The scenarios' paths under a prefix: what a proxied location must cover for every scenario to run. */
export const SCENARIO_PATHS = [
  "/",
  "/login",
  "/oauth/callback",
  "/random-uuid",
  "/chat",
  "/static/",
  "/ws-stomp/",
  "/ws-echo",
  "/sse",
  "/sse-lab",
  "/form/",
];

function covers(p: ProxiedPath, path: string): boolean {
  if (p.match === "exact") return p.path === path;
  if (p.match === "regex") {
    try {
      return new RegExp(p.path).test(path);
    } catch {
      return false;
    }
  }
  return path.startsWith(p.path);
}

/** The proxied paths of a config that serve the scenarios' paths under a prefix, and the ones left unserved. */
export function servedPaths(proxied: readonly ProxiedPath[], prefix: string): { served: string[]; unserved: string[] } {
  const paths = SCENARIO_PATHS.map((p) => `${prefix}${p}`);
  const served = paths.filter((p) => proxied.some((x) => covers(x, p)));
  return { served, unserved: paths.filter((p) => !served.includes(p)) };
}

const LAYOUTS: Partial<Record<string, Record<"main" | "site", string>>> = {
  nginx: {
    main: "a whole nginx.conf (it replaces Debian's)",
    site: "server blocks inside Debian's nginx.conf http {}",
  },
  apache: {
    main: "a whole apache2.conf / httpd.conf (it replaces Debian's)",
    site: "a site, in Debian's sites-enabled",
  },
};

export class NothingProxiedError extends Error {
  override name = "NothingProxiedError";
}

/**
 * A config written for an edge in front of it, run without one: what `--behind tls` would test. Read off the
 * config's own lines: it forwards the edge's X-Forwarded-Proto, trusts a proxy's address, or listens on plain
 * http only while setting X-Forwarded-* lines.
 */
export function edgeHint(project: Project): string | null {
  if (project.edge) return null;
  const config = preparedConfigOf(project);
  const text = config.original.map((f) => f.text).join("\n");
  const signs = [
    /\$http_x_forwarded_proto\b|\{header\.X-Forwarded-Proto\}/i.test(text) &&
      "it forwards the edge's X-Forwarded-Proto",
    /^\s*(set_real_ip_from|RemoteIPTrustedProxy|RemoteIPInternalProxy|trusted_proxies)\b/im.test(text) &&
      "it trusts a proxy's address for the client's",
    config.facts.listens.length > 0 &&
      config.facts.listens.every((l) => !l.tls) &&
      /X-Forwarded-(Proto|For)/i.test(text) &&
      "it listens on plain http only and sets X-Forwarded-* lines",
  ].filter((x): x is string => typeof x === "string");
  return signs.length === 0
    ? null
    : `this config looks written for a TLS edge in front of it (${signs.join("; ")}): \`--behind tls\` runs it behind one (HTTP/2 and TLS to the browser, X-Forwarded-Proto/-For/-Port, a 60 s idle timeout), as deployed, and tests what lives between the two hops (docs/edge.md).`;
}

/**
 * What the harness read from a user's config and what it will do, before anything starts: the kind and why,
 * the files, where it listens and where the browser enters, the upstreams the app stands in for, the proxied
 * locations, and every change made to the copy, as a diff. Throws NothingProxiedError (with what it does proxy)
 * when nothing is proxied where the scenarios run.
 */
export function describeConfig(project: Project, plan: StackPlan, args: { path?: string }): string {
  const config = preparedConfigOf(project);
  const { facts } = config;
  const lines: string[] = [];
  const say = (s: string) => lines.push(`[repro] ${s}`);
  const version = config.kind === "nginx" ? ` ${nginxVersionOf(project)}` : "";
  say(
    `${config.shown}: ${config.kind}${version} (${config.kindWhy}); ${config.original.length === 1 ? "one file" : `${config.original.length} files`}${config.layout ? `, ${LAYOUTS[config.kind]?.[config.layout] ?? config.layout}` : ""}`,
  );
  if (config.original.length > 1) for (const f of config.original) lines.push(`    ${f.shown} → ${f.target}`);
  const edge = edgeConfigOf(project);
  if (plan.edge && edge) {
    // The chain, browser first, and every adaptation of the edge's config too (docs/edge.md).
    const stock = project.edge && "stock" in project.edge ? project.edge.stock : null;
    say(
      stock
        ? `behind the stock TLS edge (HAProxy, an AWS ALB's defaults, docs/edge.md): HTTP/2 on 443, HTTP/1.1 to ${config.shown} on ${plan.edge.target.port}${plan.edge.target.tls ? " (TLS, not verified)" : ""}, X-Forwarded-Proto https, -Port 443, -For appended, idle timeout ${stock.idleS} s`
        : `a chain: the browser → ${edge.shown} (${edge.kind}) → ${config.shown} (${config.kind}) → the app; ${edge.shown}'s upstreams (${appEndpoints(edge.facts).aliases.join(", ")}) resolve to ${config.shown}`,
    );
    say(
      `the browser opens ${plan.base}/ (${plan.publicNames.join(", ")} → the edge on ${plan.proxyAddress}:${plan.listens.map((l) => l.port).join(",")}); ${config.shown} listens on ${plan.edge.innerListens.map((l) => `${l.port}${l.tls ? " (TLS)" : ""}`).join(", ")}, reached by the edge only`,
    );
    say(`quiet streams: ${plan.idle.stream.why}; quiet WebSockets: ${plan.idle.tunnel.why}`);
    for (const note of stock ? [] : edge.notes) say(note);
    if (!stock && edge.adapted.diff) lines.push(`[repro] changes to ${edge.shown}:`, edge.adapted.diff.trimEnd());
  } else
    say(
      `listens on ${plan.listens.map((l) => `${l.port}${l.tls ? " (TLS)" : ""}${l.publicPort !== l.port ? ` published as ${l.publicPort}` : ""}`).join(", ")}: ${plan.listens.every((l) => l.publicPort === l.port) ? "each published as it is" : "published"} on ${plan.proxyAddress}; the browser opens ${plan.base}/ (${plan.publicNames.join(", ")} → ${plan.proxyAddress})`,
    );
  const hint = edgeHint(project);
  if (hint) say(hint);
  // Each upstream once, with every line that names it (a variable's `set` and `map` values name one several times).
  const namedAt = new Map<string, string[]>();
  for (const u of facts.upstreams) {
    const key = `${u.host}:${u.port}:${u.tls}`;
    namedAt.set(key, [...(namedAt.get(key) ?? []), `${u.at.file}:${u.at.line}`]);
  }
  const once = facts.upstreams.filter(
    (u, i, all) => all.findIndex((v) => v.host === u.host && v.port === u.port && v.tls === u.tls) === i,
  );
  const up = once.map(
    (u) =>
      `${u.host}${u.host.startsWith("unix:") ? "" : `:${u.port}`}${u.tls ? " (https)" : ""} (${[...new Set(namedAt.get(`${u.host}:${u.port}:${u.tls}`))].join(", ")}): ${
        {
          name: "the fixture app answers to this name",
          loopback: "the proxy's own host: rewritten to the app",
          unix: "a socket: rewritten to the app",
          private: "an address on your network: rewritten to the app",
          public: "a public address: left alone, reaches nothing",
          self: "the proxy itself",
          placeholder: "a placeholder, not a host: rewritten to the app",
        }[u.reach]
      }`,
  );
  if (up.length) say(`upstreams:\n${up.map((u) => `    ${u}`).join("\n")}`);
  const replicas = replicasOf(project);
  if (replicas > 1) {
    const { aliases } = appEndpoints(facts);
    const named = aliases.filter((a) => a !== APP_ALIAS);
    if (replicasShareNames(aliases, replicas))
      say(
        `${replicas} app replicas (app-1…app-${replicas}), every one answering ${named.length ? named.join(", ") : "the local addresses"}: fewer names than replicas, so they share them, as one service name does (the proxy's own resolving decides which replicas it reaches)`,
      );
    else {
      const shares = Array.from({ length: replicas }, (_, i) => {
        const names = replicaNames(aliases, i + 1, replicas).filter((a) => a !== APP_ALIAS);
        return `app-${i + 1} (${names.join(", ")})`;
      });
      say(`${replicas} app replicas, each answering its share of those names: ${shares.join("; ")}`);
    }
  }
  if (facts.proxied.length)
    say(
      `proxied locations:\n${facts.proxied.map((p) => `    ${p.match === "exact" ? "= " : p.match === "regex" ? "~ " : ""}${p.path} → ${p.upstream}${p.strips ? " (prefix stripped)" : ""}   (${p.at.file}:${p.at.line})`).join("\n")}`,
    );
  const prefix = prefixOf(project);
  const { served, unserved } = servedPaths(facts.proxied, prefix);
  if (facts.proxied.length > 0 && served.length === 0) {
    const suggestion = facts.proxied.find((p) => p.match === "prefix" && p.path !== "/")?.path;
    throw new NothingProxiedError(
      `${config.shown} proxies nothing at ${prefix || "/"}, where the scenarios run (it proxies ${facts.proxied.map((p) => p.path).join(", ")}).${suggestion ? ` Run them under one of those: --path ${suggestion}` : ""}`,
    );
  }
  if (!args.path)
    say(
      `running every scenario at / (no --path given)${facts.proxied.filter((p) => p.path !== "/").length ? `; --path <prefix> runs them under another location` : ""}`,
    );
  if (unserved.length && served.length)
    say(`not proxied under ${prefix || "/"} (those scenarios will show it): ${unserved.join(", ")}`);
  const hold = (ms: number | null) => (ms === null ? "none" : `${Math.round(ms / 1000)} s`);
  say(
    `idle timeouts where the scenarios go: streams ${hold(plan.idle.stream.ms)} (${plan.idle.stream.why}), WebSockets ${hold(plan.idle.tunnel.ms)} (${plan.idle.tunnel.why})${process.env.PROXYLAB_QUICK === "1" ? "; --quick: not waited out" : ""}`,
  );
  if (config.adapted.changes.length === 0) {
    say("your files run as they are: nothing changed");
  } else {
    say(
      `what the harness changes, on a copy (your files are not touched):\n${config.adapted.changes.map((c) => `    ${c.shown}:${c.line}: ${c.why}`).join("\n")}`,
    );
    lines.push(config.adapted.diff.trimEnd());
  }
  for (const n of config.notes) say(n);
  return lines.join("\n");
}
