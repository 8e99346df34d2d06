import { applyEdits, unifiedDiff, type LineEdit } from "./adapt";
import type { ConfigNode } from "./config-tree";
import type { PreparedConfig } from "./prepare";

/**
 * What a broken cell's symptom says about the config, in the terms each kind's faults.ts reads: which field
 * report, and the part of the observation that tells its causes apart. Built from an observation by
 * scenarios/fault-symptom.ts; nothing here knows a scenario.
 */
export type Symptom =
  | {
      readonly bug: "B1";
      readonly wrong: ReadonlyArray<"scheme" | "host" | "port" | "path">;
      readonly received: string;
      /** Only the Host header counts (an origin check reads Host, not X-Forwarded-Host): B15 asks this way. */
      readonly hostOnly?: boolean;
    }
  | { readonly bug: "B3" }
  /**
   * A redirect sent the browser to another origin: the parts that differ from the one it used, and whose redirect
   * it was: the proxy's own (a slash redirect, `return`), or the app's, built from what the proxy forwarded.
   */
  | {
      readonly bug: "B18";
      readonly wrong: ReadonlyArray<"scheme" | "host" | "port">;
      readonly location: string;
      readonly by?: "proxy" | "app";
    }
  /**
   * The app's own URLs (or its redirect_uri) lost the prefix the scenarios ran under; or, with `under`, they kept
   * it and that path under it was answered by something other than the app.
   */
  | { readonly bug: "B17"; readonly under?: string }
  /** One SockJS session's requests reached two app replicas. */
  | { readonly bug: "B20" }
  | { readonly bug: "B13"; readonly tls: boolean }
  /** The first ladder step (bytes of header) that failed each way, or null. */
  | { readonly bug: "B14"; readonly response: number | null; readonly request: number | null }
  /**
   * The first upload step (bytes of body) refused, or null; and whether the proxy held a streamed body (null where
   * the page could not stream one: HTTP/1.1, which a fix that brings HTTP/2 changes).
   */
  | { readonly bug: "B19"; readonly bytes: number | null; readonly held: boolean | null }
  | { readonly bug: "B15"; readonly wrong: ReadonlyArray<"host" | "port">; readonly hostSeen: string }
  | { readonly bug: "B5"; readonly tls: boolean }
  | { readonly bug: "B6"; readonly status: number | null }
  | { readonly bug: "B11"; readonly how: "batched" | "late-open"; readonly h2: boolean }
  | { readonly bug: "B12"; readonly stream: boolean; readonly socket: boolean }
  /** The app took another address than the browser's for the client: whose, and from which header. */
  | { readonly bug: "B22"; readonly whose: string; readonly from: "X-Real-IP" | "X-Forwarded-For" | "peer" }
  | { readonly bug: string; readonly app: true };

/** Where the request that showed the symptom went: the browser's host and port, and the path under any prefix. */
export interface FaultQuery {
  readonly symptom: Symptom;
  readonly host: string;
  readonly port: number;
  readonly path: string;
  /** The prefix the scenarios ran under ("" at /). */
  readonly prefix: string;
  readonly nginxVersion?: string;
  /**
   * The config sits behind an edge that terminates TLS and sets X-Forwarded-Proto https (docs/edge.md): a scheme
   * the app got wrong is this hop overwriting the edge's word (B21), not a missing one.
   */
  readonly behindEdge?: boolean;
}

/** A line of the user's config, as written. */
export interface FaultSite {
  readonly file: string;
  readonly line: number;
  readonly quote: string;
}

/**
 * One cause of a symptom in a config: the sentence, the directive at fault ("set") or the block it is missing
 * from ("missing"), and the fix at that place in the config's own syntax, as lines shown and as edits on the
 * user's files. `where` null: the config does not tell (the cause is named as far as it can be).
 */
export interface Fault {
  readonly bug: string;
  readonly cause: string;
  readonly where: { readonly how: "set" | "missing"; readonly site: FaultSite; readonly block?: string } | null;
  readonly fix: readonly string[];
  readonly edits: readonly LineEdit[];
  readonly fixIn: "config" | "app" | "version";
}

/** The text of a line of one of the user's files (what a fault quotes). */
export function lineOf(config: PreparedConfig, node: Pick<ConfigNode, "file" | "line">): string {
  const file = config.original.find((f) => f.shown === node.file);
  return file?.text.split("\n")[node.line - 1] ?? "";
}

/** Whether a node is in the user's files (not Debian's stock nginx.conf, not a tool's file). */
export const editable = (config: PreparedConfig, node: Pick<ConfigNode, "file">): boolean =>
  config.original.some((f) => f.shown === node.file);

/**
 * Whether lines can be added to a block: one of the user's, or one the harness wrapped around a fragment of theirs
 * (the lines go at the fragment's top: insertInto).
 */
export const canInsert = (config: PreparedConfig, block: ConfigNode): boolean =>
  editable(config, block) || (!!block.added && (block.children ?? []).some((c) => !c.added && editable(config, c)));

export function siteOf(config: PreparedConfig, node: Pick<ConfigNode, "file" | "line">): FaultSite {
  return { file: node.file, line: node.line, quote: lineOf(config, node).trim() };
}

/**
 * A directive at fault: quoted where it is, and fixed by replacing `from` with `to` on its line (in its
 * arguments unless `inArguments` is false: a Caddy site address is the node's name).
 */
