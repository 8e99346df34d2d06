import { ConfigSyntaxError, type ConfigNode } from "../config-tree";

interface Mutable {
  name: string;
  args: string[];
  file: string;
  line: number;
  children?: Mutable[];
}

interface Token {
  text: string;
  line: number;
  /** A bare `{` or `}` (not quoted, not part of a placeholder like `{$PORT}`). */
  brace?: "{" | "}";
}

/** Caddy's lexer: blanks separate tokens, "…" and `…` quote, `#` starts a comment at a token's start. */
function lex(source: string): Token[][] {
  const lines: Token[][] = [];
  let current: Token[] = [];
  let text = "";
  let inToken = false;
  let quoted = false;
  let line = 1;
  let tokenLine = 1;
  const end = () => {
    if (inToken)
      current.push({ text, line: tokenLine, ...(!quoted && (text === "{" || text === "}") ? { brace: text } : {}) });
    text = "";
    inToken = false;
    quoted = false;
  };
  for (let i = 0; i < source.length; i++) {
    const c = source[i]!;
    if ((c === '"' || c === "`") && !inToken) {
      inToken = true;
      quoted = true;
      tokenLine = line;
      for (i++; i < source.length && source[i] !== c; i++) {
        if (c === '"' && source[i] === "\\" && source[i + 1] === '"') i++;
        if (source[i] === "\n") line++;
        text += source[i];
      }
      continue;
    }
    if (c === "#" && !inToken) {
      while (i + 1 < source.length && source[i + 1] !== "\n") i++;
      continue;
    }
    if (c === "\n") {
      end();
      if (current.length) lines.push(current);
      current = [];
      line++;
      continue;
    }
    if (/\s/.test(c)) {
      end();
      continue;
    }
    if (!inToken) {
      inToken = true;
      tokenLine = line;
    }
    text += c;
  }
  end();
  if (current.length) lines.push(current);
  return lines;
}

/**
 * A Caddyfile: an optional global options block `{ … }`, snippets `(name) { … }`, and site blocks
 * `addr, addr { … }` (or one site without braces for the whole file). Inside, a directive is a line of tokens; a
 * trailing `{` opens its sub-block. Sites become nodes named "site" whose args are the addresses.
 */
export function parseCaddyfile(source: string, file: string): ConfigNode[] {
  const lines = lex(source);
  const root: Mutable[] = [];
  const stack: Mutable[] = [];
  const push = (node: Mutable) => (stack.length ? stack.at(-1)!.children!.push(node) : root.push(node));
  for (const [index, tokens] of lines.entries()) {
    const first = tokens[0]!;
    if (first.brace === "}") {
      if (!stack.length) throw new ConfigSyntaxError(`${file}:${first.line}: unexpected "}"`);
      stack.pop();
      if (tokens.length > 1) throw new ConfigSyntaxError(`${file}:${first.line}: "}" must be alone on its line`);
      continue;
    }
    const opens = tokens.at(-1)!.brace === "{";
    const words = (opens ? tokens.slice(0, -1) : tokens).map((t) => t.text);
    if (stack.length === 0) {
      // Top level: the global options block, a snippet, or a site.
      if (index === 0 && opens && words.length === 0) {
        const node: Mutable = { name: "global", args: [], file, line: first.line, children: [] };
        root.push(node);
        stack.push(node);
        continue;
      }
      const snippet = words.length === 1 && /^\(.+\)$/.exec(words[0]!);
      if (snippet && opens) {
        const node: Mutable = { name: "snippet", args: [words[0]!.slice(1, -1)], file, line: first.line, children: [] };
        root.push(node);
        stack.push(node);
        continue;
      }
      if (opens) {
        const node: Mutable = {
          name: "site",
          args: words.flatMap((w) => w.split(",")).filter(Boolean),
          file,
          line: first.line,
          children: [],
        };
        root.push(node);
        stack.push(node);
        continue;
      }
      if (root.every((n) => n.name === "global" || n.name === "snippet")) {
        // One site without braces: its addresses on this line, every later line its directives.
        const node: Mutable = {
          name: "site",
          args: words.flatMap((w) => w.split(",")).filter(Boolean),
          file,
          line: first.line,
          children: [],
        };
        root.push(node);
        stack.push(node);
        continue;
      }
      throw new ConfigSyntaxError(`${file}:${first.line}: "${words.join(" ")}" outside a site block`);
    }
    const node: Mutable = {
      name: words[0] ?? "",
      args: words.slice(1),
      file,
      line: first.line,
      ...(opens ? { children: [] } : {}),
    };
    push(node);
    if (opens) stack.push(node);
  }
  // Blocks still open at the end of the file are closed there: Caddy 2.6 (the one the harness runs) does the same
  // (`caddy validate` accepts `site {` with no `}`), so the harness reads what the product runs.
  return root;
}
