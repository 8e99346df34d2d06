/**
 * Splits a line into words the way Apache and HAProxy do: blanks separate, "double" and 'single' quotes group
 * (and are removed), a backslash escapes the next character inside double quotes.
 */
export function splitWords(text: string): string[] {
  const out: string[] = [];
  let word = "";
  let inWord = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '"' || c === "'") {
      inWord = true;
      for (i++; i < text.length && text[i] !== c; i++) {
        if (c === '"' && text[i] === "\\" && i + 1 < text.length) i++;
        word += text[i];
      }
      continue;
    }
    if (/\s/.test(c)) {
      if (inWord) out.push(word);
      word = "";
      inWord = false;
      continue;
    }
    inWord = true;
    word += c;
  }
  if (inWord) out.push(word);
  return out;
}
