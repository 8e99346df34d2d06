import path from "node:path";
import { globMatch, listDirectory, parsing, readTextConfig, ConfigInputError, type ConfigFile } from "../config-files";
import { at, type ConfigNode } from "../config-tree";
import type { LineEdit } from "../adapt";
import { completeApache } from "./complete";
import { renderingLookup, renderTemplates, withRendering, type FileLookup } from "../templates";
import { parseApache } from "./parse";

/** certbot's Apache plugin writes this beside the sites it manages (and sites include it): provided as written. */
export const APACHE_TOOL_FILES: Readonly<Record<string, { tool: string; text: string }>> = {
  "/etc/letsencrypt/options-ssl-apache.conf": {
    tool: "certbot",
    text: [
      "# This file contains important security parameters. If you modify this file",
      "# manually, Certbot will be unable to automatically provide future security",
      "# updates. Instead, Certbot will print and log an error message with a path to",
      "# the up-to-date file that you will need to refer to when manually updating",
      "# this file. Contents are based on https://ssl-config.mozilla.org",
      "",
      "SSLEngine on",
      "",
      "# Intermediate configuration, tweak to your needs",
      "SSLProtocol             all -SSLv2 -SSLv3 -TLSv1 -TLSv1.1",
      "SSLCipherSuite          ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305:DHE-RSA-AES128-GCM-SHA256:DHE-RSA-AES256-GCM-SHA384",
      "SSLHonorCipherOrder     off",
      "SSLSessionTickets       off",
      "",
      "SSLOptions +StrictRequire",
      "",
      "# Add vhost name to log entries:",
      'LogFormat "%h %l %u %t \\"%r\\" %>s %b \\"%{Referer}i\\" \\"%{User-agent}i\\"" vhost_combined',
      'LogFormat "%v %h %l %u %t \\"%r\\" %>s %b" vhost_common',
      "",
    ].join("\n"),
  },
};

export const APACHE_ROOT = "/etc/apache2";

/** A user's Apache config, read as Debian's apache2 will read it in the harness's container. */
export interface LoadedApache {
  readonly files: readonly ConfigFile[];
  readonly entry: ConfigFile;
  /** "main": the user's own apache2.conf / httpd.conf; "site": a site Debian's apache2.conf includes. */
  readonly layout: "main" | "site";
  readonly tree: ConfigNode[];
  /** Files the config includes that a tool writes beside it (certbot's), which the harness provides. */
  readonly provided: ReadonlyArray<{ target: string; tool: string; at: string }>;
  /** What the copy gets to run as deployed (proxies/apache/complete.ts): its edits, shown in the diff. */
  readonly completions: readonly LineEdit[];
  /** A template's `{{ }}` expressions rendered (also in `completions`): a fix's line gets them before its own edit. */
  readonly rendered: readonly LineEdit[];
}

/** Files Debian's apache2 package has, which a user's Include may name without shipping them. */
const STOCK = /^\/etc\/apache2\/(mods-(available|enabled)|conf-(available|enabled)|ports\.conf|envvars|magic)/;

// A whole apache2.conf / httpd.conf loads modules or sets its root; a site (even one with its own Listen) does not.
const isMain = (tree: readonly ConfigNode[]) => tree.some((d) => ["ServerRoot", "LoadModule"].includes(d.name));

