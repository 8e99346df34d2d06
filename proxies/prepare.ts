import path from "node:path";
import type { Adapted, LineEdit } from "./adapt";
import { APP_ALIAS } from "./adapt";
import { adaptApache } from "./apache/adapt";
import { apacheFacts } from "./apache/facts";
import { APACHE_TOOL_FILES, loadApache } from "./apache/load";
import { adaptCaddy } from "./caddy/adapt";
import { caddyFacts } from "./caddy/facts";
import { loadCaddy } from "./caddy/load";
import { ConfigInputError, pathKind, type ConfigFile } from "./config-files";
import { ConfigSyntaxError, type ConfigNode } from "./config-tree";
import { detectKind } from "./detect";
import type { ConfigFacts } from "./facts";
import { adaptHaproxy } from "./haproxy/adapt";
import { haproxyFacts } from "./haproxy/facts";
import { loadHaproxy } from "./haproxy/load";
import type { ProxyKindName } from "./kinds";
import { adaptNginx } from "./nginx/adapt";
import { nginxFacts } from "./nginx/facts";
import { loadNginx } from "./nginx/load";
import { TOOL_FILES, toolFileFor } from "./nginx/stock";

/**
 * A file a config names that is not in what the user gave and that the harness writes where the proxy reads it:
 * a tool's (certbot's options-ssl-nginx.conf), or a stand-in for one its project ships (an HAProxy error page).
 */
export interface ProvidedFile {
  readonly target: string;
  /** Whose file it is ("certbot"), for the note. */
  readonly tool: string;
  /** Where the config names it (file:line). */
  readonly at: string;
  /** Its text, when the loader wrote it (a stand-in); else the tool's file as the tool writes it. */
  readonly text?: string;
  /** The note shown before the run, when not the tool's standard one. */
  readonly note?: string;
}

/** A config read, understood and adapted: what a stack needs to run it, whoever wrote it. */
export interface PreparedConfig {
  readonly kind: ProxyKindName;
  /** The config as the user gave it (path as shown) and how: one file, or a directory. */
  readonly shown: string;
  readonly input: "file" | "directory";
  /** Why the kind was taken: `--proxy`, or the syntax it was recognised by. */
  readonly kindWhy: string;
  /** The user's files, each with the path the proxy reads it from. */
  readonly original: readonly ConfigFile[];
  /** A template's `{{ }}` expressions as rendered on the copy (proxies/templates.ts): a fix's line needs them first. */
  readonly rendered?: readonly LineEdit[];
  /** The whole config as one tree (includes followed), for reading effective directives. */
  readonly tree: readonly ConfigNode[];
  /** nginx only: a whole nginx.conf, or server blocks inside Debian's http {}. */
  readonly layout?: "main" | "site";
  readonly facts: ConfigFacts;
  /** The copy that runs: files (same targets) and what changed in them, as a diff. */
  readonly adapted: Adapted;
  /** Things the user should know that change nothing (an upstream that is not the app, a tool's file provided). */
  readonly notes: readonly string[];
  /** Files a tool writes beside a config (certbot's), provided by the harness: text, or DH parameters when none. */
  readonly provided: ReadonlyArray<{ target: string; text?: string }>;
}

/** How the config will run: which nginx (a fragment's wrapper says HTTP/2 in its words), and `--env` values. */
export interface PrepareOptions {
  readonly nginxVersion?: string;
  readonly env?: Readonly<Record<string, string>>;
}

interface KindIo {
  load(
    input: string,
    shown: string,
    kind: "file" | "directory",
    options: PrepareOptions,
  ): { files: readonly ConfigFile[]; tree: ConfigNode[]; layout?: "main" | "site"; rendered?: readonly LineEdit[] };
  facts(loaded: never): ConfigFacts;
  adapt(loaded: never, facts: ConfigFacts): Adapted;
}

const IO: Record<ProxyKindName, KindIo> = {
  nginx: { load: loadNginx, facts: nginxFacts as KindIo["facts"], adapt: adaptNginx as KindIo["adapt"] },
  apache: { load: loadApache, facts: apacheFacts as KindIo["facts"], adapt: adaptApache as KindIo["adapt"] },
  haproxy: { load: loadHaproxy, facts: haproxyFacts as KindIo["facts"], adapt: adaptHaproxy as KindIo["adapt"] },
  caddy: { load: loadCaddy, facts: caddyFacts as KindIo["facts"], adapt: adaptCaddy as KindIo["adapt"] },
};

/**
 * Reads a config (a file, a directory, or `nginx -T` output) of the kind `--proxy` names or its syntax shows,
 * follows its includes (never outside what was given), reads what it listens on, answers to and proxies to,
 * and adapts a copy to run in a stack. Throws ConfigInputError / ConfigSyntaxError with file:line.
 */
