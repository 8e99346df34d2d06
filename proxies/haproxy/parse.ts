import { ConfigSyntaxError, type ConfigNode } from "../config-tree";
import { splitWords } from "../words";

/** Section keywords: a line starting with one opens a section that runs to the next. */
const SECTIONS = new Set([
  "global",
  "defaults",
  "frontend",
  "backend",
  "listen",
  "resolvers",
  "peers",
  "userlist",
  "program",
  "cache",
  "http-errors",
  "ring",
  "mailers",
  "fcgi-app",
  "namespace_list",
]);

interface Mutable {
  name: string;
  args: string[];
  file: string;
  line: number;
  children?: Mutable[];
}

/** Removes a `#` comment that is not inside quotes or escaped. */
function stripComment(line: string): string {
  let quote: string | null = null;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (c === "\\") {
      i++;
      continue;
    }
    if (quote) {
      if (c === quote) quote = null;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === "#") return line.slice(0, i);
  }
  return line;
}

/**
 * HAProxy's config: sections (`global`, `defaults`, `frontend <name>`, `backend <name>`, `listen <name>` …) whose
 * lines follow until the next section keyword; `#` comments; words split on blanks with quotes.
 */
export function parseHaproxy(source: string, file: string): ConfigNode[] {
  const root: Mutable[] = [];
  let section: Mutable | null = null;
  for (const [i, raw] of source.split(/\r?\n/).entries()) {
    const words = splitWords(stripComment(raw));
    if (words.length === 0) continue;
    const [name, ...args] = words as [string, ...string[]];
    if (SECTIONS.has(name)) {
      section = { name, args, file, line: i + 1, children: [] };
      root.push(section);
      continue;
    }
    if (!section)
      throw new ConfigSyntaxError(
        `${file}:${i + 1}: "${name}" outside any section (global, defaults, frontend, backend, listen)`,
      );
    section.children!.push({ name, args, file, line: i + 1 });
  }
  return root;
}
