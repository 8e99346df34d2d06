import path from "node:path";
import type { BugId } from "../lib/bugs";

export interface VariantEntry {
  /** The folder under nginx-variants/ and the Playwright project name. */
  readonly name: string;
  readonly proxy: "nginx";
  /** The scheme the browser uses; the config listens on 80 (http) or 443 (https) inside its container. */
  readonly scheme: "http" | "https";
  /** What is wrong with this config, in one line (the config's header comment says it at length). */
  readonly summary: string;
  readonly reproduces: readonly BugId[];
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
  return path.join(VARIANTS_DIR, variant.name, "default.conf");
}

export function containerPort(variant: VariantEntry): number {
  return variant.scheme === "https" ? 443 : 80;
}

export function isVariantName(name: string): name is VariantName {
  return (VARIANT_NAMES as readonly string[]).includes(name);
}

export function getVariant(name: string): Variant {
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
  return names.map(getVariant);
}
