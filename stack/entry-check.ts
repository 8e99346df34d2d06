import { readFileSync } from "node:fs";
import net from "node:net";
import tls from "node:tls";
import type { StackPlan } from "./plan";

/**
 * The first thing the browser does with a stack, done once before any cell: a TLS handshake with the name the
 * scenarios open (for a split-origin stack, both of its names) validated against the CAs the browser trusts, or on
 * a plain-http entry an HTTP/1.1 request. A stack the browser cannot talk to at all yields one message naming the
 * site and what it answered, instead of every cell failing with `net::ERR_…` and no diagnosis. Null when it can.
 */
export async function entryProblem(plan: StackPlan, caFiles: readonly string[]): Promise<string | null> {
  const ca = caFiles.map((f) => readFileSync(f, "utf8"));
  const names =
    plan.wwwUrl && plan.apiUrl
      ? [new URL(plan.wwwUrl).hostname, new URL(plan.apiUrl).hostname]
      : [plan.publicNames[0]!];
  const https = plan.entry.scheme === "https";
  for (const name of names) {
    const url = `${plan.entry.scheme}://${name}${plan.entry.port === (https ? 443 : 80) ? "" : `:${plan.entry.port}`}/`;
    const attempt = () =>
      https
        ? handshake(plan.proxyAddress, plan.entry.port, name, ca)
        : plainRequest(plan.proxyAddress, plan.entry.port, name);
    // A proxy that issues its own certificates (Caddy's internal CA) may still be issuing one just after it listens.
    const deadline = Date.now() + 10_000;
    let failure = await attempt();
    while (failure && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 250));
      failure = await attempt();
    }
    if (failure)
      return https
        ? `the browser cannot complete a TLS handshake with ${url} (${failure}): the config serves no certificate the browser can validate for that name there`
        : `the browser cannot talk HTTP/1.1 to ${url}: ${failure}`;
  }
  return null;
}

function handshake(address: string, port: number, servername: string, ca: string[]): Promise<string | null> {
  return new Promise((resolve) => {
    const socket = tls.connect({ host: address, port, servername, ca, ALPNProtocols: ["h2", "http/1.1"] });
    const done = (why: string | null) => {
      socket.destroy();
      resolve(why);
    };
    socket.setTimeout(5_000, () => done("no answer within 5 s"));
    socket.once("secureConnect", () => done(null));
    socket.once("error", (err: NodeJS.ErrnoException) => done(err.code ? `${err.code}: ${err.message}` : err.message));
  });
}

/** A bare `GET /` as a browser sends it on a plain port: the answer must start with an HTTP/1.x status line. */
function plainRequest(address: string, port: number, host: string): Promise<string | null> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: address, port });
    let got = Buffer.alloc(0);
    const done = (why: string | null) => {
      socket.destroy();
      resolve(why);
    };
    socket.setTimeout(5_000, () =>
      done(got.length ? `an answer that is not HTTP/1.x (${describe(got)})` : "no answer within 5 s"),
    );
    socket.once("connect", () => socket.write(`GET / HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`));
    socket.on("data", (d: Buffer) => {
      got = Buffer.concat([got, d]);
      if (got.length >= 8)
        done(/^HTTP\/1\.[01] \d/.test(got.toString("latin1")) ? null : `it answers ${describe(got)}`);
    });
    socket.once("end", () =>
      done(got.length === 0 ? "it closes the connection without a word" : `it answers ${describe(got)}`),
    );
    socket.once("error", (err: NodeJS.ErrnoException) => done(err.code ? `${err.code}: ${err.message}` : err.message));
  });
}

/** What a non-HTTP/1 answer is: an HTTP/2 frame (a port that speaks only h2c) or the bytes themselves. */
function describe(bytes: Buffer): string {
  // An HTTP/2 frame header: 3 bytes of length, a type (4 SETTINGS, 7 GOAWAY), flags, a stream id.
  if (bytes.length >= 9 && (bytes[3] === 4 || bytes[3] === 7) && (bytes.readUInt32BE(5) & 0x7fffffff) === 0)
    return "in HTTP/2 frames: the port speaks only HTTP/2 without TLS (h2c with prior knowledge), which no browser does (nginx before 1.25.1 does that on a `listen … http2` port without ssl)";
  return `"${bytes
    .subarray(0, 24)
    .toString("latin1")
    .replace(/[^\x20-\x7e]/g, "·")}"`;
}
