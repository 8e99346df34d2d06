import { fixedCopy, type Fault, type Symptom } from "../proxies/faults";
import { faultsFor } from "../proxies/find-faults";
import { edgeConfigOf, nginxVersionOf, prefixOf, preparedConfigOf, type Project } from "../proxies/projects";
import { planStack } from "../stack/plan";
import type { Observations, ScenarioName } from "./observations";
import { failedUnderPrefix, locationDifferences, urlDifferences } from "./symptom-rules";

/** The path under the scenarios' prefix that each scenario's symptom comes from. */
const PATH_OF: Record<ScenarioName, string> = {
  "random-uuid": "/random-uuid",
  "client-address": "/client-address",
  "oauth-login": "/login",
  "session-cookie": "/session/login",
  "form-redirect": "/form/send",
  "sockjs-chat": "/ws-stomp/",
  "websocket-raw": "/ws-echo",
  "websocket-origin": "/ws-echo",
  "big-headers": "/headers/",
  "upload-limit": "/upload",
  "sse-timing": "/sse",
  "sse-timing-x-accel": "/sse",
  "sse-open-latency": "/sse",
  "sse-connection-limit": "/sse",
  "sse-client-abort": "/sse",
  "sse-wrong-mime": "/sse",
  "sse-idle-resume": "/sse",
  "idle-timeout": "/sse",
  "split-rest": "/api/",
  "split-sockjs": "/ws-stomp/",
  "split-sse": "/api/events",
  "split-upload": "/api/files",
  "sub-path": "/chat",
  "sockjs-replicas": "/ws-stomp/",
};

/** Which parts of a URL are wrong; a port that differs only because the scheme does (80 for http) is the scheme's. */
function originParts(differences: readonly string[]): Array<"scheme" | "host" | "port" | "path"> {
  const byScheme =
    differences.some((d) => d.startsWith("scheme")) &&
    differences.some((d) => /^port (80 instead of 443|443 instead of 80)$/.test(d));
  return (["scheme", "host", "port", "path"] as const).filter(
    (p) => differences.some((d) => d.startsWith(p)) && !(p === "port" && byScheme),
  );
}

/** The part of an observation that tells a field report's causes apart (proxies/faults.ts, Symptom). */
function symptomOf<S extends ScenarioName>(scenario: S, o: Observations[S], bug: string, tls: boolean): Symptom {
  const any = o as unknown as Record<string, unknown>;
  const h2 = any.pageProtocol === "h2";
  switch (bug) {
    case "B1": {
      const received = (any.providerReceivedRedirectUri as string | null) ?? "";
      const registered = (any.registeredRedirectUri as string | undefined) ?? "";
      return { bug, wrong: originParts(received && registered ? urlDifferences(received, registered) : []), received };
    }
    case "B3":
      return { bug };
    case "B21":
      // The edge's https overwritten on the way: B1's scheme, asked of a config behind an edge.
      return { bug: "B1", wrong: ["scheme"], received: "" };
    case "B22":
      return {
        bug,
        whose: String(any.whose),
        from: any.xRealIp ? "X-Real-IP" : any.xForwardedFor ? "X-Forwarded-For" : "peer",
      };
    case "B17": {
      const under = scenario === "sub-path" ? failedUnderPrefix(o as Observations["sub-path"])[0] : undefined;
      return under ? { bug, under: under.split(" ")[1]! } : { bug };
    }
    case "B20":
      // Users apart on replicas with a broker each: the app's to fix, whatever the balancer's affinity.
      return scenario === "sockjs-chat" ? { bug, app: true } : { bug };
    case "B18": {
      // The app's own absolute redirect: the origin it built from what the proxy forwarded.
      if (scenario === "form-redirect") {
        const wrong = originParts(any.locationDiffers as string[]).filter(
          (p): p is "scheme" | "host" | "port" => p !== "path",
        );
        return { bug, wrong, location: String(any.location), by: "app" };
      }
      const location = (any.bareLocation as string | null) ?? "";
      const parts = location ? locationDifferences(location, any.registeredRedirectUri as string) : [];
      const wrong = (["scheme", "host", "port"] as const).filter((p) => parts.some((d) => d.startsWith(p)));
      return { bug, wrong, location };
    }
    case "B13":
      return { bug, tls };
    case "B14":
      return {
        bug,
        response: (any.firstFailingResponseBytes ?? null) as number | null,
        request: (any.firstFailingRequestBytes ?? null) as number | null,
      };
    case "B19":
      return {
        bug,
        bytes: (any.firstFailingBytes ?? null) as number | null,
        held: any.streamedUpload === "not-possible" ? null : any.bodyHeld === true,
      };
    case "B15": {
      // What the origin check compared: the page's Origin and the Host the app saw.
      const origin = new URL(String(any.pageOrigin ?? "https://invalid"));
      const seen = String(any.rejectedHost ?? "");
      const [name, port] = [seen.replace(/:\d+$/, ""), /:(\d+)$/.exec(seen)?.[1] ?? ""];
      const wrong: Array<"host" | "port"> =
        name.toLowerCase() !== origin.hostname ? ["host"] : port !== origin.port ? ["port"] : [];
      return { bug, wrong, hostSeen: seen };
    }
    case "B5":
      return { bug, tls };
    case "B6":
      return {
        bug,
        status: (any.websocketHandshakeStatus ?? any.handshakeStatus ?? any.rawHandshakeStatus ?? null) as
          number | null,
      };
    case "B11":
      return { bug, how: scenario === "sse-open-latency" ? "late-open" : "batched", h2 };
    case "B12":
      return scenario === "idle-timeout"
        ? { bug, stream: any.quietStreamCut === true, socket: any.quietSocketClosed === true }
        : scenario === "sockjs-chat" || scenario === "websocket-raw" || scenario === "split-sockjs"
          ? { bug, stream: false, socket: true }
          : { bug, stream: true, socket: false };
    default:
      return { bug, app: true };
  }
}

