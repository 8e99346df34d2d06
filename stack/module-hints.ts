import type { ProxyKindName } from "../proxies/kinds";

/**
 * Directives that belong to modules the harness's images do not have (Debian's nginx-light, apache2, haproxy,
 * caddy from bookworm): what the checker's rejection means, in the user's terms.
 */
const NGINX_MODULES: Array<[RegExp, string]> = [
  [/^more_(set|clear)_(input_)?headers$/, "the headers-more module (libnginx-mod-http-headers-more-filter)"],
  [/^(lua_|.*_by_lua(_block|_file)?$|access_by_lua)/, "the Lua module (OpenResty, libnginx-mod-http-lua)"],
  [/^brotli/, "the brotli module (libnginx-mod-http-brotli)"],
  [/^geoip2?_/, "the GeoIP module"],
  [/^js_/, "njs (libnginx-mod-http-js)"],
  [/^modsecurity/, "ModSecurity (libnginx-mod-http-modsecurity)"],
  [/^pagespeed/, "PageSpeed"],
  [/^vhost_traffic_status/, "the traffic-status module"],
  [
    /^(sub_filter|gunzip|image_filter|xslt_|perl)/,
    "a module nginx-light is built without (nginx-full/nginx-extras have it)",
  ],
];

const APACHE_MODULES: Array<[RegExp, string]> = [
  [/^OIDC/, "mod_auth_openidc"],
  [/^Sec(Rule|RuleEngine|Action)/, "mod_security2"],
  [/^(DOS|Evasive)/, "mod_evasive"],
  [/^ModPagespeed/, "mod_pagespeed"],
  [/^(Cache|CacheEnable)/, "mod_cache (a2enmod cache)"],
];

export function moduleHint(kind: ProxyKindName, output: string): string | null {
  const tail =
    "The rest of the config could run without it only if you remove those lines (the harness runs Debian bookworm's packages).";
  if (kind === "nginx") {
    const directive = /unknown directive "([^"]+)"/.exec(output)?.[1];
    const module = directive ? NGINX_MODULES.find(([rx]) => rx.test(directive))?.[1] : undefined;
    return directive && module
      ? `"${directive}" is from ${module}, which the harness's nginx (Debian's nginx-light) does not have. ${tail}`
      : null;
  }
  if (kind === "apache") {
    const directive = /Invalid command '([^']+)', perhaps misspelled or defined by a module not included/.exec(
      output,
    )?.[1];
    if (!directive) return null;
    const module = APACHE_MODULES.find(([rx]) => rx.test(directive))?.[1];
    return `"${directive}" is ${module ? `from ${module}, which the harness's Apache does not have` : "not known to the harness's Apache: misspelled, or from a module it does not have"}. ${tail}`;
  }
  if (kind === "caddy") {
    const directive = /unrecognized directive: (\S+)/.exec(output)?.[1];
    return directive
      ? `"${directive}" is not one of Debian's Caddy's directives: a plugin (xcaddy build), or a misspelling. ${tail}`
      : null;
  }
  return null;
}
