import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import type { Listen } from "./config-tree";
import { edgeTarget, parseBehind, stockEdgeConfig, stockEdgeFile } from "./edge";
import { PROXY_KINDS, type ProxyKindName } from "./kinds";
import { APP_ALIAS, unifiedDiff } from "./adapt";
import { displayPath, prepareConfig, type PreparedConfig } from "./prepare";
import {
  compareVersions,
  DEFAULT_NGINX_VERSION,
  EVERY_VERSION_VARIANTS,
  isNginxVersion,
  NGINX_VERSION_LIST,
  type NginxVersion,
} from "./nginx/versions";
import { VARIANT_NAMES, VARIANTS, type VariantEntry } from "./registry";

/** What a Playwright project runs: a registry variant (on one nginx version), or a user's config under repro. */
export interface Project extends VariantEntry {
  /**
   * A user's own config (`npm run repro -- --config`): the file, directory or `nginx -T` output as given, the
   * kind `--proxy` named (else it is read from the syntax), and the path prefix the scenarios run under.
   */
  readonly user?: {
    readonly input: string;
    readonly shown: string;
    readonly proxy?: ProxyKindName;
    readonly prefix: string;
    /** `--publish 443:8443`: listen port → the public port the browser uses (as the registry's `published`). */
    readonly published?: Readonly<Record<number, number>>;
    /** npm run fix-check on a registry variant's copy: its column had no idle-timeout cell to prove. */
    readonly skipIdle?: boolean;
    /** `--env NAME=value`: values for the config's placeholders (Caddy's `{$NAME}`, a template's `{{ NAME }}`). */
    readonly env?: Readonly<Record<string, string>>;
    /** The config's name across the nginx versions it runs on (`site` for `site@1.26`), when it runs on several. */
    readonly sweep?: string;
  };
  /**
   * "table": each scenario must show this variant's row of its scenarios/<feature>.expect.ts.
   * "healthy": every scenario must work (a user's config under repro: it has no row of its own).
   */
  readonly expects?: "table" | "healthy" | "verdicts";
  /** A corpus config's written expectation per scenario: "healthy", a field report ("B1"), or "broken". */
  readonly verdicts?: Readonly<Record<string, string>>;
  /** Which nginx runs it (default: the pinned DEFAULT_NGINX_VERSION). */
  readonly nginxVersion?: NginxVersion;
  /** For `<variant>@<version>`: the registry variant whose folder holds the config. */
  readonly base?: string;
}

const ROOT = path.resolve(__dirname, "..");
/** nginx's variants: nginx-variants/<name>/ (the folder name is the project's contract with its users). */
export const NGINX_VARIANTS_DIR = path.join(ROOT, "nginx-variants");
/** The other proxies' variants: proxy-variants/<name>/<the kind's file name>. */
export const OTHER_PROXY_VARIANTS_DIR = path.join(ROOT, "proxy-variants");

export function nginxVersionOf(project: Project): NginxVersion {
  return project.nginxVersion ?? DEFAULT_NGINX_VERSION;
}

/** The folder that holds a registry variant's files. */
export function variantFolder(project: Project): string {
  return path.join(
    project.proxy === "nginx" ? NGINX_VARIANTS_DIR : OTHER_PROXY_VARIANTS_DIR,
    project.base ?? project.name,
  );
}

/**
 * A project's config: the user's file, or its variant's for its nginx version: `default.conf`, or the newest
 * `default.since-<v>.conf` whose <v> is not above the version. Why more than one file: a directive may change
 * between versions (`listen ... http2` is deprecated from 1.25.1, and `http2 on;` is unknown before it), and
 * every variant must load without a warning on every version it runs on.
 */
export function configPath(project: Project): string {
  if (project.user) return project.user.input;
  const folder = variantFolder(project);
  if (project.proxy !== "nginx") return path.join(folder, PROXY_KINDS[project.proxy].configName);
  const version = nginxVersionOf(project);
  const since = (existsSync(folder) ? readdirSync(folder) : [])
    .map((f) => /^default\.since-([\d.]+)\.conf$/.exec(f)?.[1])
    .filter((v): v is string => v !== undefined && compareVersions(v, version) <= 0)
    .sort(compareVersions)
    .pop();
  return path.join(folder, since ? `default.since-${since}.conf` : "default.conf");
}

