/**
 * What the harness's nginx image (Debian's nginx-light) already has under /etc/nginx, so a user's `include` of
 * one of these resolves there and is not asked of the user. Only proxy_params sets anything a scenario depends
 * on; its text is Debian's, so the config's effective proxy headers can be read through it.
 */
export const NGINX_PREFIX = "/etc/nginx";

export const STOCK_FILES: Readonly<Record<string, string | null>> = {
  "/etc/nginx/proxy_params": [
    "proxy_set_header Host $http_host;",
    "proxy_set_header X-Real-IP $remote_addr;",
    "proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;",
    "proxy_set_header X-Forwarded-Proto $scheme;",
    "",
  ].join("\n"),
  // Present in the image; nothing in them changes what a scenario sees.
  "/etc/nginx/mime.types": null,
  "/etc/nginx/fastcgi_params": null,
  "/etc/nginx/fastcgi.conf": null,
  "/etc/nginx/scgi_params": null,
  "/etc/nginx/uwsgi_params": null,
  "/etc/nginx/koi-utf": null,
  "/etc/nginx/koi-win": null,
  "/etc/nginx/win-utf": null,
  "/etc/nginx/snippets/fastcgi-php.conf": null,
  "/etc/nginx/snippets/snakeoil.conf": null,
};

/**
 * Files that tools write beside a config and users do not ship: the harness writes them the way the tool
 * would. certbot's nginx plugin writes options-ssl-nginx.conf (these lines) and ssl-dhparams.pem (RFC 7919's
 * ffdhe2048 group).
 */
export const TOOL_FILES: Readonly<Record<string, { tool: string; text?: string; kind: "text" | "dhparams" }>> = {
  "/etc/letsencrypt/options-ssl-nginx.conf": {
    tool: "certbot",
    kind: "text",
    text: [
      "# This file contains important security parameters. If you modify this file",
      "# manually, Certbot will be unable to automatically provide future security",
      "# updates. Instead, Certbot will print and log an error message with a path to",
      "# the up-to-date file that you will need to refer to when manually updating",
      "# this file. Contents are based on https://ssl-config.mozilla.org",
      "",
      "ssl_session_cache shared:le_nginx_SSL:10m;",
      "ssl_session_timeout 1440m;",
      "ssl_session_tickets off;",
      "",
      "ssl_protocols TLSv1.2 TLSv1.3;",
      "ssl_prefer_server_ciphers off;",
      "",
      'ssl_ciphers "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305:DHE-RSA-AES128-GCM-SHA256:DHE-RSA-AES256-GCM-SHA384";',
      "",
    ].join("\n"),
  },
  "/etc/letsencrypt/ssl-dhparams.pem": { tool: "certbot", kind: "dhparams" },
};

/**
 * The tool's file a path names: by its path (/etc/letsencrypt/options-ssl-nginx.conf), or by its name where a
 * config names it relative to nginx's prefix (`include options-ssl-nginx.conf;` is /etc/nginx/options-ssl-nginx.conf).
 */
export function toolFileFor(target: string): (typeof TOOL_FILES)[string] | undefined {
  if (TOOL_FILES[target]) return TOOL_FILES[target];
  const name = target.split("/").pop();
  const byName = Object.entries(TOOL_FILES).find(([p]) => p.split("/").pop() === name);
  return byName && target.startsWith(`${NGINX_PREFIX}/`) ? byName[1] : undefined;
}
