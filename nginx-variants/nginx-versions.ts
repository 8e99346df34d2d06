/**
 * nginx versions the harness can run, by the Debian suite whose nginx-light it is built from. Today one:
 * the versions issue (bookworm 1.22, trixie 1.26, sid 1.30) extends this table and the images with it.
 */
export const NGINX_VERSIONS = {
  "1.22": { suite: "bookworm" },
} as const;

export type NginxVersion = keyof typeof NGINX_VERSIONS;
export const DEFAULT_NGINX_VERSION: NginxVersion = "1.22";