const prepared = new Map<string, PreparedConfig>();

/**
 * A project's config read, understood and adapted to run in its stack (proxies/prepare.ts): the same path for a
 * registry variant and a user's config. Read once per process.
 */
export function preparedConfigOf(project: Project): PreparedConfig {
  const key = `${project.name}\u0000${configPath(project)}`;
  let found = prepared.get(key);
  if (!found) {
    const options = {
      ...(project.proxy === "nginx" ? { nginxVersion: nginxVersionOf(project) } : {}),
      ...(project.user?.env ? { env: project.user.env } : {}),
    };
    found = project.user
      ? prepareConfig(project.user.input, project.user.shown, project.user.proxy, options)
      : prepareConfig(configPath(project), displayPath(configPath(project)), project.proxy, options);
    prepared.set(key, found);
  }
  return found;
}

/**
 * The edge in front of a project's config, read and adapted like any config: the stock edge's generated HAProxy
 * config, or the user's first `--config`. Undefined for a config the browser meets itself.
 */
export function edgeConfigOf(project: Project): PreparedConfig | undefined {
  const edge = project.edge;
  if (!edge) return undefined;
  // By the edge's own file too: a --fix round runs under one name with the edge's next copy.
  const key = `${project.name}\u0000edge\u0000${"config" in edge ? edge.config : "file" in edge ? edge.file : "stock"}`;
  let found = prepared.get(key);
  if (!found) {
    if ("stock" in edge) {
      const target = edgeTarget(listensOf(project));
      if (!target)
        throw new Error(
          `${project.user?.shown ?? configPath(project)} listens on no TCP port: the edge has nowhere to send requests.`,
        );
      found = prepareConfig(stockEdgeFile(stockEdgeConfig(edge.stock, target)), "the stock edge", "haproxy");
    } else if ("file" in edge) {
      const file = path.join(variantFolder(project), edge.file);
      found = toInnerPorts(prepareConfig(file, displayPath(file)), project);
    } else {
      // The chain's hops share the run's `--env` (a template's variables) and nginx version.
      const options = {
        ...(project.proxy === "nginx" ? { nginxVersion: nginxVersionOf(project) } : {}),
        ...(project.user?.env ? { env: project.user.env } : {}),
      };
      found = toInnerPorts(prepareConfig(edge.config, edge.shown, edge.proxy, options), project);
    }
    prepared.set(key, found);
  }
  return found;
}

/**
 * A chain's edge sends to a port the config behind it does not listen on (compose publishes the inner's 80 as
 * 9000, and the edge proxies to localhost:9000): the copy sends to the port the config listens on instead, as the
 * deployment's port mapping does, said in the diff and a note.
 */
function toInnerPorts(edge: PreparedConfig, project: Project): PreparedConfig {
  const listens = listensOf(project);
  const target = edgeTarget(listens);
  if (!target) return edge;
  const own = new Set(listens.map((l) => l.port));
  const moved = edge.facts.upstreams.filter((u) => u.reach !== "public" && u.reach !== "self" && !own.has(u.port));
  if (moved.length === 0) return edge;
  const inCopy = (u: (typeof moved)[number]) => (u.reach === "name" ? u.host : APP_ALIAS);
  const files = edge.adapted.files.map((f) => ({
    ...f,
    text: moved.reduce((t, u) => t.split(`${inCopy(u)}:${u.port}`).join(`${inCopy(u)}:${target.port}`), f.text),
  }));
  const diff = files
    .map((f, i) => {
      const before = edge.original[i];
      return !before || f.text === before.text ? "" : unifiedDiff(before.text, f.text, f.shown);
    })
    .filter(Boolean)
    .join("");
  const notes = moved.map(
    (u) =>
      `${u.at.file}:${u.at.line}: ${u.host}:${u.port} reaches ${project.user?.shown ?? configPath(project)} on ${target.port}, the port it listens on (a deployment publishes it as ${u.port}, as compose's ${u.port}:${target.port} does).`,
  );
  return { ...edge, adapted: { ...edge.adapted, files, diff }, notes: [...edge.notes, ...notes] };
}

/** The ports a project's config listens on, read by its kind's parser. */
export function listensOf(project: Project): Listen[] {
  return [...preparedConfigOf(project).facts.listens];
}

