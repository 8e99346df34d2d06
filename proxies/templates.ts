import { ConfigInputError, type ConfigFile } from "./config-files";
import { APP_ALIAS, type LineEdit } from "./adapt";
import type { ConfigNode } from "./config-tree";

/**
 * A config published as a template (Ansible's Jinja2, a Helm chart, Go templates: `{{ domain }}`,
 * `{{ .Values.port }}`) is rendered before it runs. The harness runs a copy with each expression replaced:
 * the `--env` value, else the template's own `default(…)`, else a test value from where it stands, each said in
 * the diff with the `--env` that gives the user's own. Statements (`{% if %}`) cannot be rendered without the
 * template's variables: the run says so and asks for the rendered file.
 */
const EXPRESSION = /\{\{-?\s*\.?([A-Za-z_][\w.]*)\s*((?:\|[^}]*)?)-?\}\}/g;
/** A statement, a Go template's action or variable, a Jinja comment: not a value to render. */
const STATEMENT = /\{%.*?%\}|\{\{-?\s*(?:(?:if|else|end|range|with|define|template|block)\b|\$)[^}]*\}\}|\{#.*?#\}/;
/** Directives whose text is the app's, not the config's: `sub_filter '{{API_URL}}' …` replaces a placeholder of the app. */
const APP_TEXT = /^\s*(sub_filter|Substitute|AddOutputFilterByType)\b/i;

/** A test value for a variable no `--env` gives, from its name and the directive it stands in. */
function testValue(name: string, line: string): string {
  const last = name.split(".").pop()!;
  const kebab = last.toLowerCase().replace(/_/g, "-");
  const directive = (/^\s*<?\s*([A-Za-z_]+)/.exec(line)?.[1] ?? "").toLowerCase();
  // A resolver in a container is Docker's own DNS (127.0.0.11), where the stack's names resolve.
  if (directive === "resolver" || /resolver|dns/i.test(last)) return "127.0.0.11";
  if (/port/i.test(last)) return /\b(listen|bind)\b/i.test(directive) ? (/\bssl\b/.test(line) ? "443" : "80") : "8080";
  if (/(mail)/i.test(last)) return "admin@app.test";
  if (/(upstream|backend|app_host|service)/i.test(last)) return APP_ALIAS;
  if (/(domain|host|site|fqdn|server_name|hostname|url)/i.test(last) || directive === "server_name")
    return `${kebab}.test`;
  if (/(dir|root|path)$/i.test(last)) return `/srv/${kebab}`;
  return kebab;
}

/** Applies the filters a template writes after a value: replace, lower, upper, trim, default; others as is. */
function filtered(value: string | undefined, filters: string): string | undefined {
  let v = value;
  for (const raw of filters.split("|").slice(1)) {
    const f = raw.trim();
    const quoted = [...f.matchAll(/(["'])(.*?)\1/g)].map((m) => m[2]!);
    // A literal argument: quoted, or a bare number or word (`default(100)`, `default(true)`).
    const args = quoted.length ? quoted : [/\(\s*([^()"',\s]+)\s*\)/.exec(f)?.[1]].filter((a) => a !== undefined);
    if (/^default\b|^d\(/.test(f)) v ??= args[0];
    else if (v === undefined) continue;
    else if (f.startsWith("replace") && args.length === 2) v = v.split(args[0]!).join(args[1]!);
    else if (f === "lower") v = v.toLowerCase();
    else if (f === "upper") v = v.toUpperCase();
    else if (f === "trim") v = v.trim();
    // Ansible's `{{ ansible_managed | comment }}`: a comment line.
    else if (f.startsWith("comment")) v = `# ${v}`;
  }
  return v;
}

/** Renders each file's `{{ … }}` expressions (the edits say how); a `{% … %}` statement is refused with what to do. */
export function renderTemplates(
  files: readonly ConfigFile[],
  env: Readonly<Record<string, string>>,
): { files: ConfigFile[]; edits: LineEdit[] } {
  const edits: LineEdit[] = [];
  const out = files.map((f) => {
    if (!f.text.includes("{{") && !f.text.includes("{%")) return f;
    const lines = f.text.split("\n").map((line, i) => {
      if (/^\s*#/.test(line) || APP_TEXT.test(line)) return line;
      const statement = STATEMENT.exec(line);
      if (statement)
        throw new ConfigInputError(
          `${f.shown}:${i + 1}: ${statement[0]} is a template's statement or comment: the harness renders {{ variables }} (give --env NAME=value), not {% %} blocks, {{ if }}/{{ end }} actions or {# #} comments. Render the template (ansible's template module, jinja2 or helm template) and give the result.`,
        );
      return line.replace(EXPRESSION, (whole: string, name: string, filters: string) => {
        const given = env[name] ?? env[name.split(".").pop()!];
        const fallback = filtered(undefined, filters);
        const base = given ?? fallback ?? testValue(name, line);
        const value = filtered(base, filters.replace(/\|\s*(default|d)\b[^|]*/g, "")) ?? base;
        const why =
          given !== undefined
            ? `${whole} is the template's variable: --env ${name}=${given}`
            : fallback !== undefined
              ? `${whole}: no --env ${name} given, so the template's default, ${value}`
              : `${whole} is a template variable with no value here: a test value, ${value}; give --env ${name}=… to run with yours`;
        edits.push({ at: { file: f.shown, line: i + 1 }, find: whole, replace: value, why });
        return value;
      });
    });
    return { ...f, text: lines.join("\n") };
  });
  return { files: out, edits };
}

/** The files a loader reads by target, each rendered when first read (files nothing includes are left alone). */
export type FileLookup = Pick<ReadonlyMap<string, ConfigFile>, "get" | "keys">;

/**
 * A lookup of a config's files that renders each one the proxy reads, once: `edits` gathers what rendering changed
 * (for the copy's diff), `rendered()` is every file as read. `render: false` (an `nginx -T` dump, already rendered)
 * reads them as they are.
 */
export function renderingLookup(
  files: readonly ConfigFile[],
  env: Readonly<Record<string, string>>,
  render = true,
): { lookup: FileLookup; edits: LineEdit[]; rendered(): ConfigFile[] } {
  const raw = new Map(files.map((f) => [f.target, f]));
  const done = new Map<string, ConfigFile>();
  const edits: LineEdit[] = [];
  const read = (f: ConfigFile): ConfigFile => {
    if (!render) return f;
    let r = done.get(f.target);
    if (!r) {
      const out = renderTemplates([f], env);
      r = out.files[0]!;
      edits.push(...out.edits);
      done.set(f.target, r);
    }
    return r;
  };
  return {
    lookup: {
      get: (target: string) => {
        const f = raw.get(target);
        return f && read(f);
      },
      keys: () => raw.keys(),
    },
    edits,
    rendered: () => files.map((f) => done.get(f.target) ?? f),
  };
}

/** A loader's tree and edits once completed: the template's rendering first, then what the deployment adds. */
export function withRendering(
  rendered: { readonly edits: readonly LineEdit[] },
  completed: { readonly tree: ConfigNode[]; readonly edits: readonly LineEdit[] },
): { tree: ConfigNode[]; completions: LineEdit[]; rendered: readonly LineEdit[] } {
  return { tree: completed.tree, completions: [...rendered.edits, ...completed.edits], rendered: rendered.edits };
}
