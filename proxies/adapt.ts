import type { ConfigFile } from "./config-files";
import type { ConfigNode } from "./config-tree";

/**
 * What the harness changes in a COPY of a user's config to run it in its stack, each change with the line it
 * touches and why. The user's files are never written; the copy's diff is printed before the run.
 */
export interface Change {
  /** The user's file (as they gave it) and line. */
  readonly shown: string;
  readonly line: number;
  readonly why: string;
}

export interface LineEdit {
  readonly at: Pick<ConfigNode, "file" | "line">;
  /** Text to find on that line, and what replaces it; or lines to insert after (or before) it. */
  readonly find?: string;
  readonly replace?: string;
  /** Look for `find` only after this text on the line (a directive's name: its arguments, not its name). */
  readonly after?: string;
  readonly insertAfter?: string;
  readonly insertBefore?: string;
  readonly why: string;
}

export interface Adapted {
  readonly files: readonly ConfigFile[];
  readonly changes: readonly Change[];
  /** A unified diff of every changed file, user's path on both sides. */
  readonly diff: string;
  /** A CA the proxy itself creates when it starts (Caddy's internal one), for the browser to trust, as a file in it. */
  readonly proxyCa?: string;
}

/** Why an upstream is rewritten to the app, by how it is reached (proxies/facts.ts, Upstream.reach). */
export function whereIs(reach: string): string {
  return reach === "private"
    ? "an address on your network"
    : reach === "placeholder"
      ? "a placeholder of a published example, not a host"
      : "the proxy's own host";
}

/** Where the harness puts TLS files in every container (part of the contract for a user's own proxy config). */
export const TLS_DIR = "/etc/proxylab/tls";

/** The container name every rewritten upstream (loopback, unix socket, a private address) points at. */
export const APP_ALIAS = "proxylab-app";

/**
 * A listen address bound to one IP (`192.0.2.10:443`, `127.0.0.1:8080`, `[2001:db8::1]:443`), as the address and
 * port; null for a port alone or a wildcard. The container has none of these addresses (and a loopback one is
 * reached only from the proxy's own host): the copy listens on the port on every address, with why.
 */
export function boundAddress(written: string): { address: string; port: string; why: string } | null {
  const m = /^(\d+\.\d+\.\d+\.\d+|\[[^\]]+\]):(\d+)$/.exec(written);
  if (!m || /^(0\.0\.0\.0|\[::\])$/.test(m[1]!)) return null;
  const [, address, port] = m as unknown as [string, string, string];
  const why = /^(127\.|\[::1\])/.test(address)
    ? `${address}:${port} is reached only from the proxy's own host (a proxy in front, a tunnel); the harness's browser stands in for that client, so the copy listens on port ${port} on every address`
    : `the container has no address ${address}; it listens on port ${port} as the host with that address would`;
  return { address, port, why };
}

/** Applies line edits to copies of the files; files without edits are returned as they are. */
export function applyEdits(files: readonly ConfigFile[], edits: readonly LineEdit[]): Adapted {
  const changes: Change[] = [];
  const out = files.map((file) => {
    const mine = edits.filter((e) => e.at.file === file.shown);
    if (mine.length === 0) return file;
    const lines = file.text.split("\n");
    const inserts = new Map<number, string[]>();
    const before = new Map<number, string[]>();
    for (const e of mine) {
      const i = e.at.line - 1;
      if (e.find !== undefined && e.replace !== undefined) {
        const from = e.after ? (lines[i]?.indexOf(e.after) ?? -1) + e.after.length : 0;
        const at = lines[i]?.indexOf(e.find, Math.max(0, from)) ?? -1;
        if (at < 0) continue;
        lines[i] = lines[i]!.slice(0, at) + e.replace + lines[i]!.slice(at + e.find.length);
      }
      if (e.insertAfter !== undefined) inserts.set(i, [...(inserts.get(i) ?? []), e.insertAfter]);
      if (e.insertBefore !== undefined) before.set(i, [...(before.get(i) ?? []), e.insertBefore]);
      changes.push({ shown: file.shown, line: e.at.line, why: e.why });
    }
    const text = lines.flatMap((l, i) => [...(before.get(i) ?? []), l, ...(inserts.get(i) ?? [])]).join("\n");
    return { ...file, text };
  });
  const diff = out
    .map((f, i) => (f.text === files[i]!.text ? "" : unifiedDiff(files[i]!.text, f.text, f.shown)))
    .filter(Boolean)
    .join("");
  return { files: out, changes: changes.sort((a, b) => a.shown.localeCompare(b.shown) || a.line - b.line), diff };
}

/** A unified diff (3 lines of context) of two versions of one file, by longest common subsequence of lines. */
export function unifiedDiff(before: string, after: string, name: string, label = "as the harness runs it"): string {
  const a = before.split("\n");
  const b = after.split("\n");
  const n = a.length;
  const m = b.length;
  const lcs: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--)
    for (let j = m - 1; j >= 0; j--)
      lcs[i]![j] = a[i] === b[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
  const ops: Array<{ op: " " | "-" | "+"; text: string; ai: number; bi: number }> = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) ops.push({ op: " ", text: a[i++]!, ai: i, bi: ++j });
    // Removals before additions, as diff -u shows a changed line.
    else if (i < n && (j >= m || lcs[i + 1]![j]! >= lcs[i]![j + 1]!))
      ops.push({ op: "-", text: a[i++]!, ai: i, bi: j });
    else ops.push({ op: "+", text: b[j++]!, ai: i, bi: j });
  }
  const hunks: string[] = [];
  for (let k = 0; k < ops.length;) {
    if (ops[k]!.op === " ") {
      k++;
      continue;
    }
    const start = Math.max(0, k - 3);
    let end = k;
    while (end < ops.length) {
      if (ops[end]!.op !== " ") {
        end++;
        continue;
      }
      let run = end;
      while (run < ops.length && ops[run]!.op === " ") run++;
      if (run - end > 6 || run === ops.length) {
        end = Math.min(run, end + 3);
        break;
      }
      end = run;
    }
    const slice = ops.slice(start, end);
    const aStart = slice.find((o) => o.op !== "+")?.ai ?? slice[0]!.ai + 1;
    const bStart = slice.find((o) => o.op !== "-")?.bi ?? slice[0]!.bi + 1;
    const aLen = slice.filter((o) => o.op !== "+").length;
    const bLen = slice.filter((o) => o.op !== "-").length;
    hunks.push(`@@ -${aStart},${aLen} +${bStart},${bLen} @@\n${slice.map((o) => `${o.op}${o.text}`).join("\n")}\n`);
    k = end;
  }
  return hunks.length ? `--- ${name}\n+++ ${name} (${label})\n${hunks.join("")}` : "";
}
