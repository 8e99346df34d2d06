import { ConfigSyntaxError, type ConfigNode } from "../config-tree";
import { splitWords } from "../words";

interface Mutable {
  name: string;
  args: string[];
  file: string;
  line: number;
  children?: Mutable[];
  endLine?: number;
}

/**
 * Apache httpd's config syntax: one directive per line (a trailing `\` continues it), `#` comments on lines of
 * their own, `<Section args>` … `</Section>` blocks. Includes are left as nodes; proxies/apache/load.ts follows them.
 */
export function parseApache(source: string, file: string): ConfigNode[] {
  const root: Mutable[] = [];
  const stack: Array<{ node: Mutable | null; children: Mutable[] }> = [{ node: null, children: root }];
  const lines = source.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const first = i + 1;
    let text = lines[i]!;
    while (/\\\s*$/.test(text) && i + 1 < lines.length) text = text.replace(/\\\s*$/, " ") + lines[++i]!;
    const trimmed = text.trim();
    if (trimmed === "" || trimmed.startsWith("#")) continue;
    const close = /^<\/([^\s>]+)\s*>$/.exec(trimmed);
    if (close) {
      const top = stack.at(-1)!;
      if (!top.node) throw new ConfigSyntaxError(`${file}:${first}: </${close[1]}> without a matching <${close[1]}>`);
      if (top.node.name.toLowerCase() !== close[1]!.toLowerCase()) {
        throw new ConfigSyntaxError(
          `${file}:${first}: </${close[1]}> closes <${top.node.name}> opened at line ${top.node.line}`,
        );
      }
      stack.pop()!.node!.endLine = first;
      continue;
    }
    const open = /^<([^\s>/]+)\s*([^>]*)>$/.exec(trimmed);
    if (open) {
      const node: Mutable = { name: open[1]!, args: splitWords(open[2]!), file, line: first, children: [] };
      stack.at(-1)!.children.push(node);
      stack.push({ node, children: node.children! });
      continue;
    }
    if (trimmed.startsWith("<"))
      throw new ConfigSyntaxError(`${file}:${first}: "${trimmed}" is not a section opener (a ">" is missing?)`);
    const [name, ...args] = splitWords(trimmed);
    stack.at(-1)!.children.push({ name: name!, args, file, line: first });
  }
  const open = stack.at(-1)!.node;
  if (open)
    throw new ConfigSyntaxError(`${file}:${open.line}: <${open.name}> is never closed (a </${open.name}> is missing)`);
  return root;
}
