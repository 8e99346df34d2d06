import { existsSync, lstatSync, readdirSync, readFileSync, realpathSync, statSync } from "node:fs";
import path from "node:path";
import { ConfigSyntaxError } from "./config-tree";

/** One file of a user's config: where the proxy will read it, and where the user has it. */
export interface ConfigFile {
  /** The path inside the proxy's container, e.g. /etc/nginx/sites-enabled/site.conf. */
  readonly target: string;
  /** The path as the user gave it (shown in messages and diffs). */
  readonly shown: string;
  readonly text: string;
}

/** A user's input that cannot be read as a config, said in words they can act on. */
export class ConfigInputError extends Error {
  override name = "ConfigInputError";
}

/** Runs a parse of these files; a syntax error found in it carries them (for the product's own checker). */
export function parsing<T>(files: readonly ConfigFile[], parse: () => T): T {
  try {
    return parse();
  } catch (err) {
    if (err instanceof ConfigSyntaxError) err.files ??= files;
    throw err;
  }
}

/** Reads a file as a text config: refuses empty and binary files with a clear message. */
export function readTextConfig(file: string, shown: string): string {
  const bytes = readFileSync(file);
  if (bytes.length === 0 || bytes.toString("utf8").trim() === "")
    throw new ConfigInputError(`${shown} is empty: give the file that holds your proxy config.`);
  if (bytes.includes(0))
    throw new ConfigInputError(
      `${shown} is a binary file, not a text config (it has NUL bytes). Give the config file itself.`,
    );
  const text = bytes.toString("utf8");
  if (text.includes("\uFFFD")) throw new ConfigInputError(`${shown} is not UTF-8 text. Give the config file itself.`);
  return text;
}

/**
 * Every regular file under a directory, as relative paths, following symlinks that stay inside it. A symlink
 * that leaves the directory is refused (nothing is read from the host beyond what was given), a loop is reported.
 */
export function listDirectory(dir: string, shownDir: string): string[] {
  const root = realpathSync(dir);
  const out: string[] = [];
  const visit = (abs: string, rel: string, seen: Set<string>) => {
    let real: string;
    try {
      real = realpathSync(abs);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === "ELOOP")
        throw new ConfigInputError(
          `${path.join(shownDir, rel)} is a symlink loop: it points back at itself. Remove it or point it at a file.`,
        );
      if (code === "ENOENT") return; // a dangling symlink: nothing to read (a disabled site, say)
      throw err;
    }
    if (real !== root && !real.startsWith(root + path.sep)) {
      throw new ConfigInputError(
        `${path.join(shownDir, rel)} points outside the directory given (to ${real}): the harness reads nothing beyond ${shownDir}. Copy what it points to into the directory.`,
      );
    }
    if (seen.has(real))
      throw new ConfigInputError(
        `${path.join(shownDir, rel)} leads back to a directory it is in (a symlink loop). Remove the loop.`,
      );
    const stat = statSync(abs);
    if (stat.isDirectory()) {
      const next = new Set(seen).add(real);
      for (const entry of readdirSync(abs).sort())
        visit(path.join(abs, entry), rel ? path.join(rel, entry) : entry, next);
    } else if (stat.isFile()) {
      out.push(rel);
    }
  };
  visit(dir, "", new Set());
  return out;
}

/** A directory, a file, or nothing at that path; symlinks are followed. */
export function pathKind(p: string): "directory" | "file" | "missing" {
  if (!existsSync(p)) return lstatSafe(p) ? "file" : "missing";
  return statSync(p).isDirectory() ? "directory" : "file";
}

function lstatSafe(p: string): boolean {
  try {
    lstatSync(p);
    return true;
  } catch {
    return false;
  }
}

/** Shell-style globbing of one path pattern (`*`, `?`, `[…]`) against a list of paths. */
export function globMatch(pattern: string, candidates: readonly string[]): string[] {
  const rx = new RegExp(
    `^${pattern
      .split("")
      .map((c) => (c === "*" ? "[^/]*" : c === "?" ? "[^/]" : /[.+^${}()|\\]/.test(c) ? `\\${c}` : c))
      .join("")}$`,
  );
  return candidates.filter((c) => rx.test(c)).sort();
}

export { ConfigSyntaxError };
