import { ConfigSyntaxError, type ConfigNode } from "../config-tree";

interface Mutable {
  name: string;
  args: string[];
  file: string;
  line: number;
  children?: Mutable[];
  endLine?: number;
}

/**
 * nginx's syntax as nginx reads it (ngx_conf_read_token): words separated by blanks, `"…"` and `'…'` with
 * backslash escapes, `#` comments to the end of the line, `;` ends a directive, `{ … }` a block, and `${name}`
 * is a variable, not a block. Includes are left as nodes; proxies/nginx/load.ts follows them.
 */
export function parseNginx(source: string, file: string): ConfigNode[] {
  const root: Mutable[] = [];
  const stack: Mutable[][] = [root];
  const opened: Mutable[] = [];
  let words: string[] = [];
  let word = "";
  let inWord = false;
  let line = 1;
  let startLine = 1;
  let wordLine = 1;
  const endWord = () => {
    if (!inWord) return;
    if (words.length === 0) startLine = wordLine;
    words.push(word);
    word = "";
    inWord = false;
  };
  const startWord = () => {
    if (!inWord) {
      inWord = true;
      wordLine = line;
    }
  };
  for (let i = 0; i < source.length; i++) {
    const c = source[i]!;
    if (c === '"' || c === "'") {
      startWord();
      const quoteLine = line;
      let j = i + 1;
      for (; j < source.length && source[j] !== c; j++) {
        if (source[j] === "\\" && j + 1 < source.length) {
          const next = source[j + 1]!;
          word += next === c || next === "\\" ? next : `\\${next}`;
          j++;
          continue;
        }
        if (source[j] === "\n") line++;
        word += source[j];
      }
      if (j >= source.length)
        throw new ConfigSyntaxError(`${file}:${quoteLine}: unterminated ${c === '"' ? "double" : "single"} quote`);
      i = j;
      continue;
    }
    if (c === "#" && !inWord) {
      while (i + 1 < source.length && source[i + 1] !== "\n") i++;
      continue;
    }
    if (c === "{" && inWord && word.endsWith("$")) {
      // `${name}`: a variable in braces, part of the word.
      const close = source.indexOf("}", i);
      if (close < 0) throw new ConfigSyntaxError(`${file}:${line}: unterminated \${…} variable`);
      word += source.slice(i, close + 1);
      i = close;
      continue;
    }
    if (/\s/.test(c)) {
      endWord();
      if (c === "\n") line++;
      continue;
    }
    if (c === ";" || c === "{") {
      endWord();
      if (words.length === 0) throw new ConfigSyntaxError(`${file}:${line}: unexpected "${c}"`);
      const node: Mutable = { name: words[0]!, args: words.slice(1), file, line: startLine };
      stack.at(-1)!.push(node);
      if (c === "{") {
        node.children = [];
        stack.push(node.children);
        opened.push(node);
      }
      words = [];
      continue;
    }
    if (c === "}") {
      endWord();
      if (words.length > 0)
        throw new ConfigSyntaxError(
          `${file}:${startLine}: unexpected "}" after "${words.join(" ")}" (a ";" is missing)`,
        );
      if (stack.length === 1) throw new ConfigSyntaxError(`${file}:${line}: unexpected "}"`);
      stack.pop();
      opened.pop()!.endLine = line;
      continue;
    }
    startWord();
    word += c;
  }
  endWord();
  if (words.length > 0)
    throw new ConfigSyntaxError(
      `${file}:${startLine}: unexpected end of file after "${words.join(" ")}" (a ";" is missing)`,
    );
  if (opened.length > 0) {
    const open = opened.at(-1)!;
    throw new ConfigSyntaxError(
      `${file}:${open.line}: the "${open.name}" block opened here is never closed (a "}" is missing)`,
    );
  }
  return root;
}