export function prepareConfig(
  inputPath: string,
  shown: string,
  proxy?: ProxyKindName,
  options: PrepareOptions = {},
): PreparedConfig {
  const input = pathKind(inputPath);
  if (input === "missing")
    throw new ConfigInputError(
      `${shown}: no such file or directory. Give the path of your proxy config (a file, a directory, or \`nginx -T\` output).`,
    );
  // With --proxy, the user's word decides whenever the syntax alone does not (a one-line config reads as nginx
  // and as a Caddyfile alike); a file that plainly is another kind's is still said to be.
  let detected: { kind: ProxyKindName; why: string };
  try {
    detected = detectKind(inputPath, shown, input);
  } catch (err) {
    if (!proxy || !(err instanceof ConfigInputError)) throw err;
    detected = { kind: proxy, why: `--proxy ${proxy}` };
  }
  if (proxy && detected.kind !== proxy && !detected.why.startsWith("--proxy")) {
    throw new ConfigInputError(
      `${shown} is not ${proxy}'s config: it reads as ${detected.kind}'s (${detected.why}). Drop --proxy, or give ${proxy === "haproxy" || proxy === "caddy" ? "a" : "an"} ${proxy} config.`,
    );
  }
  const kind = proxy ?? detected.kind;
  const io = IO[kind];
  let loaded: ReturnType<KindIo["load"]>;
  try {
    loaded = io.load(inputPath, shown, input, options);
  } catch (err) {
    if (err instanceof ConfigSyntaxError) err.kind = kind;
    throw err;
  }
  const facts = io.facts(loaded as never);
  const adapted = io.adapt(loaded as never, facts);
  const notes: string[] = [];
  for (const u of facts.upstreams.filter((x) => x.reach === "public")) {
    notes.push(
      `${u.at.file}:${u.at.line}: ${u.host} is a public address: left as it is, and it reaches nothing (no stack container can send traffic beyond this machine).`,
    );
  }
  for (const u of facts.upstreams.filter((x) => x.reach === "name")) {
    if (/\.(com|net|org|io|dev|app|cloud|co)$/i.test(u.host) && u.tls)
      notes.push(
        `${u.at.file}:${u.at.line}: ${u.host} looks like a third-party service; the fixture app answers for it, as for every upstream name.`,
      );
  }
  // Folders a deployment has (made by the app's installer or the package): made in the container, said once each.
  for (const d of [...new Map(facts.files.filter((f) => f.role === "directory").map((f) => [f.path, f])).values()])
    if (!d.at.added)
      notes.push(
        `${d.at.file}:${d.at.line}: ${d.path} is made in the container (${d.at.name} needs it; an installer or package makes it where this config runs).`,
      );
  const provided: Array<{ target: string; text?: string }> = [];
  const tools = (loaded as { provided?: readonly ProvidedFile[] }).provided ?? [];
  for (const p of tools) {
    notes.push(p.note ?? `${p.at}: ${p.target} is ${p.tool}'s; the harness provides it as ${p.tool} writes it.`);
    const text = p.text ?? toolFileFor(p.target)?.text ?? APACHE_TOOL_FILES[p.target]?.text;
    provided.push({ target: p.target, ...(text !== undefined ? { text } : {}) });
  }
  // DH parameters a tool writes (certbot's ssl-dhparams.pem): named by ssl_dhparam, provided like the rest.
  for (const f of facts.files.filter((x) => x.role === "dhparams" && TOOL_FILES[x.path])) {
    notes.push(
      `${f.at.file}:${f.at.line}: ${f.path} is ${TOOL_FILES[f.path]!.tool}'s; the harness provides it (RFC 7919's ffdhe2048, as ${TOOL_FILES[f.path]!.tool} ships it).`,
    );
  }
  return {
    kind,
    shown,
    input,
    kindWhy: proxy ? `--proxy ${proxy}` : detected.why,
    original: loaded.files,
    ...(loaded.rendered?.length ? { rendered: loaded.rendered } : {}),
    tree: loaded.tree,
    ...(loaded.layout ? { layout: loaded.layout } : {}),
    facts,
    adapted,
    notes,
    provided,
  };
}

/** The host names the fixture app must answer to on the stack's network, with the ports it must listen on. */
export function appEndpoints(facts: ConfigFacts): { aliases: string[]; ports: number[]; tlsPorts: number[] } {
  const reached = facts.upstreams.filter((u) => u.reach !== "public" && u.reach !== "self");
  const aliases = [...new Set([APP_ALIAS, ...reached.filter((u) => u.reach === "name").map((u) => u.host)])];
  const ports = [
    ...new Set([80, ...reached.filter((u) => !u.tls).map((u) => (u.reach === "unix" ? 80 : u.port))]),
  ].sort((a, b) => a - b);
  const tlsPorts = [...new Set(reached.filter((u) => u.tls).map((u) => u.port))].sort((a, b) => a - b);
  return { aliases, ports: ports.filter((p) => !tlsPorts.includes(p)), tlsPorts };
}

/**
 * The names replica `index` (1-based) of `of` answers to, besides `app`: the index-th, (index + of)-th… of the
 * names the config sends to, in its order (`server app-1; server app-2;` gives app-1 to the first). With fewer
 * names than replicas (one service name, as compose's `scale` or a Kubernetes Service gives), every replica
 * answers every name and Docker's DNS returns them all. Every replica answers the name the harness writes for
 * local addresses (`127.0.0.1:3001`, a socket), so a config of local ports reaches them all.
 */
export function replicaNames(aliases: readonly string[], index: number, of: number): string[] {
  const named = aliases.filter((a) => a !== APP_ALIAS);
  const share = replicasShareNames(aliases, of) ? named : named.filter((_, j) => j % of === index - 1);
  return aliases.includes(APP_ALIAS) ? [APP_ALIAS, ...share] : share;
}

/** Whether `of` replicas share the config's names (fewer names than replicas): see replicaNames. */
export function replicasShareNames(aliases: readonly string[], of: number): boolean {
  return aliases.filter((a) => a !== APP_ALIAS).length < of;
}

export const displayPath = (p: string): string => {
  const rel = path.relative(process.cwd(), p);
  return rel && !rel.startsWith("..") ? rel : p;
};
