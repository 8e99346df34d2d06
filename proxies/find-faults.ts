import { apacheFaults } from "./apache/faults";
import { caddyFaults } from "./caddy/faults";
import type { Fault, FaultQuery, Symptom } from "./faults";
import { haproxyFaults } from "./haproxy/faults";
import { nginxFaults } from "./nginx/faults";
import type { PreparedConfig } from "./prepare";

function byKind(config: PreparedConfig, q: FaultQuery): Fault[] {
  switch (config.kind) {
    case "nginx":
      return nginxFaults(config, q);
    case "apache":
      return apacheFaults(config, q);
    case "haproxy":
      return haproxyFaults(config, q);
    case "caddy":
      return caddyFaults(config, q);
  }
}

/**
 * B13 (no Secure session cookie) has B1's cause when the browser used TLS (the app was not told: no
 * X-Forwarded-Proto) and B3's when it did not (plain http, where no Secure cookie is ever set): the same lines
 * at fault, told as B13 (B21 where a hop behind an edge overwrote its https).
 */
function sessionCookieFaults(config: PreparedConfig, q: FaultQuery, tls: boolean): Fault[] {
  const as: Symptom = tls ? { bug: "B1", wrong: ["scheme"], received: "" } : { bug: "B3" };
  return byKind(config, { ...q, symptom: as }).map((f) => ({
    ...f,
    // Behind an edge, the line that overwrote its https is B21's, whichever scenario shows it.
    bug: f.bug === "B21" ? "B21" : "B13",
    cause: tls
      ? `${f.cause} The app marks its session cookie Secure and sets it only on a request it sees as https.`
      : `The browser reaches this site over plain http${f.where ? ` (${f.where.site.quote})` : ""}: the app marks its session cookie Secure and never sets it over http.`,
  }));
}

/**
 * B15 (the app's origin check refuses a WebSocket) has B1's host causes, read for the Host header alone: the
 * check compares Origin with Host, whatever X-Forwarded-Host says. Told as B15; a B16 (inheritance) stays B16.
 */
function originCheckFaults(
  config: PreparedConfig,
  q: FaultQuery,
  wrong: ReadonlyArray<"host" | "port">,
  hostSeen: string,
): Fault[] {
  const as: Symptom = { bug: "B1", wrong, received: "", hostOnly: true };
  return byKind(config, { ...q, symptom: as }).map((f) => ({
    ...f,
    bug: f.bug === "B1" ? "B15" : f.bug,
    cause: `${f.cause.replace(/,? and the app builds (its|their) URLs? on it\.?$/, ".")} The app's WebSocket origin check compares the page's Origin with Host (${hostSeen}) and refuses the handshake (403).`,
  }));
}

/**
 * B18 from the app's own redirect (an absolute Location after a form post) has B1's causes: the scheme, host
 * and port the proxy forwards, from which the app built it. Told as B18.
 */
function appRedirectFaults(config: PreparedConfig, q: FaultQuery, wrong: ReadonlyArray<"scheme" | "host" | "port">) {
  const as: Symptom = { bug: "B1", wrong, received: "" };
  return byKind(config, { ...q, symptom: as }).map((f) => ({ ...f, bug: f.bug === "B1" ? "B18" : f.bug }));
}

/**
 * The causes of a cell's symptom in its config, read by the config's own kind: the directive at fault or the
 * block where one is missing, with the fix in that kind's syntax. An app-side field report gives none here.
 */
export function faultsFor(config: PreparedConfig, q: FaultQuery): Fault[] {
  const s = q.symptom;
  if (s.bug === "B13" && "tls" in s) return sessionCookieFaults(config, q, s.tls);
  if (s.bug === "B15" && "hostSeen" in s) return originCheckFaults(config, q, s.wrong, s.hostSeen);
  if (s.bug === "B18" && "by" in s && s.by === "app") return appRedirectFaults(config, q, s.wrong);
  return byKind(config, q);
}