export function setAt(
  config: PreparedConfig,
  node: ConfigNode,
  bug: string,
  cause: string,
  from: string,
  to: string,
  inArguments = true,
): Fault {
  const site = siteOf(config, node);
  return {
    bug,
    cause,
    where: { how: "set", site },
    fix: [site.quote.replace(from, to)],
    edits: editable(config, node)
      ? [{ at: node, ...(inArguments ? { after: node.name } : {}), find: from, replace: to, why: cause }]
      : [],
    fixIn: "config",
  };
}

const indentOf = (text: string) => /^\s*/.exec(text)?.[0] ?? "";

/**
 * Edits that add directives inside a block, after `after` when given (same indentation) or as its first lines
 * (indented as its first child is, else one level deeper than the block's opening line, in the kind's own step:
 * a tab in a Caddyfile). A block the harness added (the server around a fragment of locations) is not the user's:
 * the lines go at the top of the fragment, which is inside the user's own block wherever it is included.
 */
export function insertInto(
  config: PreparedConfig,
  block: ConfigNode,
  lines: readonly string[],
  why: string,
  after?: ConfigNode,
): LineEdit[] {
  const step = config.kind === "caddy" ? "\t" : "    ";
  // A block given as its own "after" (a server without a listen, say) means: as its first lines.
  const behind = after && after !== block && !after.added ? after : undefined;
  if (block.added && !behind) {
    const first = block.children?.find((c) => !c.added && editable(config, c));
    if (!first) return [];
    const indent = indentOf(lineOf(config, first));
    return lines.map((l) => ({ at: first, insertBefore: `${indent}${l}`, why }));
  }
  // An nginx block on one line (`location / { proxy_pass http://app; }`): the directives go inside it, before
  // its closing brace, so they stay where they take effect.
  const text = lineOf(config, block);
  if (!behind && config.kind === "nginx" && block.endLine === block.line && text.includes("}")) {
    const close = text.lastIndexOf("}");
    return [
      {
        at: block,
        after: text.slice(0, close).trimStart(),
        find: "}",
        replace: `${lines.join(" ")} }`,
        why,
      },
    ];
  }
  const child = block.children?.find((c) => c.line > block.line && !c.added);
  const anchor = behind ?? block;
  const indent = behind
    ? indentOf(lineOf(config, behind))
    : child
      ? indentOf(lineOf(config, child))
      : `${indentOf(lineOf(config, block))}${step}`;
  return lines.map((l) => ({ at: anchor, insertAfter: `${indent}${l}`, why }));
}

/** A fault whose cause the config cannot tell: what was looked at, and where the fix would go if it can. */
export function cannotTell(bug: string, what: string, fixIn: Fault["fixIn"] = "config"): Fault {
  return { bug, cause: `cannot tell from the config: ${what}`, where: null, fix: [], edits: [], fixIn };
}

/** Advice for the app: the fix is not in the proxy, and is not faked in its config. */
export function appAdvice(bug: string, cause: string, fix: readonly string[]): Fault {
  return { bug, cause, where: null, fix, edits: [], fixIn: "app" };
}

/**
 * The smallest corrected copy of a user's config: every config-side fault's edits, once each, applied to the
 * user's own files (never the harness's adapted copy); the diff is against what the user gave.
 */
export function fixedCopy(
  config: PreparedConfig,
  faults: readonly Fault[],
): { files: PreparedConfig["original"]; diff: string; edits: number } {
  const seen = new Set<string>();
  const edits: LineEdit[] = [];
  for (const f of faults.filter((x) => x.fixIn === "config")) {
    const mine = f.edits.filter((e) => {
      const key = JSON.stringify([e.at.file, e.at.line, e.find, e.replace, e.insertAfter, e.insertBefore]);
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
    // Lines added at one place for one field report come under a comment that names it, as a person would.
    const commented = new Set<string>();
    for (const e of mine) {
      const text = e.insertAfter ?? e.insertBefore;
      const place = JSON.stringify([e.at.file, e.at.line, e.insertAfter !== undefined, e.why]);
      if (text !== undefined && !commented.has(place)) {
        commented.add(place);
        const comment = `${indentOf(text)}# proxylab ${f.bug}: ${e.why}`;
        edits.push(e.insertAfter !== undefined ? { ...e, insertAfter: comment } : { ...e, insertBefore: comment });
      }
      edits.push(e);
    }
  }
  // A line of a template a fix edits is rendered first: the fix's text is found in the rendered line (its
  // `{{ var }}` becomes the value the run used, said in the diff).
  const touched = new Set(edits.filter((e) => e.find !== undefined).map((e) => `${e.at.file}\u0000${e.at.line}`));
  const rendering = (config.rendered ?? []).filter((r) => touched.has(`${r.at.file}\u0000${r.at.line}`));
  const applied = applyEdits(config.original, [...rendering, ...edits]);
  const diff = applied.files
    .map((f, i) =>
      f.text === config.original[i]!.text ? "" : unifiedDiff(config.original[i]!.text, f.text, f.shown, "fixed"),
    )
    .join("");
  return {
    files: applied.files,
    diff,
    edits: edits.filter((e) => !/^\s*# proxylab B/.test(e.insertAfter ?? e.insertBefore ?? "")).length,
  };
}