/** `fixed` on the pinned version, `fixed@1.26` on another. */
export function onVersion(variant: VariantEntry, version: NginxVersion): Project {
  if (version === DEFAULT_NGINX_VERSION) return variant;
  return { ...variant, name: `${variant.name}@${version}`, base: variant.name, nginxVersion: version };
}

/**
 * The default matrix: every variant on the pinned version, and the card's four on every other version too,
 * each version next to the variant's pinned column so the report shows them side by side.
 */
export function defaultProjects(): Project[] {
  const others = NGINX_VERSION_LIST.filter((v) => v !== DEFAULT_NGINX_VERSION);
  const everyVersion = (name: string) => (EVERY_VERSION_VARIANTS as readonly string[]).includes(name);
  return VARIANTS.flatMap((v) => [v, ...(everyVersion(v.name) ? others.map((version) => onVersion(v, version)) : [])]);
}

/** The environment `npm run repro` hands the Playwright run: a user's config becomes the one project. */
export const USER_ENV = {
  config: "PROXYLAB_USER_CONFIG",
  shown: "PROXYLAB_USER_CONFIG_SHOWN",
  proxy: "PROXYLAB_USER_PROXY",
  version: "PROXYLAB_USER_VERSION",
  name: "PROXYLAB_USER_VARIANT_NAME",
  prefix: "PROXYLAB_USER_PATH",
  publish: "PROXYLAB_USER_PUBLISH",
  replicas: "PROXYLAB_USER_REPLICAS",
  skipIdle: "PROXYLAB_USER_SKIP_IDLE",
  /** The nginx versions a config without `--version` runs on (those whose `nginx -t` accepts it), comma-separated. */
  versions: "PROXYLAB_USER_VERSIONS",
  /** `--env` values, as NAME=value lines. */
  env: "PROXYLAB_USER_ENV",
  /** `--behind tls[:idle=N]`: the stock TLS edge in front of the config. */
  behind: "PROXYLAB_USER_BEHIND",
  /** `--config edge --config inner`: the first hop's config (USER_ENV.config is then the inner's), and as shown. */
  edgeConfig: "PROXYLAB_USER_EDGE_CONFIG",
  edgeShown: "PROXYLAB_USER_EDGE_SHOWN",
} as const;

/** `--env NAME=value` (repeatable, or comma-separated), as a record; a malformed pair says how to write it. */
export function parseEnvPairs(pairs: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of pairs) {
    const m = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s.exec(pair.trim());
    if (!m) throw new Error(`--env ${pair}: write it as NAME=value, e.g. --env DOMAIN=chat.example.com.`);
    out[m[1]!] = m[2]!;
  }
  return out;
}

/** The user's config as a project, or undefined when none is given. Throws what cannot run, with file:line. */
export function userProject(env: NodeJS.ProcessEnv = process.env): Project | undefined {
  const input = env[USER_ENV.config];
  if (!input) return undefined;
  const abs = path.resolve(input);
  const shown = env[USER_ENV.shown] || displayPath(abs);
  const proxy = env[USER_ENV.proxy] as ProxyKindName | undefined;
  if (proxy && !(proxy in PROXY_KINDS))
    throw new Error(`--proxy ${proxy}: use one of ${Object.keys(PROXY_KINDS).join(", ")}.`);
  const userEnv = env[USER_ENV.env] ? parseEnvPairs(env[USER_ENV.env]!.split("\n").filter(Boolean)) : undefined;
  const config = prepareConfig(abs, shown, proxy || undefined, {
    ...(env[USER_ENV.version] ? { nginxVersion: env[USER_ENV.version] } : {}),
    ...(userEnv ? { env: userEnv } : {}),
  });
  const name =
    env[USER_ENV.name] ||
    path
      .basename(abs)
      .replace(/\.(conf|cfg)$/, "")
      .replace(/[^A-Za-z0-9._-]/g, "-") ||
    "my-config";
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name))
    throw new Error(
      `Variant name "${name}" must be letters, digits, '.', '_' or '-' (it names containers and report columns).`,
    );
  const version = env[USER_ENV.version] || undefined;
  if (version && config.kind !== "nginx")
    throw new Error(
      `--version ${version}: the harness has one ${config.kind} (Debian bookworm's); only nginx comes in more than one version (${NGINX_VERSION_LIST.join(", ")}).`,
    );
  if (version && !isNginxVersion(version))
    throw new Error(
      `--version ${version}: not an nginx version the harness builds. Use one of: ${NGINX_VERSION_LIST.join(", ")}.`,
    );
  const prefix = (env[USER_ENV.prefix] ?? "").replace(/\/+$/, "");
  if (prefix && !prefix.startsWith("/"))
    throw new Error(`--path ${prefix}: a path starts with "/", e.g. --path /push/.`);
  const published = parsePublish(env[USER_ENV.publish] ?? "");
  const replicas = parseReplicas(env[USER_ENV.replicas] ?? "");
  const edge = edgeSourceOf(env);
  if (edge && Object.keys(published).length > 0)
    throw new Error(
      `--publish with ${"stock" in edge ? "--behind" : "two --config"}: the browser meets the edge, not your config's ports; drop --publish.`,
    );
  return {
    name,
    ...(edge ? { edge } : {}),
    proxy: config.kind,
    summary: `your config: ${shown}`,
    reproduces: [],
    ...(replicas > 1 ? { replicas } : {}),
    user: {
      input: abs,
      shown,
      ...(proxy ? { proxy } : {}),
      prefix,
      ...(Object.keys(published).length > 0 ? { published } : {}),
      ...(env[USER_ENV.skipIdle] === "1" ? { skipIdle: true } : {}),
      ...(userEnv ? { env: userEnv } : {}),
    },
    expects: "healthy",
    ...(version ? { nginxVersion: version as NginxVersion } : {}),
  };
}

