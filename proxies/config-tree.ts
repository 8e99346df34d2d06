import type { ProxyKindName } from "./kinds";
/**
 * A proxy config as a tree, whatever its kind: nginx directives and blocks, Apache directives and <Sections>,
 * HAProxy sections and their lines, Caddyfile sites and directives. Every node knows the file and line it was
 * read from, so a finding can point at it. Each kind's parser (proxies/<kind>/parse.ts) builds one.
 */
export interface ConfigNode {
  /** The directive or section name as written (`proxy_pass`, `VirtualHost`, `frontend`, `reverse_proxy`). */
  readonly name: string;
  /** Its arguments, unquoted. */
  readonly args: readonly string[];
  /** The file it was read from (as the user gave it) and its 1-based line. */
  readonly file: string;
  readonly line: number;
  /** The nodes inside it, for a block or section; undefined for a plain directive. */
  readonly children?: readonly ConfigNode[];
  /** A block's closing line (nginx `}`, Apache `</Section>`), where lines that belong at its end go. */
  readonly endLine?: number;
  /**
   * Set on a node the harness adds to complete a config (a server around a fragment, certbot's certificate lines):
   * why. It runs as if written; a fix never edits it, and a finding at it says that it is the harness's.
   */
  readonly added?: string;
}

/** Where the harness publishes a config's listening socket, and whether it speaks TLS there. */
export interface Listen {
  readonly port: number;
  readonly tls: boolean;
  /** The node that declares it, for messages. */
  readonly at: ConfigNode;
}

/** `file:line` of a node. */
export const at = (node: Pick<ConfigNode, "file" | "line">): string => `${node.file}:${node.line}`;

/** Every node of a tree, depth first, with the chain of its enclosing blocks (outermost first). */
export function* walk(
  nodes: readonly ConfigNode[],
  within: readonly ConfigNode[] = [],
): Generator<{ node: ConfigNode; within: readonly ConfigNode[] }> {
  for (const node of nodes) {
    yield { node, within };
    if (node.children) yield* walk(node.children, [...within, node]);
  }
}

/** The nodes of a tree with one of these names (case-insensitive), wherever they are. */
export function findAll(nodes: readonly ConfigNode[], ...names: string[]): ConfigNode[] {
  const wanted = new Set(names.map((n) => n.toLowerCase()));
  return [...walk(nodes)].filter(({ node }) => wanted.has(node.name.toLowerCase())).map(({ node }) => node);
}

/** A syntax error with the file and line, in the words a user can act on. */
export class ConfigSyntaxError extends Error {
  override name = "ConfigSyntaxError";
  /** The files being read, where the proxy would read them: its own checker is run on them as given. */
  files?: ReadonlyArray<{ readonly target: string; readonly shown: string; readonly text: string }>;
  kind?: ProxyKindName;
}

/** One listen per port: TLS if any declaration of that port says so. Sorted by port. */
export function uniqueListens(listens: readonly Listen[]): Listen[] {
  const byPort = new Map<number, Listen>();
  for (const l of listens) {
    const seen = byPort.get(l.port);
    if (!seen || (!seen.tls && l.tls)) byPort.set(l.port, l);
  }
  return [...byPort.values()].sort((a, b) => a.port - b.port);
}
