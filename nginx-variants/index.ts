import { existsSync, statSync } from "node:fs";
import path from "node:path";
import type { BugId } from "../lib/bugs";
import { readConfigShape } from "./contract";

export interface VariantEntry {
  /** The folder under nginx-variants/ and the Playwright project name. */
  readonly name: string;
  readonly proxy: "nginx";
  /** The scheme the browser uses; the config listens on 80 (http) or 443 (https) inside its container. */
  readonly scheme: "http" | "https";
  /** What is wrong with this config, in one line (the config's header comment says it at length). */
  readonly summary: string;
  readonly reproduces: readonly BugId[];
  /** A config outside nginx-variants/ (`npm run repro -- --config`); registry entries use <name>/default.conf. */
  readonly configFile?: string;
  /**
   * "table": each scenario must show this variant's row of scenarios/expectations.ts.
   * "healthy": every scenario must work (a user's config under repro: it has no row of its own).
   */
  readonly expects?: "table" | "healthy";
}

export const VARIANTS = [
  {
    name: "http1.0-default",
    proxy: "nginx",
    scheme: "http",
    summary: "bare proxy_pass on plain http: HTTP/1.0 upstream, Host = upstream name, no X-Forwarded-*, buffering on",
    reproduces: ["B1", "B3", "B4", "B5", "B6", "B11"],
  },
  {
    name: "missing-upgrade",
    proxy: "nginx",
    scheme: "https",
    summary: "TLS and forwarded headers right, but no Upgrade/Connection headers for WebSocket (and HTTP/1.1 only)",
    reproduces: ["B5", "B6"],
  },
  {
    name: "buffering-on",
    proxy: "nginx",
    scheme: "https",
    summary: "like fixed, but proxy_buffering left on (the default)",
    reproduces: ["B11"],
  },
  {
    name: "short-read-timeout",
    proxy: "nginx",
    scheme: "https",
    summary: "fixed, but proxy_read_timeout 2s: quiet streams and idle WebSockets are cut",
    reproduces: ["B12"],
  },
  {
    name: "gzip-event-stream",
    proxy: "nginx",
    scheme: "https",
    summary: "fixed, but gzip_types text/event-stream and buffering left on: events held by gzip",
    reproduces: ["B11"],
  },
  {
    name: "fixed",
    proxy: "nginx",
    scheme: "https",
    summary: "TLS + HTTP/2, Host with port, X-Forwarded-*, WebSocket upgrade, no buffering, long read timeout",
    reproduces: [],
  },
] as const satisfies readonly VariantEntry[];

export type Variant = (typeof VARIANTS)[number];
export type VariantName = Variant["name"];

export const VARIANT_NAMES: readonly VariantName[] = VARIANTS.map((v) => v.name);

export const VARIANTS_DIR = __dirname;

export function configPath(variant: VariantEntry): string {
  return variant.configFile ?? path.join(VARIANTS_DIR, variant.name, "default.conf");
}

/** The environment `npm run repro` hands the Playwright run: a user's config becomes the one project. */
export const USER_CONFIG_ENV = "PROXYLAB_USER_CONFIG";
export const USER_VARIANT_NAME_ENV = "PROXYLAB_USER_VARIANT_NAME";

/** The user's config as a variant, or undefined when none is given. Throws if it breaks the contract. */
export function userVariant(env: NodeJS.ProcessEnv = process.env): VariantEntry | undefined {
  const file = env[USER_CONFIG_ENV];
  if (!file) return undefined;
  const abs = path.resolve(file);
  if (!existsSync(abs) || !statSync(abs).isFile()) throw new Error(`${USER_CONFIG_ENV}=${file}: no such file. Give the path of your nginx config.`);
  const name = env[USER_VARIANT_NAME_ENV] || path.basename(abs).replace(/\.conf$/, "") || "my-config";
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name)) throw new Error(`Variant name "${name}" must be letters, digits, '.', '_' or '-' (it names containers and report columns).`);
  return { name, proxy: "nginx", scheme: readConfigShape(abs).scheme, summary: `your config: ${abs}`, reproduces: [], configFile: abs, expects: "healthy" };
}

/** The Playwright projects of a run: a user's config alone under repro, else the registry (or PROXY_VARIANTS). */
export function projectVariants(env: NodeJS.ProcessEnv = process.env): VariantEntry[] {
  const user = userVariant(env);
  return user ? [user] : selectVariants(env.PROXY_VARIANTS);
}

export function containerPort(variant: VariantEntry): number {
  return variant.scheme === "https" ? 443 : 80;
}

export function isVariantName(name: string): name is VariantName {
  return (VARIANT_NAMES as readonly string[]).includes(name);
}

function registryVariant(name: string): Variant {
  const found = VARIANTS.find((v) => v.name === name);
  if (!found) throw new Error(`Unknown variant: ${name}. Use one of: ${VARIANT_NAMES.join(", ")}.`);
  return found;
}

export function getVariant(name: string): VariantEntry {
  const user = userVariant();
  if (user?.name === name) return user;
  const found = VARIANTS.find((v) => v.name === name);
  if (!found) throw new Error(`Unknown variant: ${name}. Use one of: ${VARIANT_NAMES.join(", ")}.`);
  return found;
}

/** `PROXY_VARIANTS=a,b` picks a subset; unset or empty means all. An unknown name fails at once. */
export function selectVariants(filter: string | undefined): Variant[] {
  const names = (filter ?? "").split(",").map((s) => s.trim()).filter(Boolean);
  if (names.length === 0) return [...VARIANTS];
  const unknown = names.filter((n) => !isVariantName(n));
  if (unknown.length > 0) {
    throw new Error(`Unknown variant${unknown.length > 1 ? "s" : ""} in PROXY_VARIANTS: ${unknown.join(", ")}. Use one of: ${VARIANT_NAMES.join(", ")}.`);
  }
  return names.map(registryVariant);
}
