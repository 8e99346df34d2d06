/** What each scenario records: numbers and names read off the page and the wire, nothing inferred. */

export interface RandomUuidObservation {
  /** HTTP status of the page load. */
  status: number;
  /** `location.protocol` of the page. */
  protocol: string;
  /** The navigation's ALPN protocol as the browser reports it: "h2", "http/1.1". */
  nextHopProtocol: string;
  isSecureContext: boolean;
  /** `typeof crypto.randomUUID`: "function" or "undefined". */
  randomUUIDType: string;
  /** The app's getRandomValues-based fallback id, and whether it is a valid v4 UUID. */
  fallbackId: string;
  fallbackIsV4: boolean;
  /** The id the app actually uses (native when present, fallback otherwise) is a valid v4 UUID. */
  appIdIsV4: boolean;
}

export type OAuthOutcome = "signed-in" | "redirect_uri_mismatch" | "login-failed" | `other: ${string}`;

export interface OAuthLoginObservation {
  outcome: OAuthOutcome;
  /** Why the app refused the login, as it says on the page (null unless outcome is login-failed). */
  reason: string | null;
  /** The signed-in user's id, or null. */
  user: string | null;
  /** Status of the page the login ends on. */
  finalStatus: number;
  /** The page the login ends on, without its query. */
  finalUrl: string;
  /** redirect_uri as sent on the wire, from the browser's request to the provider's /authorize. */
  sentRedirectUri: string | null;
  /** redirect_uri as the provider recorded it for this login's state. */
  providerReceivedRedirectUri: string | null;
  registeredRedirectUri: string;
  redirectUriMatchesRegistered: boolean;
}

export interface Observations {
  "random-uuid": RandomUuidObservation;
  "oauth-login": OAuthLoginObservation;
}

export type ScenarioName = keyof Observations;
