import { createHash } from "node:crypto";
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { TSX } from "../lib/bins";
import { packageInfo } from "../lib/package-dir";
import {
  DEFAULT_NGINX_VERSION,
  NGINX_VERSION_LIST,
  NGINX_VERSIONS,
  type NginxVersion,
} from "../proxies/nginx/versions";

/**
 * Every image the harness runs, in one place. Nothing is pulled: base images are root filesystems made by
 * mmdebstrap from the machine's own apt sources, and our layers are `docker build` FROM them. Tags are a
 * hash of the inputs, so an image is rebuilt exactly when what it is made of changes.
 */
export const ROOT = path.resolve(__dirname, "..");

export interface BaseImage {
  readonly repo: string;
  readonly suite: string;
  readonly packages: readonly string[];
  /** apt options for this suite only (proxies/nginx/versions.ts says why sid needs one). */
  readonly aptOptions?: Readonly<Record<string, string>>;
}

export interface LayerImage {
  readonly repo: string;
  readonly base: BaseImage;
  readonly dockerfile: string;
  readonly context: string;
  /** Files and folders whose content goes into the tag (sources, not build output). */
  readonly inputs: readonly string[];
  /** Run before `docker build` (compiles what the context sends). */
  readonly prebuild?: readonly string[];
  /** npm packages bundled into the image: their installed versions are part of its tag. */
  readonly bundles?: readonly string[];
}

/**
 * Where base images come from. "mmdebstrap" (default): made here from the machine's apt sources, for machines
 * that reach no container registry (like ours). "registry": `FROM debian:<suite>-slim` plus the same packages,
 * for CI runners that reach Docker Hub but whose apt sources are not Debian's (GitHub's Ubuntu runners).
 */
export type BaseSource = "mmdebstrap" | "registry";

export function baseSource(env: NodeJS.ProcessEnv = process.env): BaseSource {
  const value = env.PROXYLAB_BASE_SOURCE || "mmdebstrap";
  if (value !== "mmdebstrap" && value !== "registry")
    throw new Error(
      `PROXYLAB_BASE_SOURCE=${value}: use mmdebstrap (default, no registry needed) or registry (pulls debian:<suite>-slim).`,
    );
  return value;
}

// Bumped when the recipe itself (not its inputs) changes meaning.
const RECIPES: Record<BaseSource, string> = {
  mmdebstrap: "mmdebstrap --variant=minbase v1",
  registry: "debian:<suite>-slim + apt-get v1",
};

export const NGINX_DEFAULT_MODULES = [
  "libnginx-mod-http-image-filter",
  "libnginx-mod-http-xslt-filter",
  "libnginx-mod-mail",
  "libnginx-mod-stream",
];

/**
 * Every bookworm package the harness runs, in one root filesystem: nginx 1.22 (with the modules below), Apache
 * httpd, HAProxy, Caddy and Node.js. One mmdebstrap instead of three side by side: on 2 cores they competed for
 * the same CPU (docs/bench.md, cold setup). Each image is its own layer on it, with its own Dockerfile.
 */
export const BOOKWORM_BASE: BaseImage = {
  repo: "proxylab/bookworm-base",
  suite: "bookworm",
  packages: ["nginx-light", ...NGINX_DEFAULT_MODULES, "apache2", "haproxy", "caddy", "nodejs"],
};

export function nginxBase(version: NginxVersion): BaseImage {
  const { suite, ...rest } = NGINX_VERSIONS[version];
  if (suite === BOOKWORM_BASE.suite && !("aptOptions" in rest)) return BOOKWORM_BASE;
  return {
    repo: "proxylab/nginx-base",
    suite,
    // nginx-light plus the dynamic modules Debian's nginx (core/full) loads by default, so an `nginx -T` dump or
    // a whole nginx.conf from a Debian/Ubuntu host (modules-enabled/50-mod-*.conf) loads here too.
    packages: ["nginx-light", ...NGINX_DEFAULT_MODULES],
    ...("aptOptions" in rest ? { aptOptions: rest.aptOptions } : {}),
  };
}

