import path from "node:path";
import { globMatch, listDirectory, parsing, readTextConfig, ConfigInputError, type ConfigFile } from "../config-files";
import { at, type ConfigNode } from "../config-tree";
import type { LineEdit } from "../adapt";
import { completeNginx } from "./complete";
import { parseNginx } from "./parse";
import { renderingLookup, renderTemplates, withRendering, type FileLookup } from "../templates";
import { NGINX_PREFIX, STOCK_FILES, toolFileFor } from "./stock";

/** A user's nginx config, read as nginx will read it in the harness's container. */
export interface LoadedNginx {
  /** Every file of the config, each with the path nginx reads it from. */
  readonly files: readonly ConfigFile[];
  /** The file nginx starts from, or the fragment Debian's stock nginx.conf includes (sites-enabled). */
  readonly entry: ConfigFile;
  /** "main": the user's own nginx.conf replaces the stock one; "site": server {} blocks inside the stock http {}. */
  readonly layout: "main" | "site";
  /** The whole config as one tree: each `include` replaced by what it includes (nodes keep their own file:line). */
  readonly tree: ConfigNode[];
  /** Files the config includes that a tool writes beside it (certbot's), which the harness provides. */
  readonly provided: ReadonlyArray<{ target: string; tool: string; at: string }>;
  /** What the copy gets to run as deployed (proxies/nginx/complete.ts): its edits, shown in the diff. */
  readonly completions: readonly LineEdit[];
  /** A template's `{{ }}` expressions rendered (also in `completions`): a fix's line gets them before its own edit. */
  readonly rendered: readonly LineEdit[];
}

const DUMP_MARKER = /^# configuration file (\S+):\s*$/m;

/** Whether a text is `nginx -T` output: each file after a `# configuration file <path>:` line. */
export function isNginxDump(text: string): boolean {
  return DUMP_MARKER.test(text) && /^# configuration file \S+:\s*$/m.test(text.split("\n").slice(0, 40).join("\n"));
}