export function loadApache(
  input: string,
  shown: string,
  kind: "file" | "directory",
  options: { env?: Readonly<Record<string, string>> } = {},
): LoadedApache {
  let files: ConfigFile[];
  let entry: ConfigFile;
  if (kind === "file") {
    const text = readTextConfig(input, shown);
    const base = path.basename(input).replace(/\.conf$/, "");
    const guess = /^\s*(ServerRoot|LoadModule)\s/im.test(text) ? "apache2.conf" : `sites-enabled/${base}.conf`;
    const rendered = renderTemplates([{ target: "", shown, text }], {}).files[0]!.text;
    const main = isMain(
      parsing([{ target: `${APACHE_ROOT}/${guess}`, shown, text }], () => parseApache(rendered, shown)),
    );
    entry = { target: main ? `${APACHE_ROOT}/apache2.conf` : `${APACHE_ROOT}/sites-enabled/${base}.conf`, shown, text };
    files = [entry];
  } else {
    const rels = listDirectory(input, shown);
    const main = rels
      .filter((r) => ["apache2.conf", "httpd.conf"].includes(path.basename(r)))
      .sort((a, b) => a.split("/").length - b.split("/").length)[0];
    const root = main ? path.dirname(main) : ".";
    const under = rels.filter((r) => root === "." || r.startsWith(`${root}/`));
    const rel = (r: string) => (root === "." ? r : r.slice(root.length + 1));
    files = under.map((r) => ({
      target: main
        ? r === main
          ? `${APACHE_ROOT}/apache2.conf`
          : path.posix.join(APACHE_ROOT, rel(r))
        : path.posix.join(`${APACHE_ROOT}/sites-enabled`, rel(r)),
      shown: path.join(shown, r),
      text: readTextConfig(path.join(input, r), path.join(shown, r)),
    }));
    if (files.length === 0)
      throw new ConfigInputError(
        `${shown} has no files: give a copy of /etc/apache2, of its sites-enabled, or one site file.`,
      );
    entry = main ? files.find((f) => f.target === `${APACHE_ROOT}/apache2.conf`)! : files[0]!;
  }
  const layout = entry.target === `${APACHE_ROOT}/apache2.conf` ? "main" : "site";
  // A template (`{{ domain }}`) is read as rendered, each file Apache reads; the copy's diff says with what.
  const rendered = renderingLookup(files, options.env ?? {});
  const byTarget = rendered.lookup;
  const roots = (
    layout === "main" ? [entry] : files.filter((f) => f.target.startsWith(`${APACHE_ROOT}/sites-enabled/`))
  ).map((f) => byTarget.get(f.target)!);
  const provided: Array<{ target: string; tool: string; at: string }> = [];
  const tree = parsing(files, () =>
    roots.flatMap((f) => expand(parseApache(f.text, f.shown), byTarget, provided, kind, new Set([f.target]))),
  );
  const completed = completeApache(rendered.rendered(), tree, layout);
  return { files, entry, layout, provided, ...withRendering(rendered, completed) };
}

function expand(
  nodes: readonly ConfigNode[],
  files: FileLookup,
  provided: Array<{ target: string; tool: string; at: string }>,
  kind: "file" | "directory",
  chain: ReadonlySet<string>,
): ConfigNode[] {
  const out: ConfigNode[] = [];
  for (const node of nodes) {
    const name = node.name.toLowerCase();
    if (name !== "include" && name !== "includeoptional") {
      out.push(node.children ? { ...node, children: expand(node.children, files, provided, kind, chain) } : node);
      continue;
    }
    const pattern = node.args[0] ?? "";
    const absolute = pattern.startsWith("/") ? pattern : path.posix.join(APACHE_ROOT, pattern);
    // `Include dir/` includes every file in it.
    const asGlob = /[*?[]/.test(absolute)
      ? absolute
      : [...files.keys()].some((t) => t.startsWith(`${absolute.replace(/\/$/, "")}/`))
        ? `${absolute.replace(/\/$/, "")}/*`
        : absolute;
    const mine = globMatch(asGlob, [...files.keys()]);
    if (mine.length > 0) {
      for (const target of mine) {
        if (chain.has(target))
          throw new ConfigInputError(`${at(node)}: ${node.name} ${pattern} includes ${target} again: an include loop.`);
        const f = files.get(target)!;
        out.push(...expand(parseApache(f.text, f.shown), files, provided, kind, new Set(chain).add(target)));
      }
    } else if (APACHE_TOOL_FILES[absolute]) {
      const tool = APACHE_TOOL_FILES[absolute];
      provided.push({ target: absolute, tool: tool.tool, at: at(node) });
      out.push(...parseApache(tool.text, `${absolute} (as ${tool.tool} writes it)`));
    } else if (name === "include" && !/[*?[]/.test(absolute) && !STOCK.test(absolute)) {
      const where = kind === "directory" ? "the directory given" : "the file given";
      throw new ConfigInputError(
        absolute.startsWith(`${APACHE_ROOT}/`)
          ? `${at(node)}: Include ${pattern}: ${absolute} is not in ${where}. Give the whole directory (a copy of /etc/apache2).`
          : `${at(node)}: Include ${pattern}: ${absolute} is outside ${APACHE_ROOT}, and the harness reads nothing from the host beyond what it is given. Copy the file into the directory.`,
      );
    }
  }
  return out;
}
