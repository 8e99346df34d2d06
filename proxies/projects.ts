import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import type { Listen } from "./config-tree";
import { PROXY_KINDS } from "./kinds";
import { readConfigShape } from "./nginx/contract";
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
  /** A config outside the variant folders (`npm run repro -- --config`); registry variants use their folder's. */
  readonly configFile?: string;
  /**
   * "table": each scenario must show this variant's row of its scenarios/<feature>.expect.ts.
   * "healthy": every scenario must work (a user's config under repro: it has no row of its own).
   */
  readonly expects?: "table" | "healthy";
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
  if (project.configFile) return project.configFile;
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

/** The ports a project's config listens on, read by its kind's parser. */
export function listensOf(project: Project): Listen[] {
  const file = configPath(project);
  const kind = PROXY_KINDS[project.proxy];
  return kind.listens(kind.parse(readFileSync(file, "utf8"), file));
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
export const USER_CONFIG_ENV = "PROXYLAB_USER_CONFIG";
export const USER_VARIANT_NAME_ENV = "PROXYLAB_USER_VARIANT_NAME";
export const USER_NGINX_VERSION_ENV = "PROXYLAB_NGINX_VERSION";

/** The user's config as a project, or undefined when none is given. Throws if it breaks the contract. */
export function userProject(env: NodeJS.ProcessEnv = process.env): Project | undefined {
  const file = env[USER_CONFIG_ENV];
  if (!file) return undefined;
  const abs = path.resolve(file);
  if (!existsSync(abs) || !statSync(abs).isFile())
    throw new Error(`${USER_CONFIG_ENV}=${file}: no such file. Give the path of your nginx config.`);
  const name = env[USER_VARIANT_NAME_ENV] || path.basename(abs).replace(/\.conf$/, "") || "my-config";
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name))
    throw new Error(
      `Variant name "${name}" must be letters, digits, '.', '_' or '-' (it names containers and report columns).`,
    );
  const version = env[USER_NGINX_VERSION_ENV] || DEFAULT_NGINX_VERSION;
  if (!isNginxVersion(version))
    throw new Error(
      `${USER_NGINX_VERSION_ENV}=${version}: not a version the harness builds. Use one of: ${NGINX_VERSION_LIST.join(", ")}.`,
    );
  // Throws, with file:line, what breaks the contract.
  readConfigShape(abs);
  return {
    name,
    proxy: "nginx",
    summary: `your config: ${abs}`,
    reproduces: [],
    configFile: abs,
    expects: "healthy",
    nginxVersion: version,
  };
}

/** The Playwright projects of a run: a user's config alone under repro, else the registry (or PROXY_VARIANTS). */
export function projectsOfRun(env: NodeJS.ProcessEnv = process.env): Project[] {
  const user = userProject(env);
  return user ? [user] : selectProjects(env.PROXY_VARIANTS);
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

export function getProject(name: string): Project {
  const user = userProject();
  if (user?.name === name) return user;
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

export function topologyOf(project: Project): "single-origin" | "split-origin" {
  return project.topology ?? "single-origin";
}

/** A split-origin variant's other files: the front end's config and the app's environment. */
export function splitFiles(project: Project): { frontend: string; appEnv: string } {
  const folder = path.dirname(configPath(project));
  return { frontend: path.join(folder, "frontend.js"), appEnv: path.join(folder, "app.env") };
}
