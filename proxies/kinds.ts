import { APACHE } from "./apache/kind";
import type { ConfigNode, Listen } from "./config-tree";
import { CADDY } from "./caddy/kind";
import { HAPROXY } from "./haproxy/kind";
import { NGINX } from "./nginx/kind";

export type ProxyKindName = "nginx" | "apache" | "haproxy" | "caddy";

/**
 * What the harness needs to know to run one kind of proxy: where a config goes, how the product itself checks
 * it, how it says its version. Scenarios and the expectations table never see this: a stack is a URL.
 */
export interface ProxyKind {
  readonly name: ProxyKindName;
  /** Where the product resolves a relative path in its config (a certificate, an include). */
  readonly baseDir: string;
  /** The product's own checker, run on the same files in a throwaway container: exit 0 means valid. */
  readonly checkCommand: readonly string[];
  /** What the checker prints for a config that loads with a warning (a registry variant must have none). */
  readonly warning: RegExp;
  /** Warnings about the harness's own setup, not the config (e.g. a test certificate without OCSP). */
  readonly benign?: RegExp;
  readonly versionCommand: readonly string[];
  /** Turns the version command's output into "nginx/1.22.1", "Apache/2.4.62", "HAProxy/2.6.12", "Caddy/2.6.2". */
  version(output: string): string;
  /** The file name a variant folder holds for this kind. */
  readonly configName: string;
  /** What to add to a config that listens on no port, in this kind's own words. */
  readonly listenHint: string;
  /** Reads a config file's text into a tree (proxies/config-tree.ts); throws ConfigSyntaxError with file:line. */
  parse(source: string, file: string): ConfigNode[];
  /** The TCP ports the config listens on, and which speak TLS: the harness publishes each as it is. */
  listens(tree: readonly ConfigNode[]): Listen[];
}

export const PROXY_KINDS: Readonly<Record<ProxyKindName, ProxyKind>> = {
  nginx: NGINX,
  apache: APACHE,
  haproxy: HAPROXY,
  caddy: CADDY,
};
