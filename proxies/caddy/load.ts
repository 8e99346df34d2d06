import path from "node:path";
import { parsing, globMatch, listDirectory, readTextConfig, ConfigInputError, type ConfigFile } from "../config-files";
import { at, type ConfigNode } from "../config-tree";
import { APP_ALIAS, type LineEdit } from "../adapt";
import { parseCaddyfile } from "./parse";

export const CADDY_DIR = "/etc/caddy";

/** A user's Caddyfile (or a copy of /etc/caddy with the files it imports), read as Caddy will read it. */
export interface LoadedCaddy {
  readonly files: readonly ConfigFile[];
  readonly entry: ConfigFile;
  /** The Caddyfile with file imports spliced in (snippets stay as written; `import <snippet>` is expanded). */
  readonly tree: ConfigNode[];
  /** Each environment placeholder (`{$DOMAIN}`), replaced in the copy by its value: the edits, shown in the diff. */
  readonly completions: readonly LineEdit[];
}

const PLACEHOLDER = /\{\$([A-Za-z_][A-Za-z0-9_]*)(?::([^}]*))?\}/g;

/**
 * A test value for a placeholder no `--env` gives and no default covers, from where it stands: a site address
 * gets a test host name, an upstream the app, a port 443, an e-mail, a log file one under /var/log/caddy.
 */
function testValue(name: string, line: string, column: number): string {
  const kebab = name.toLowerCase().replace(/_/g, "-");
  if (/PORT/i.test(name)) return "443";
  if (/MAIL/i.test(name)) return "admin@app.test";
  if (/^\s*(reverse_proxy|to)\b/.test(line)) return `${APP_ALIAS}:80`;
  if (/(FILE|LOG)/i.test(name)) return `/var/log/caddy/${kebab}.log`;
  if (/(DIR|ROOT|PATH)/i.test(name)) return `/srv/${kebab}`;
  // The first word of a line at the top level opens a site: its address.
  const address = line.slice(0, column).trim() === "" || /^[^\s]*[,:]?\s*$/.test(line.slice(0, column));
  if (address || /(DOMAIN|HOST|SITE|ADDR|FQDN|NAME|URL)/i.test(name)) return `${kebab}.test`;
  return kebab;
}

/**
 * Caddy substitutes `{$NAME}` and `{$NAME:default}` from its environment as it reads the Caddyfile. The harness
 * reads (and runs) the copy with each replaced: the `--env` value, else the default, else a test value said in
 * the diff with the `--env` that gives the user's own.
 */
function substitutePlaceholders(
  files: readonly ConfigFile[],
  env: Readonly<Record<string, string>>,
): { files: ConfigFile[]; edits: LineEdit[] } {
  const edits: LineEdit[] = [];
  const out = files.map((f) => {
    const lines = f.text.split("\n").map((line, i) =>
      line.replace(PLACEHOLDER, (whole: string, name: string, fallback: string | undefined, column: number) => {
        const given = env[name];
        const value = given ?? fallback ?? testValue(name, line, column);
        const why =
          given !== undefined
            ? `${whole} is read from Caddy's environment: --env ${name}=${given}`
            : fallback !== undefined
              ? `${whole}: no --env ${name} given, so Caddy uses its default, ${fallback}`
              : `${whole} has no value here (Caddy reads it from its environment): a test value, ${value}; give --env ${name}=… to run with yours`;
        edits.push({ at: { file: f.shown, line: i + 1 }, find: whole, replace: value, why });
        return value;
      }),
    );
    return { ...f, text: lines.join("\n") };
  });
  return { files: out, edits };
}

export function loadCaddy(
  input: string,
  shown: string,
  kind: "file" | "directory",
  options: { env?: Readonly<Record<string, string>> } = {},
): LoadedCaddy {
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
  // Read as Caddy reads it: with its environment placeholders replaced (the copy says how).
  const substituted = substitutePlaceholders(files, options.env ?? {});
  const entry = substituted.files.find((f) => f.target === `${CADDY_DIR}/Caddyfile`)!;
  const byTarget = new Map(substituted.files.map((f) => [f.target, f]));
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
  return {
    files,
    entry: files.find((f) => f.target === `${CADDY_DIR}/Caddyfile`)!,
    tree: parsing(files, () => expand(top, 0)),
    completions: substituted.edits,
  };
}
