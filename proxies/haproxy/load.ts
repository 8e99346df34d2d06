import path from "node:path";
import { listDirectory, parsing, readTextConfig, ConfigInputError, type ConfigFile } from "../config-files";
import type { ConfigNode } from "../config-tree";
import type { ProvidedFile } from "../prepare";
import { parseHaproxy } from "./parse";
import { haproxyStandIns } from "./stand-ins";

export const HAPROXY_DIR = "/etc/haproxy";

/** A user's HAProxy config: one haproxy.cfg, or a copy of /etc/haproxy (every *.cfg is loaded, in name order). */
export interface LoadedHaproxy {
  readonly files: readonly ConfigFile[];
  readonly entry: ConfigFile;
  readonly tree: ConfigNode[];
  /** Stand-ins for files the config names and its project ships (proxies/haproxy/stand-ins.ts). */
  readonly provided: readonly ProvidedFile[];
}

export function loadHaproxy(input: string, shown: string, kind: "file" | "directory"): LoadedHaproxy {
  let files: ConfigFile[];
  if (kind === "file") {
    files = [{ target: `${HAPROXY_DIR}/haproxy.cfg`, shown, text: readTextConfig(input, shown) }];
  } else {
    const cfgs = listDirectory(input, shown).filter((r) => r.endsWith(".cfg"));
    if (cfgs.length === 0)
      throw new ConfigInputError(`${shown} has no *.cfg file: give haproxy.cfg, or a copy of /etc/haproxy.`);
    files = cfgs.map((r) => ({
      target: path.posix.join(HAPROXY_DIR, r),
      shown: path.join(shown, r),
      text: readTextConfig(path.join(input, r), path.join(shown, r)),
    }));
  }
  const entry = files.find((f) => f.target === `${HAPROXY_DIR}/haproxy.cfg`) ?? files[0]!;
  // HAProxy reads several files as one: sections carry on across them.
  const tree = parsing(files, () => files.flatMap((f) => parseHaproxy(f.text, f.shown)));
  return { files, entry, tree, provided: haproxyStandIns(files, tree) };
}
