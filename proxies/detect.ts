import { readFileSync } from "node:fs";
import path from "node:path";
import { listDirectory, readTextConfig, ConfigInputError } from "./config-files";
import type { ProxyKindName } from "./kinds";

/**
 * Which proxy a config is for, from its syntax: each kind has marks no other kind's config has. Scored line by
 * line so that a comment or a stray word does not decide it; the best score wins when it is clearly ahead.
 */
const MARKS: Record<ProxyKindName, RegExp[]> = {
  nginx: [
    /^\s*(server|location|upstream|http|events)\b[^;]*\{\s*(#.*)?$/,
    /^\s*(proxy_pass|proxy_set_header|listen|server_name|root|include)\s+[^;]+;\s*(#.*)?$/,
    /^# configuration file \S+:$/,
  ],
  apache: [
    /^\s*<\/?(VirtualHost|Location|Directory|IfModule|Proxy|LocationMatch|Files)\b/i,
    /^\s*(ProxyPass|ProxyPassReverse|ServerName|ServerAlias|SSLEngine|RewriteRule|RewriteEngine|LoadModule|ProxyPreserveHost|RequestHeader)\s/i,
  ],
  haproxy: [
    /^\s*(frontend|backend|defaults|global|listen)(\s+\S+)?\s*$/,
    /^\s+(bind|default_backend|use_backend|mode|balance|option|timeout)\s/,
  ],
  caddy: [
    /^\s*(reverse_proxy|encode|file_server|handle_path|handle|tls|header_up|php_fastcgi|respond|redir)\b(?![^\n]*;\s*$)/,
    /^\s*[^\s{}#;]+(\s*,\s*[^\s{}#;]+)*\s*\{\s*$/,
    /^\s*\(\w[\w-]*\)\s*\{\s*$/,
  ],
};

/** Scores of a text for each kind. */
export function scoreKinds(text: string): Record<ProxyKindName, number> {
  const scores: Record<ProxyKindName, number> = { nginx: 0, apache: 0, haproxy: 0, caddy: 0 };
  // A statement per piece: nginx allows several on one line (`server { listen 80; location / { … } }`).
  const pieces = text.split("\n").flatMap((line) => (/^\s*#/.test(line) ? [line] : line.split(/(?<=[;{}])(?=\s*\S)/)));
  for (const line of pieces) {
    if (/^\s*#/.test(line) && !/^# configuration file /.test(line)) continue;
    for (const kind of Object.keys(MARKS) as ProxyKindName[]) if (MARKS[kind].some((m) => m.test(line))) scores[kind]++;
  }
  // `server {` and `location / {` are also Caddy-site-shaped: nginx's `;`-terminated lines decide between them.
  if (scores.nginx > 0 && /;\s*(#.*)?$/m.test(text)) scores.caddy = Math.max(0, scores.caddy - scores.nginx);
  return scores;
}

/** The file names that tell a directory's kind. */
const DIRECTORY_MARKS: Array<[RegExp, ProxyKindName]> = [
  [/(^|\/)nginx\.conf$/, "nginx"],
  [/(^|\/)(apache2|httpd)\.conf$/, "apache"],
  [/(^|\/)haproxy\.cfg$/, "haproxy"],
  [/(^|\/)Caddyfile$/, "caddy"],
];

export function detectKind(
  input: string,
  shown: string,
  kind: "file" | "directory",
): { kind: ProxyKindName; why: string } {
  let text: string;
  if (kind === "directory") {
    const rels = listDirectory(input, shown);
    for (const [rx, k] of DIRECTORY_MARKS) {
      const hit = rels.find((r) => rx.test(r));
      if (hit) return { kind: k, why: `${path.join(shown, hit)} is ${k}'s` };
    }
    text = rels
      .slice(0, 200)
      .map((r) => readFileSync(path.join(input, r), "utf8"))
      .join("\n");
  } else {
    text = readTextConfig(input, shown);
  }
  const scores = scoreKinds(text);
  const ranked = (Object.entries(scores) as Array<[ProxyKindName, number]>).sort((a, b) => b[1] - a[1]);
  const [[best, top], [second, next]] = ranked as [[ProxyKindName, number], [ProxyKindName, number]];
  if (top === 0)
    throw new ConfigInputError(
      `${shown}: no nginx, Apache, HAProxy or Caddy directive found in it. Give your proxy's config, or say which it is with --proxy.`,
    );
  if (top < next * 2 + 1)
    throw new ConfigInputError(
      `${shown}: it reads as ${best} (${top} lines) and as ${second} (${next}): say which with --proxy ${best}|${second}.`,
    );
  return { kind: best, why: `${top} lines of ${best} syntax (next: ${second}, ${next})` };
}