/**
 * What the next layer will meet once the upgrade passes: an app that checks Origin against Host refuses the
 * handshake if the config sends the upstream's name as Host (B15 behind B6). Only causes the config shows (a
 * line or a missing directive), so fixing B6 does not stop at the next 403.
 */
function behindTheUpgrade(
  scenario: ScenarioName,
  bug: string,
  config: ReturnType<typeof preparedConfigOf>,
  query: Omit<Parameters<typeof faultsFor>[1], "symptom">,
): Fault[] {
  if (scenario !== "websocket-origin" || bug !== "B6") return [];
  return faultsFor(config, { ...query, symptom: { bug: "B15", wrong: ["host"], hostSeen: "the upstream's name" } })
    .filter((f) => f.where !== null && f.fixIn === "config")
    .map((f) => ({ ...f, cause: `Once the upgrade passes: ${f.cause}` }));
}

/**
 * A broken cell's causes in its project's config (the directive at fault, or the block where one is missing)
 * and the diff of the fix they add up to. Empty for an app-side field report: its advice is the diagnosis's own.
 */
export function cellFaults<S extends ScenarioName>(
  scenario: S,
  observation: Observations[S],
  project: Project,
  bug: string,
): { faults: Fault[]; fixDiff: string } {
  const plan = planStack(project, 0);
  const prefix = prefixOf(project);
  const symptom = symptomOf(scenario, observation, bug, plan.entry.scheme === "https");
  const idleSocketOnly = scenario === "idle-timeout" && "socket" in symptom && symptom.socket && !symptom.stream;
  const config = preparedConfigOf(project);
  // A stack with an API origin (split origins): the front end sends its REST calls, SockJS, stream and upload to
  // the API's own host, whose server block answers them.
  const host = plan.apiUrl ? new URL(plan.apiUrl).hostname : plan.publicNames[0]!;
  const query = {
    host,
    // Behind an edge, the config is reached where the edge sends (its plain-http port), not at the browser's entry.
    port: plan.edge?.target.port ?? plan.entry.listenPort,
    ...(plan.edge ? { behindEdge: true } : {}),
    path: `${prefix}${idleSocketOnly ? "/ws-echo" : PATH_OF[scenario]}`,
    prefix,
    ...(project.proxy === "nginx" ? { nginxVersion: nginxVersionOf(project) } : {}),
  };
  let faults = [...faultsFor(config, { ...query, symptom }), ...behindTheUpgrade(scenario, bug, config, query)];
  let faulty = config;
  // A chain of the user's own two configs: where the inner one shows no cause, the edge may (it sends no
  // X-Forwarded-Proto, cuts a quiet stream first). Its fault names its own file and line: the hop.
  const edge = project.edge && !("stock" in project.edge) ? edgeConfigOf(project) : undefined;
  // The edge is asked too where the inner's located causes ask for nothing new: their fix would change no line of
  // it (a round of --fix gave the inner big buffers, and the edge's own defaults still refuse).
  const innerFixed = faults.some((f) => f.fixIn === "config" && f.edits.length > 0) && !fixedCopy(config, faults).diff;
  if (edge && (faults.every((f) => f.where === null) || innerFixed)) {
    const atEdge = faultsFor(edge, {
      ...query,
      port: plan.entry.listenPort,
      behindEdge: false,
      // Asked of the edge as of any proxy: its https never sent (B1's scheme), its own idle timeout (B12's).
      symptom: symptomOf(scenario, observation, bug === "B21" ? "B1" : bug === "B23" ? "B12" : bug, true),
    }).filter((f) => f.where !== null);
    if (atEdge.length > 0) {
      faults = atEdge.map((f) => ({
        ...f,
        ...(bug === "B23" && f.bug === "B12" ? { bug: "B23" } : {}),
        cause: `At the edge (${edge.shown}): ${f.cause}`,
      }));
      faulty = edge;
    }
  }
  // Edits name their line only (not the whole block node): they go to observation.json and matrix.json.
  const slim = faults.map((f) => ({
    ...f,
    edits: f.edits.map((e) => ({ ...e, at: { file: e.at.file, line: e.at.line } })),
  }));
  return { faults: slim, fixDiff: fixedCopy(faulty, faults).diff };
}
