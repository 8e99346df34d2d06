/**
 * nginx versions the harness runs, by the Debian suite whose nginx-light it is built from (nginx -v says the
 * exact patch level; the report shows that).
 */
export interface NginxVersionEntry {
  readonly suite: string;
  /** apt options for this suite only, as `Name "value"` (mmdebstrap --aptopt) and `Name=value` (apt-get -o). */
  readonly aptOptions?: Readonly<Record<string, string>>;
}

/**
 * sid's Release file is valid for a week after it is written; a frozen or snapshot mirror keeps serving an expired
 * one, which apt refuses. Accepted for sid only (nginx 1.30, Firefox's root): stable suites' carry no Valid-Until.
 */
export const SID_APT_OPTIONS = { "Acquire::Check-Valid-Until": "false" } as const;

export const NGINX_VERSIONS = {
  "1.22": { suite: "bookworm" },
  "1.26": { suite: "trixie" },
  "1.30": { suite: "sid", aptOptions: SID_APT_OPTIONS },
} as const satisfies Record<string, NginxVersionEntry>;

export type NginxVersion = keyof typeof NGINX_VERSIONS;
export const NGINX_VERSION_LIST = Object.keys(NGINX_VERSIONS) as NginxVersion[];
/** The pinned version: every variant runs on it, under its plain name (`fixed`). */
export const DEFAULT_NGINX_VERSION: NginxVersion = "1.22";
/** The card's four variants and buffering-on-http1 also run on every other version, as `<variant>@<version>`. */
export const EVERY_VERSION_VARIANTS = [
  "http1.0-default",
  "missing-upgrade",
  "buffering-on",
  "buffering-on-http1",
  "fixed",
] as const;

export function isNginxVersion(v: string): v is NginxVersion {
  return Object.hasOwn(NGINX_VERSIONS, v);
}

/** "1.26" < "1.30" as versions, not strings ("1.9" < "1.22"). */
export function compareVersions(a: string, b: string): number {
  const pa = a.split(".").map(Number);
  const pb = b.split(".").map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}
