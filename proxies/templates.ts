import { ConfigInputError, type ConfigFile } from "./config-files";
import { APP_ALIAS, type LineEdit } from "./adapt";

/**
 * A config published as a template (Ansible's Jinja2, a Helm chart, Go templates: `{{ domain }}`,
 * `{{ .Values.port }}`) is rendered before it runs. The harness runs a copy with each expression replaced:
 * the `--env` value, else the template's own `default(…)`, else a test value from where it stands, each said in
 * the diff with the `--env` that gives the user's own. Statements (`{% if %}`) cannot be rendered without the
 * template's variables: the run says so and asks for the rendered file.
 */
const EXPRESSION = /\{\{-?\s*\.?([A-Za-z_][\w.]*)\s*((?:\|[^}]*)?)-?\}\}/g;
const STATEMENT = /\{%.*?%\}/;

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
    const args = [...f.matchAll(/(["'])(.*?)\1/g)].map((m) => m[2]!);
    if (/^default\b|^d\(/.test(f)) v ??= args[0];
    else if (v === undefined) continue;
    else if (f.startsWith("replace") && args.length === 2) v = v.split(args[0]!).join(args[1]!);
    else if (f === "lower") v = v.toLowerCase();
    else if (f === "upper") v = v.toUpperCase();
    else if (f === "trim") v = v.trim();
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
      if (/^\s*#/.test(line)) return line;
      const statement = STATEMENT.exec(line);
      if (statement)
        throw new ConfigInputError(
          `${f.shown}:${i + 1}: ${statement[0]} is a template statement: the harness renders {{ variables }} (give --env NAME=value) but not {% %} blocks. Render the template (ansible's template module, jinja2 or helm template) and give the result.`,
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
