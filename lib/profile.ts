import { existsSync, readFileSync } from "node:fs";
import path from "node:path";

/**
 * An app profile: what the app uses and needs, in the user's repository (`proxylab.json`, or a "proxylab" key in
 * package.json; `--profile <file>`). With it, scenarios of features the app does not use are not run, and each
 * limit is tested at the profile's number and judged pass or breaks, not left as a warning.
 */
export interface AppProfile {
  uses?: Feature[];
  sse?: { heartbeatS?: number };
  websocket?: { quietS?: number };
  uploads?: { maxBytes?: number; streamed?: boolean };
  headers?: { maxBytes?: number };
  streamsPerPage?: number;
}

/** What an app may use, and the scenarios that check it (the others always run: they concern every app). */
export const FEATURES = {
  oauth: ["oauth-login"],
  session: ["session-cookie"],
  sockjs: ["sockjs-chat", "sockjs-replicas", "split-sockjs", "websocket-origin", "idle-timeout"],
  websocket: ["websocket-raw", "websocket-origin", "idle-timeout"],
  sse: [
    "sse-timing",
    "sse-timing-x-accel",
    "sse-open-latency",
    "sse-connection-limit",
    "sse-idle-resume",
    "sse-client-abort",
    "sse-wrong-mime",
    "split-sse",
    "idle-timeout",
  ],
  uploads: ["upload-limit", "split-upload"],
  forms: ["form-redirect"],
} as const;
export type Feature = keyof typeof FEATURES;

/** The env var a run passes the profile in, as JSON (sizes in bytes). */
export const PROFILE_ENV = "PROXYLAB_PROFILE";

export class ProfileError extends Error {}

const SIZE = /^\s*(\d+(?:\.\d+)?)\s*(B|KB|KiB|K|MB|MiB|M|GB|GiB|G)?\s*$/i;
const UNIT: Record<string, number> = {
  b: 1,
  k: 1024,
  kb: 1024,
  kib: 1024,
  m: 1024 ** 2,
  mb: 1024 ** 2,
  mib: 1024 ** 2,
};
Object.assign(UNIT, { g: 1024 ** 3, gb: 1024 ** 3, gib: 1024 ** 3 });

/** "20MB", "12KB", "1.5 MiB" or a number of bytes; KB and MB count in 1024s, as nginx's `k` and `m` do. */
export function parseSize(value: unknown, where: string): number {
  const m = typeof value === "string" ? SIZE.exec(value) : null;
  const bytes =
    typeof value === "number" && Number.isFinite(value)
      ? Math.round(value)
      : m
        ? Math.round(Number(m[1]) * UNIT[(m[2] ?? "b").toLowerCase()]!)
        : null;
  // Zero bytes would make a ladder that passes whatever the proxy does.
  if (bytes === null || bytes < 1)
    throw new ProfileError(
      `${where}: "${String(value)}" is not a size: write e.g. "20MB", "12KB" or a number of bytes`,
    );
  return bytes;
}

const seconds = (value: unknown, where: string): number => {
  if (typeof value === "number" && value > 0) return value;
  throw new ProfileError(`${where}: "${String(value)}" is not a number of seconds`);
};

const yesNo = (value: unknown, where: string): boolean => {
  if (typeof value === "boolean") return value;
  throw new ProfileError(`${where}: ${JSON.stringify(value)} is not true or false`);
};

function only(obj: unknown, keys: readonly string[], where: string): Record<string, unknown> {
  if (typeof obj !== "object" || obj === null || Array.isArray(obj)) throw new ProfileError(`${where}: not an object`);
  const extra = Object.keys(obj).filter((k) => !keys.includes(k));
  if (extra.length)
    throw new ProfileError(
      `${where}: unknown key${extra.length > 1 ? "s" : ""} ${extra.join(", ")}; known: ${keys.join(", ")}`,
    );
  return obj as Record<string, unknown>;
}

