import path from "node:path";
import { parsing, globMatch, listDirectory, readTextConfig, ConfigInputError, type ConfigFile } from "../config-files";
import { at, type ConfigNode } from "../config-tree";
import { parseCaddyfile } from "./parse";

export const CADDY_DIR = "/etc/caddy";

/** A user's Caddyfile (or a copy of /etc/caddy with the files it imports), read as Caddy will read it. */
export interface LoadedCaddy {
  readonly files: readonly ConfigFile[];
  readonly entry: ConfigFile;
  /** The Caddyfile with file imports spliced in (snippets stay as written; `import <snippet>` is expanded). */
  readonly tree: ConfigNode[];
}

export function loadCaddy(input: string, shown: string, kind: "file" | "directory"): LoadedCaddy {
  let files: ConfigFile[];
  if (kind === "file") {
    files = [{ target: `${CADDY_DIR}/Caddyfile`, shown, text: readTextConfig(input, shown) }];
  } else {
    const rels = listDirectory(input, shown);
    if (!rels.includes("Caddyfile"))
      throw new ConfigInputError(`${shown} has no Caddyfile at its top: give the Caddyfile, or a copy of /etc/caddy.`);
    files = rels.map((r) => ({
      target: path.posix.join(CADDY_DIR, r),
      shown: path.join(shown, r),
      text: readTextConfig(path.join(input, r), path.join(shown, r)),
    }));
  }
  const entry = files.find((f) => f.target === `${CADDY_DIR}/Caddyfile`)!;
  const byTarget = new Map(files.map((f) => [f.target, f]));
  const top = parsing(files, () => parseCaddyfile(entry.text, entry.shown));
  const snippets = new Map(top.filter((n) => n.name === "snippet").map((n) => [n.args[0]!, n.children ?? []]));
  const expand = (nodes: readonly ConfigNode[], depth: number): ConfigNode[] =>
    nodes.flatMap((n) => {
      if (n.name !== "import") return [n.children ? { ...n, children: expand(n.children, depth) } : n];
      if (depth > 10)
        throw new ConfigInputError(`${at(n)}: import ${n.args[0]}: imports nest more than 10 deep (a loop?).`);
      const name = n.args[0] ?? "";
      if (snippets.has(name)) return expand(snippets.get(name)!, depth + 1);
      const absolute = name.startsWith("/") ? name : path.posix.join(CADDY_DIR, name);
      const mine = globMatch(absolute, [...byTarget.keys()]);
      if (mine.length === 0 && !/[*?[]/.test(name)) {
        throw new ConfigInputError(
          `${at(n)}: import ${name}: neither a snippet of this Caddyfile nor a file in what was given. Give a copy of /etc/caddy with it.`,
        );
      }
      return mine.flatMap((t) => expand(parseCaddyfile(byTarget.get(t)!.text, byTarget.get(t)!.shown), depth + 1));
    });
  return { files, entry, tree: parsing(files, () => expand(top, 0)) };
}
