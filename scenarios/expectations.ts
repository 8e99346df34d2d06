import type { BugId } from "../lib/bugs";
import { VARIANT_NAMES, type VariantName } from "../nginx-variants";
import type { Observations, ScenarioName } from "./observations";

/** What a variant must show in a scenario, and, where that is a known failure, the diagnosis. */
export interface Expectation<O> {
  /** Every field listed must equal the observation's field. */
  must: Partial<O>;
  diagnosis?: {
    bug: BugId;
    why: string;
    /** The directive(s) that fix it, as config lines. */
    fix: readonly string[];
  };
}

type Table = { [S in ScenarioName]: Record<VariantName, Expectation<Observations[S]>> };

const SECURE_UUID: Expectation<Observations["random-uuid"]>["must"] = {
  status: 200,
  protocol: "https:",
  isSecureContext: true,
  randomUUIDType: "function",
  fallbackIsV4: true,
  appIdIsV4: true,
};

const SIGNED_IN: Expectation<Observations["oauth-login"]>["must"] = {
  outcome: "signed-in",
  user: "alice",
  finalStatus: 200,
  redirectUriMatchesRegistered: true,
};

/**
 * The one table: scenario × variant → what must be observed. Measured, not assumed: each row was
 * confirmed against the real stack (see the README's matrix for the figures).
 */
export const EXPECTATIONS: Table = {
  "random-uuid": {
    "http1.0-default": {
      must: { status: 200, protocol: "http:", nextHopProtocol: "http/1.1", isSecureContext: false, randomUUIDType: "undefined", fallbackIsV4: true, appIdIsV4: true },
      diagnosis: {
        bug: "B3",
        why: "crypto.randomUUID exists only in secure contexts; a plain-http page on a real hostname (not localhost) is not one. The getRandomValues fallback works everywhere.",
        fix: ["listen 443 ssl;", "ssl_certificate     /etc/proxylab/tls/server.crt;", "ssl_certificate_key /etc/proxylab/tls/server.key;"],
      },
    },
    "missing-upgrade": { must: { ...SECURE_UUID, nextHopProtocol: "http/1.1" } },
    "buffering-on": { must: { ...SECURE_UUID, nextHopProtocol: "h2" } },
    fixed: { must: { ...SECURE_UUID, nextHopProtocol: "h2" } },
  },
  "oauth-login": {
    "http1.0-default": {
      must: {
        outcome: "redirect_uri_mismatch",
        finalStatus: 400,
        // nginx sends `Host: app` (the upstream name) and no X-Forwarded-Proto, so the app believes it is http://app.
        providerReceivedRedirectUri: "http://app/oauth/callback",
        redirectUriMatchesRegistered: false,
      },
      diagnosis: {
        bug: "B1",
        why: "A bare proxy_pass sends the upstream name as Host and no X-Forwarded-Proto; the app builds its redirect_uri from them and the provider rejects it.",
        fix: ["proxy_set_header Host $http_host;", "proxy_set_header X-Forwarded-Proto $scheme;", "proxy_set_header X-Forwarded-Host $http_host;"],
      },
    },
    "missing-upgrade": { must: SIGNED_IN },
    "buffering-on": { must: SIGNED_IN },
    fixed: { must: SIGNED_IN },
  },
};

export const SCENARIO_NAMES = Object.keys(EXPECTATIONS) as ScenarioName[];

export function expectationFor<S extends ScenarioName>(scenario: S, variant: string): Expectation<Observations[S]> {
  const rows = EXPECTATIONS[scenario] as Record<string, Expectation<Observations[S]>> | undefined;
  if (!rows) throw new Error(`Unknown scenario: ${scenario}. Use one of: ${SCENARIO_NAMES.join(", ")}.`);
  const row = rows[variant];
  if (!row) throw new Error(`No expectation for variant ${variant} in scenario ${scenario}. Known variants: ${VARIANT_NAMES.join(", ")}. Add a row to scenarios/expectations.ts.`);
  return row;
}