/** Splits `nginx -T` output into its files (the first is the one nginx started from). */
export function splitNginxDump(text: string, shown: string): ConfigFile[] {
  const files: ConfigFile[] = [];
  const parts = text.split(/^# configuration file (\S+):\s*$/m);
  for (let i = 1; i + 1 < parts.length; i += 2) {
    const target = parts[i]!;
    // Lines of a file keep their numbers within it; the dump's own line is shown too.
    // A dump pasted from a terminal ends with the shell's next prompt: not part of the last file.
    const text = parts[i + 1]!.replace(/^\n/, "").replace(/\n[\w.-]+@[\w.-]+:[^\n]*[#$]\s*$/, "\n");
    files.push({ target, shown: `${shown} (${target})`, text });
  }
  if (files.length === 0)
    throw new ConfigInputError(
      `${shown} looks like \`nginx -T\` output but has no "# configuration file <path>:" sections.`,
    );
  return files;
}

/**
 * Reads a single file, a directory (a copy of /etc/nginx, or of conf.d) or an `nginx -T` dump, as the nginx of
 * `options.nginxVersion` will run it (a fragment's wrapping server says HTTP/2 in that version's words).
 */
export function loadNginx(
  input: string,
  shown: string,
  kind: "file" | "directory",
  options: { nginxVersion?: string; env?: Readonly<Record<string, string>> } = {},
): LoadedNginx {
  let files: ConfigFile[];
  let entry: ConfigFile;
  let dump = false;
  if (kind === "file") {
    const text = readTextConfig(input, shown);
    if (isNginxDump(text)) {
      dump = true;
      files = splitNginxDump(text, shown);
      entry = files[0]!;
    } else {
      const rendered = renderTemplates([{ target: "", shown, text }], {}).files[0]!.text;
      const guess = {
        target: `${NGINX_PREFIX}/${/^\s*http\s*\{/m.test(text) ? "nginx.conf" : `sites-enabled/${path.basename(input)}`}`,
        shown,
        text: rendered,
      };
      const whole = parsing([guess], () => parseNginx(rendered, shown)).some((d) => d.name === "http" && d.children);
      entry = {
        target: whole ? `${NGINX_PREFIX}/nginx.conf` : `${NGINX_PREFIX}/sites-enabled/${path.basename(input)}`,
        shown,
        text,
      };
      files = [entry];
    }
  } else {
    const rels = listDirectory(input, shown);
    // The nginx.conf nearest the top is the prefix (a copy of /etc/nginx, perhaps one level down: etc/nginx/).
    const main = rels
      .filter((r) => path.basename(r) === "nginx.conf")
      .sort((a, b) => a.split("/").length - b.split("/").length)[0];
    const root = main ? path.dirname(main) : ".";
    const under = rels.filter((r) => root === "." || r.startsWith(`${root}/`));
    const targetOf = (rel: string) =>
      path.posix.join(main ? NGINX_PREFIX : `${NGINX_PREFIX}/conf.d`, root === "." ? rel : rel.slice(root.length + 1));
    files = under.map((rel) => ({
      target: targetOf(rel),
      shown: path.join(shown, rel),
      text: readTextConfig(path.join(input, rel), path.join(shown, rel)),
    }));
    if (!main && !files.some((f) => f.target.endsWith(".conf"))) {
      throw new ConfigInputError(
        `${shown} has no nginx.conf and no *.conf file: give a copy of /etc/nginx, of its conf.d, or one config file.`,
      );
    }
    entry = main
      ? files.find((f) => f.target === `${NGINX_PREFIX}/nginx.conf`)!
      : files.find((f) => f.target.endsWith(".conf"))!;
  }
  const layout = entry.target === `${NGINX_PREFIX}/nginx.conf` ? "main" : "site";
  // A template (`{{ domain }}`) is read as rendered, each file nginx reads; the copy's diff says with what. An
  // `nginx -T` dump is what nginx read: already rendered.
  const rendered = renderingLookup(files, options.env ?? {}, !dump);
  const byTarget = rendered.lookup;
  const provided: Array<{ target: string; tool: string; at: string }> = [];
  // conf.d fragments without a nginx.conf of their own are all loaded, as Debian's nginx.conf includes them.
  const roots = (
    layout === "main"
      ? [entry]
      : kind === "directory"
        ? files.filter((f) => /\/conf\.d\/[^/]+\.conf$/.test(f.target))
        : [entry]
  ).map((f) => byTarget.get(f.target)!);
  const tree = parsing(files, () =>
    roots.flatMap((f) => expand(parseNginx(f.text, f.shown), byTarget, provided, kind, new Set([f.target]))),
  );
  const completed = completeNginx(rendered.rendered(), tree, layout, options.nginxVersion);
  return { files, entry, layout, provided, ...withRendering(rendered, completed) };
}

/** Replaces each `include` by what it includes, from the user's files, the image's stock files or a tool's. */
function expand(
  nodes: readonly ConfigNode[],
  files: FileLookup,
  provided: Array<{ target: string; tool: string; at: string }>,
  kind: "file" | "directory",
  chain: ReadonlySet<string>,
): ConfigNode[] {
  const out: ConfigNode[] = [];
  for (const node of nodes) {
    if (node.name !== "include" || node.children) {
      out.push(node.children ? { ...node, children: expand(node.children, files, provided, kind, chain) } : node);
      continue;
    }
    const pattern = node.args[0] ?? "";
    const absolute = pattern.startsWith("/") ? pattern : path.posix.join(NGINX_PREFIX, pattern);
    const isGlob = /[*?[]/.test(absolute);
    const mine = globMatch(absolute, [...files.keys()]);
    const stock = globMatch(absolute, Object.keys(STOCK_FILES));
    if (mine.length > 0) {
      for (const target of mine) {
        if (chain.has(target))
          throw new ConfigInputError(`${at(node)}: include ${pattern} includes ${target} again: an include loop.`);
        const f = files.get(target)!;
        out.push(...expand(parseNginx(f.text, f.shown), files, provided, kind, new Set(chain).add(target)));
      }
    } else if (stock.length > 0) {
      for (const target of stock) {
        const text = STOCK_FILES[target];
        if (text) out.push(...parseNginx(text, `${target} (Debian's)`));
      }
    } else if (toolFileFor(absolute)) {
      // certbot's files where the config names them: /etc/letsencrypt/…, or beside nginx.conf (a relative include).
      const tool = toolFileFor(absolute)!;
      provided.push({ target: absolute, tool: tool.tool, at: at(node) });
      if (tool.text) out.push(...parseNginx(tool.text, `${absolute} (as ${tool.tool} writes it)`));
    } else if (!isGlob) {
      const where = kind === "directory" ? "the directory given" : "the file given";
      const inside = absolute.startsWith(`${NGINX_PREFIX}/`);
      throw new ConfigInputError(
        inside
          ? `${at(node)}: include ${pattern}: ${absolute} is not in ${where}. Give the whole directory (a copy of /etc/nginx with its includes), or \`nginx -T\` output.`
          : `${at(node)}: include ${pattern}: ${absolute} is outside ${NGINX_PREFIX}, and the harness reads nothing from the host beyond what it is given. Give \`nginx -T\` output (it has every included file), or copy the file into the directory.`,
      );
    }
    // A glob that matches nothing includes nothing, as in nginx.
  }
  return out;
}
