import type { IncomingHttpHeaders } from "node:http";

const DEFAULT_PORT: Record<string, string> = { http: "80", https: "443" };

function first(value: string | string[] | undefined): string | undefined {
  const raw = Array.isArray(value) ? value[0] : value;
  const head = raw?.split(",")[0]?.trim();
  return head ? head : undefined;
}

/**
 * The app's idea of its own public origin, built the way frameworks do by default when they trust
 * the proxy (Express `trust proxy`, Spring `forward-headers-strategy`): X-Forwarded-Proto/Host/Port
 * when present, else the Host header and the scheme the app itself was reached on (plain http).
 * This is exactly what breaks behind a bare `proxy_pass` (field report B1): Host is the upstream name.
 */
export function publicOrigin(headers: IncomingHttpHeaders): string {
  const proto = first(headers["x-forwarded-proto"])?.toLowerCase() ?? "http";
  let host = first(headers["x-forwarded-host"]) ?? first(headers.host) ?? "localhost";
  const port = first(headers["x-forwarded-port"]);
  if (port && !/:\d+$/.test(host) && port !== DEFAULT_PORT[proto]) host = `${host}:${port}`;
  return `${proto}://${host}`;
}