/** A profile as written, checked key by key; every error names the key and what to write instead. */
export function checkProfile(raw: unknown, from: string): AppProfile {
  const top = only(raw, ["uses", "sse", "websocket", "uploads", "headers", "streamsPerPage", "$comment"], from);
  const out: AppProfile = {};
  if (top.uses !== undefined) {
    if (!Array.isArray(top.uses)) throw new ProfileError(`${from}: "uses" is a list, e.g. ["oauth", "sse"]`);
    for (const f of top.uses as unknown[])
      if (typeof f !== "string" || !Object.hasOwn(FEATURES, f))
        throw new ProfileError(
          `${from}: "uses" names ${JSON.stringify(f)}; known: ${Object.keys(FEATURES).join(", ")}`,
        );
    out.uses = top.uses as Feature[];
  }
  if (top.sse !== undefined) {
    const sse = only(top.sse, ["heartbeatS"], `${from}: sse`);
    out.sse = sse.heartbeatS === undefined ? {} : { heartbeatS: seconds(sse.heartbeatS, `${from}: sse.heartbeatS`) };
  }
  if (top.websocket !== undefined) {
    const ws = only(top.websocket, ["quietS"], `${from}: websocket`);
    out.websocket = ws.quietS === undefined ? {} : { quietS: seconds(ws.quietS, `${from}: websocket.quietS`) };
  }
  if (top.uploads !== undefined) {
    const up = only(top.uploads, ["maxBytes", "streamed"], `${from}: uploads`);
    out.uploads = {
      ...(up.maxBytes !== undefined ? { maxBytes: parseSize(up.maxBytes, `${from}: uploads.maxBytes`) } : {}),
      ...(up.streamed !== undefined ? { streamed: yesNo(up.streamed, `${from}: uploads.streamed`) } : {}),
    };
    if ((out.uploads.maxBytes ?? 0) > 512 * 1024 ** 2)
      throw new ProfileError(
        `${from}: uploads.maxBytes over 512MB: the page holds the upload in memory; write 512MB or less`,
      );
  }
  if (top.headers !== undefined) {
    const h = only(top.headers, ["maxBytes"], `${from}: headers`);
    out.headers = h.maxBytes === undefined ? {} : { maxBytes: parseSize(h.maxBytes, `${from}: headers.maxBytes`) };
    // Chromium refuses a response with over 256 KB of headers itself: past that, no proxy is being measured.
    if ((out.headers.maxBytes ?? 0) > 128 * 1024)
      throw new ProfileError(`${from}: headers.maxBytes over 128KB: Chromium's own limit is near; write 128KB or less`);
  }
  if (top.streamsPerPage !== undefined) {
    const n = top.streamsPerPage;
    if (typeof n !== "number" || !Number.isInteger(n) || n < 1 || n > 32)
      throw new ProfileError(`${from}: streamsPerPage is a whole number from 1 to 32`);
    out.streamsPerPage = n;
  }
  return out;
}

/**
 * The profile for a run: `--profile <file>`, else ./proxylab.json, else package.json's "proxylab" key, from the
 * folder the user ran the command in; null when there is none.
 */
export function findProfile(cwd: string, given?: string): { profile: AppProfile; from: string } | null {
  const read = (file: string) => {
    try {
      return JSON.parse(readFileSync(file, "utf8")) as unknown;
    } catch (err) {
      throw new ProfileError(`${file}: ${(err as Error).message}`, { cause: err });
    }
  };
  if (given) {
    const file = path.resolve(cwd, given);
    if (!existsSync(file)) throw new ProfileError(`--profile ${given}: no such file`);
    return { profile: checkProfile(read(file), given), from: given };
  }
  const own = path.join(cwd, "proxylab.json");
  if (existsSync(own)) return { profile: checkProfile(read(own), "proxylab.json"), from: "proxylab.json" };
  const pkg = path.join(cwd, "package.json");
  if (existsSync(pkg)) {
    const key = (read(pkg) as { proxylab?: unknown }).proxylab;
    if (key !== undefined)
      return { profile: checkProfile(key, 'package.json "proxylab"'), from: 'package.json "proxylab"' };
  }
  return null;
}

/**
 * The profile a run of a user's config was given (PROXYLAB_PROFILE), or null. Only such a run has one: the
 * registry's matrix and the corpus are held to their tables, whatever the shell exports.
 */
export function profileOfRun(env: NodeJS.ProcessEnv = process.env): AppProfile | null {
  const raw = env[PROFILE_ENV];
  // PROXYLAB_USER_CONFIG (proxies/projects.ts USER_ENV.config): set by repro for the user's config alone.
  return raw && env.PROXYLAB_USER_CONFIG ? (JSON.parse(raw) as AppProfile) : null;
}

/** Whether a scenario checks a feature the profile says the app does not use (no `uses`: every one runs). */
export function unusedBy(profile: AppProfile | null, scenario: string): Feature | null {
  if (!profile?.uses) return null;
  const checks = (Object.entries(FEATURES) as Array<[Feature, readonly string[]]>)
    .filter(([, scenarios]) => scenarios.includes(scenario))
    .map(([feature]) => feature);
  return checks.length && !checks.some((f) => profile.uses!.includes(f)) ? checks[0]! : null;
}

/** A ladder of sizes at the profile's number: the smallest standard step (it must pass), then exactly that number. */
export function ladderAt(standard: readonly number[], needed: number | undefined): readonly number[] {
  if (needed === undefined) return standard;
  return needed <= standard[0]! ? [needed] : [standard[0]!, needed];
}