/** The nginx under test, one image per version; the same Dockerfile on each version's base. */
export function nginxImage(version: NginxVersion): LayerImage {
  return {
    repo: "proxylab/nginx",
    base: nginxBase(version),
    dockerfile: "docker/nginx/Dockerfile",
    context: "docker/nginx",
    inputs: ["docker/nginx"],
  };
}
const otherProxyImage = (kind: "apache" | "haproxy" | "caddy"): LayerImage => ({
  repo: `proxylab/${kind}`,
  base: BOOKWORM_BASE,
  dockerfile: `docker/${kind}/Dockerfile`,
  context: `docker/${kind}`,
  inputs: [`docker/${kind}`],
});
export const APACHE_IMAGE = otherProxyImage("apache");
export const HAPROXY_IMAGE = otherProxyImage("haproxy");
export const CADDY_IMAGE = otherProxyImage("caddy");

/** The image a proxy variant runs in: its kind, and for nginx its version. */
export function proxyImage(
  kind: "nginx" | "apache" | "haproxy" | "caddy",
  nginxVersion: NginxVersion = DEFAULT_NGINX_VERSION,
): LayerImage {
  return kind === "nginx"
    ? nginxImage(nginxVersion)
    : { apache: APACHE_IMAGE, haproxy: HAPROXY_IMAGE, caddy: CADDY_IMAGE }[kind];
}

export const NGINX_BASE = nginxBase(DEFAULT_NGINX_VERSION);
export const NGINX_IMAGE = nginxImage(DEFAULT_NGINX_VERSION);

export const FIXTURE_APP_IMAGE: LayerImage = {
  repo: "proxylab/fixture-app",
  base: BOOKWORM_BASE,
  dockerfile: "docker/fixture-app/Dockerfile",
  context: "fixtures-app",
  inputs: [
    "docker/fixture-app",
    "fixtures-app/src",
    "fixtures-app/build.ts",
    "fixtures-app/package.json",
    "fixtures-app/.dockerignore",
  ],
  // Bundled into dist/: their versions are inputs too (from the installed packages: a packed proxylab has no lockfile).
  bundles: ["sockjs", "ws", "sockjs-client", "@stomp/stompjs"],
  prebuild: [...TSX, "fixtures-app/build.ts"],
};

/** Each base once: bookworm's nginx is the shared bookworm base. */
export const BASE_IMAGES: readonly BaseImage[] = [...new Set([...NGINX_VERSION_LIST.map(nginxBase), BOOKWORM_BASE])];
export const LAYER_IMAGES: readonly LayerImage[] = [
  ...NGINX_VERSION_LIST.map(nginxImage),
  APACHE_IMAGE,
  HAPROXY_IMAGE,
  CADDY_IMAGE,
  FIXTURE_APP_IMAGE,
];
/**
 * Every image repository the harness writes, for `npm run clean --images` and `bench --cold` to remove: today's,
 * and the bases earlier versions built (proxies-base and node-base are now bookworm-base).
 */
export const HARNESS_REPOS: readonly string[] = [
  ...new Set([...LAYER_IMAGES, ...BASE_IMAGES].map((i) => i.repo)),
  "proxylab/proxies-base",
  "proxylab/node-base",
];

function listFiles(rel: string): string[] {
  const abs = path.join(ROOT, rel);
  if (!statSync(abs).isDirectory()) return [rel];
  return readdirSync(abs)
    .sort()
    .flatMap((entry) => listFiles(path.join(rel, entry)));
}

function shortHash(parts: readonly (string | Buffer)[]): string {
  const hash = createHash("sha256");
  for (const part of parts) hash.update(part).update("\0");
  return hash.digest("hex").slice(0, 12);
}

export function baseTag(image: BaseImage): string {
  // The default recipe keeps its original hash input, so images already built stay valid.
  const options = Object.entries(image.aptOptions ?? {}).map(([k, v]) => `${k}=${v}`);
  return `${image.repo}:${image.suite}-${shortHash([RECIPES[baseSource()], image.suite, ...image.packages, ...options])}`;
}

export function layerTag(image: LayerImage): string {
  const files = image.inputs.flatMap(listFiles);
  const parts = files.flatMap((f) => [f, readFileSync(path.join(ROOT, f))]);
  const bundled = (image.bundles ?? []).map((name) => `${name}@${packageInfo(name).version}`);
  return `${image.repo}:${shortHash([baseTag(image.base), image.dockerfile, ...parts, ...bundled])}`;
}