/** `--behind tls` or a first `--config`: what stands in front of the user's config, if anything. */
function edgeSourceOf(env: NodeJS.ProcessEnv): Project["edge"] {
  const behind = env[USER_ENV.behind];
  const edgeConfig = env[USER_ENV.edgeConfig];
  if (behind && edgeConfig)
    throw new Error(
      `--behind and two --config: one edge at a time. --behind tls puts the stock edge in front; --config edge --config inner runs your own.`,
    );
  if (behind) return { stock: parseBehind(behind) };
  if (!edgeConfig) return undefined;
  const abs = path.resolve(edgeConfig);
  return { config: abs, shown: env[USER_ENV.edgeShown] || displayPath(abs) };
}

/**
 * A user's config as the projects it runs as: one, or (nginx without `--version`) one per version the sweep runs,
 * `<name>@<version>` each, when the caller found which versions accept it (USER_ENV.versions).
 */
export function userProjects(env: NodeJS.ProcessEnv = process.env): Project[] {
  const one = userProject(env);
  if (!one) return [];
  const versions = (env[USER_ENV.versions] ?? "").split(",").filter(isNginxVersion);
  if (one.proxy !== "nginx" || env[USER_ENV.version] || versions.length === 0) return [one];
  return versions.map((v) => ({
    ...one,
    name: `${one.name}@${v}`,
    nginxVersion: v,
    user: { ...one.user!, sweep: one.name },
  }));
}

/** The Playwright projects of a run: the corpus, or a user's config alone under repro, else the registry. */
export function projectsOfRun(env: NodeJS.ProcessEnv = process.env): Project[] {
  if (env.PROXYLAB_CORPUS) return corpusProjects(env.PROXYLAB_CORPUS.split(",").filter(Boolean), env);
  // Several users' configs in one run (npm run fix-check): a JSON list of the env a repro run of each would take.
  if (env.PROXYLAB_CONFIG_LIST)
    return (JSON.parse(readFileSync(env.PROXYLAB_CONFIG_LIST, "utf8")) as NodeJS.ProcessEnv[]).flatMap((one) =>
      userProjects(one),
    );
  const user = userProjects(env);
  return user.length > 0 ? user : selectProjects(env.PROXY_VARIANTS);
}

export const CORPUS_DIR = path.join(ROOT, "corpus");

/** What a corpus entry's expected.json holds: the config, the repro arguments, and the verdicts written first. */
export interface CorpusEntry {
  readonly config: string;
  readonly args: readonly string[];
  readonly runs: boolean;
  readonly error?: string;
  readonly note?: string;
  /**
   * Per scenario: the verdict written before the first run and why; where the run disagreed and the mechanism was
   * found, the measured verdict and that mechanism (the written one stays, for the record).
   */
  readonly predicted?: Readonly<Record<string, CorpusVerdict>>;
  /**
   * nginx without `--version`: per version, "runs" or why its `nginx -t` refuses the config, written before the run
   * (the sweep, stack/version-sweep.ts).
   */
  readonly versions?: Readonly<Record<string, string>>;
  /** Where a version's written line was wrong, what was measured ("left out: …" or "runs"); the mechanism in `note`. */
  readonly measuredVersions?: Readonly<Record<string, string>>;
}

export interface CorpusVerdict {
  readonly verdict: string;
  readonly why: string;
  readonly measured?: string;
  readonly mechanism?: string;
  /** nginx: the verdict on the versions named here, where it differs from `verdict` (written before the run). */
  readonly byVersion?: Readonly<Record<string, string>>;
  /** nginx: where a version's written verdict was wrong, the measured one (its mechanism in `mechanism`). */
  readonly measuredByVersion?: Readonly<Record<string, string>>;
}

/** What a corpus cell must show on an nginx version (or the config's one proxy): measured, else written. */
export function corpusWant(p: CorpusVerdict, version: string | undefined): string {
  if (version && p.measuredByVersion?.[version]) return p.measuredByVersion[version];
  if (version && p.byVersion?.[version]) return p.byVersion[version];
  return p.measured ?? p.verdict;
}

/** The versions each corpus config runs on, found by the corpus run's sweep: PROXYLAB_CORPUS_VERSIONS, `{id: "1.26,1.30"}`. */
export const CORPUS_VERSIONS_ENV = "PROXYLAB_CORPUS_VERSIONS";

export function readCorpusEntry(id: string): CorpusEntry {
  return JSON.parse(readFileSync(path.join(CORPUS_DIR, id, "expected.json"), "utf8")) as CorpusEntry;
}

/** The env a repro run of a corpus entry takes: its config and its arguments (--path, --proxy, --version). */
export function corpusEnv(id: string, entry: CorpusEntry = readCorpusEntry(id)): NodeJS.ProcessEnv {
  const arg = (name: string) => {
    const i = entry.args.indexOf(name);
    return i >= 0 ? entry.args[i + 1] : undefined;
  };
  const envPairs = entry.args.flatMap((a, i) => (a === "--env" && entry.args[i + 1] ? [entry.args[i + 1]!] : []));
  // A chain (`--config` in args): entry.config is the edge the browser meets, the one in args the config behind it.
  const inner = arg("--config");
  const file = (name: string) => ({ abs: path.join(CORPUS_DIR, id, name), shown: path.join("corpus", id, name) });
  const tested = file(inner ?? entry.config);
  return {
    [USER_ENV.config]: tested.abs,
    [USER_ENV.shown]: tested.shown,
    [USER_ENV.edgeConfig]: inner ? file(entry.config).abs : "",
    [USER_ENV.edgeShown]: inner ? file(entry.config).shown : "",
    [USER_ENV.behind]: arg("--behind") ?? "",
    [USER_ENV.name]: id,
    [USER_ENV.prefix]: arg("--path") ?? "",
    [USER_ENV.publish]: arg("--publish") ?? "",
    [USER_ENV.replicas]: arg("--replicas") ?? "",
    [USER_ENV.proxy]: arg("--proxy") ?? "",
    [USER_ENV.version]: arg("--version") ?? "",
    [USER_ENV.env]: envPairs.join("\n"),
  };
}

/** The corpus's configs as projects, each held to the verdicts written for it before it was run. */
export function corpusProjects(ids: readonly string[], env: NodeJS.ProcessEnv = process.env): Project[] {
  const versions = JSON.parse(env[CORPUS_VERSIONS_ENV] || "{}") as Record<string, string>;
  return ids.flatMap((id) => {
    const entry = readCorpusEntry(id);
    return userProjects({ ...corpusEnv(id, entry), [USER_ENV.versions]: versions[id] ?? "" }).map((project) => {
      const version = project.user?.sweep ? project.nginxVersion : undefined;
      const verdicts = Object.fromEntries(
        Object.entries(entry.predicted ?? {}).map(([s, p]) => [s, corpusWant(p, version)]),
      );
      return { ...project, expects: "verdicts" as const, verdicts };
    });
  });
}

const projectNamesHint = () =>
  `Use one of: ${VARIANT_NAMES.join(", ")}, or <variant>@<version> with a version of ${NGINX_VERSION_LIST.join(", ")} (e.g. fixed@1.26).`;

/** `fixed` or `fixed@1.26`, or undefined when the name is neither. */
function registryProject(name: string): Project | undefined {
  const [variant, version, ...rest] = name.split("@");
  const found = VARIANTS.find((v) => v.name === variant);
  if (!found || rest.length > 0) return undefined;
  if (version === undefined) return found;
  return isNginxVersion(version) ? onVersion(found, version) : undefined;
}

let runProjects: Project[] | undefined;

export function getProject(name: string): Project {
  // A user's config or the corpus: the run's own projects (read once per process).
  if (process.env[USER_ENV.config] || process.env.PROXYLAB_CORPUS || process.env.PROXYLAB_CONFIG_LIST) {
    runProjects ??= projectsOfRun();
    const found = runProjects.find((p) => p.name === name);
    if (found) return found;
  }
  const found = registryProject(name);
  if (!found) throw new Error(`Unknown variant: ${name}. ${projectNamesHint()}`);
  return found;
}

/** `PROXY_VARIANTS=a,b@1.26` picks a subset; unset or empty means the default matrix. An unknown name fails at once. */
export function selectProjects(filter: string | undefined): Project[] {
  const names = (filter ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  if (names.length === 0) return defaultProjects();
  const unknown = names.filter((n) => registryProject(n) === undefined);
  if (unknown.length > 0) {
    throw new Error(
      `Unknown variant${unknown.length > 1 ? "s" : ""} in PROXY_VARIANTS: ${unknown.join(", ")}. ${projectNamesHint()}`,
    );
  }
  return names.map((n) => registryProject(n)!);
}

export function topologyOf(
  project: Project,
): "single-origin" | "split-origin" | "sub-path" | "replicas" | "behind-edge" {
  return project.topology ?? "single-origin";
}

/** How many app containers the stack runs: a replicas variant's count, else one. */
export function replicasOf(project: Project): number {
  return project.replicas ?? 1;
}

/** A split-origin variant's other files: the front end's config and the app's environment. */
export function splitFiles(project: Project): { frontend: string; appEnv: string } {
  const folder = path.dirname(configPath(project));
  return { frontend: path.join(folder, "frontend.js"), appEnv: path.join(folder, "app.env") };
}

/** The path prefix the scenarios open the app under: a user's `--path`, a sub-path variant's, else "" (at /). */
export function prefixOf(project: Project): string {
  return project.user?.prefix ?? project.prefix ?? "";
}

/** `--replicas 2`: how many app containers answer the config's upstreams (1 to 4). */
export function parseReplicas(text: string): number {
  if (text === "") return 1;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1 || n > 4)
    throw new Error(
      `--replicas ${text}: give how many app replicas the config balances over, 1 to 4 (the upstream's servers are shared out among them in order).`,
    );
  return n;
}

/**
 * `--publish 443:8443[,80:8080]`, as `docker -p` writes it (public:listen): the config listens on 8443 and the
 * browser meets it on 443. Returned as listen port → public port.
 */
export function parsePublish(text: string): Record<number, number> {
  const out: Record<number, number> = {};
  for (const pair of text.split(",").filter(Boolean)) {
    const m = /^(\d+):(\d+)$/.exec(pair.trim());
    const [pub, listen] = m ? [Number(m[1]), Number(m[2])] : [NaN, NaN];
    if (!m || pub < 1 || pub > 65535 || listen < 1 || listen > 65535)
      throw new Error(
        `--publish ${pair}: write it as docker -p does, <public port>:<port the config listens on>, e.g. 443:8443.`,
      );
    out[listen] = pub;
  }
  return out;
}

/** The inverse of parsePublish: `443:8443,80:8080`. */
export function formatPublish(published: Readonly<Record<number, number>>): string {
  return Object.entries(published)
    .map(([listen, pub]) => `${pub}:${listen}`)
    .join(",");
}

/** Where the browser meets each port the config listens on: a user's `--publish`, a variant's `published`, else as is. */
export function publishedOf(project: Project): Readonly<Record<number, number>> {
  return project.user?.published ?? project.published ?? {};
}
