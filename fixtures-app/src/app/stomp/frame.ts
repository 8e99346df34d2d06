/**
 * STOMP 1.2 frames (https://stomp.github.io/stomp-specification-1.2.html): a decoder that takes the byte
 * stream in whatever pieces the transport delivers (split and concatenated frames, heart-beat EOLs,
 * content-length bodies that may contain NUL) and an encoder. Bad input is a StompProtocolError, never
 * a crash: the broker answers it with an ERROR frame.
 */
export interface StompFrame {
  command: string;
  headers: Record<string, string>;
  body: string;
}

export class StompProtocolError extends Error {
  override name = "StompProtocolError";
}

export const CLIENT_COMMANDS = new Set([
  "CONNECT",
  "STOMP",
  "SEND",
  "SUBSCRIBE",
  "UNSUBSCRIBE",
  "ACK",
  "NACK",
  "BEGIN",
  "COMMIT",
  "ABORT",
  "DISCONNECT",
]);
const SERVER_COMMANDS = new Set(["CONNECTED", "MESSAGE", "RECEIPT", "ERROR"]);
// CONNECT and CONNECTED headers are not escaped, for 1.0 compatibility (spec: "Value Encoding").
const UNESCAPED = new Set(["CONNECT", "CONNECTED"]);

const MAX_HEADER_BYTES = 16 * 1024;
const MAX_BODY_BYTES = 1024 * 1024;
const LF = 0x0a;
const CR = 0x0d;
const NUL = 0x00;

function unescapeHeader(raw: string): string {
  return raw.replace(/\\(.?)/g, (_, c: string) => {
    switch (c) {
      case "r":
        return "\r";
      case "n":
        return "\n";
      case "c":
        return ":";
      case "\\":
        return "\\";
      default:
        throw new StompProtocolError(`undefined escape sequence \\${c} in header "${raw}"`);
    }
  });
}

function escapeHeader(value: string): string {
  return value.replace(/\\/g, "\\\\").replace(/\r/g, "\\r").replace(/\n/g, "\\n").replace(/:/g, "\\c");
}

export interface Decoded {
  frames: StompFrame[];
  /** EOLs seen between frames: the peer's heart-beats. */
  heartbeats: number;
}

export class StompDecoder {
  private buf = Buffer.alloc(0);

  constructor(private readonly commands: ReadonlySet<string> = CLIENT_COMMANDS) {}

  push(chunk: string | Buffer): Decoded {
    this.buf = Buffer.concat([this.buf, typeof chunk === "string" ? Buffer.from(chunk, "utf8") : chunk]);
    const out: Decoded = { frames: [], heartbeats: 0 };
    for (;;) {
      while (this.buf.length > 0 && (this.buf[0] === LF || (this.buf[0] === CR && this.buf[1] === LF))) {
        this.buf = this.buf.subarray(this.buf[0] === LF ? 1 : 2);
        out.heartbeats++;
      }
      if (this.buf.length === 0 || (this.buf.length === 1 && this.buf[0] === CR)) return out;
      const frame = this.next();
      if (!frame) return out;
      out.frames.push(frame);
    }
  }

  private next(): StompFrame | undefined {
    const headEnd = this.findBlankLine();
    if (headEnd === undefined) {
      if (this.buf.length > MAX_HEADER_BYTES)
        throw new StompProtocolError(`frame header over ${MAX_HEADER_BYTES} bytes without a blank line`);
      return undefined;
    }
    const lines = this.buf
      .subarray(0, headEnd.at)
      .toString("utf8")
      .split("\n")
      .map((l) => l.replace(/\r$/, ""));
    const command = lines.shift() ?? "";
    if (!this.commands.has(command)) throw new StompProtocolError(`unknown command "${command.slice(0, 40)}"`);
    const headers: Record<string, string> = {};
    for (const line of lines) {
      const colon = line.indexOf(":");
      if (colon <= 0) throw new StompProtocolError(`malformed header line "${line.slice(0, 80)}"`);
      const decode = UNESCAPED.has(command) ? (s: string) => s : unescapeHeader;
      const name = decode(line.slice(0, colon));
      // Repeated headers: only the first counts (spec: "Repeated Header Entries").
      if (!(name in headers)) headers[name] = decode(line.slice(colon + 1));
    }
    const bodyStart = headEnd.at + headEnd.length;
    let bodyEnd: number;
    if (headers["content-length"] !== undefined) {
      const length = headers["content-length"];
      if (!/^\d+$/.test(length)) throw new StompProtocolError(`content-length "${length}" is not a byte count`);
      if (Number(length) > MAX_BODY_BYTES)
        throw new StompProtocolError(`content-length ${length} over ${MAX_BODY_BYTES}`);
      bodyEnd = bodyStart + Number(length);
      if (this.buf.length < bodyEnd + 1) return undefined;
      if (this.buf[bodyEnd] !== NUL) throw new StompProtocolError(`no NUL after the ${length}-byte body`);
    } else {
      const nul = this.buf.indexOf(NUL, bodyStart);
      if (nul < 0) {
        if (this.buf.length - bodyStart > MAX_BODY_BYTES)
          throw new StompProtocolError(`body over ${MAX_BODY_BYTES} bytes without NUL`);
        return undefined;
      }
      bodyEnd = nul;
    }
    const body = this.buf.subarray(bodyStart, bodyEnd).toString("utf8");
    this.buf = this.buf.subarray(bodyEnd + 1);
    return { command, headers, body };
  }

  /** The blank line ending the headers: "\n\n", "\n\r\n" (EOL is LF or CR LF). */
  private findBlankLine(): { at: number; length: number } | undefined {
    for (let i = 0; i < this.buf.length; i++) {
      if (this.buf[i] === NUL) throw new StompProtocolError("NUL inside the frame header");
      if (this.buf[i] !== LF) continue;
      if (this.buf[i + 1] === LF) return { at: i, length: 2 };
      if (this.buf[i + 1] === CR && this.buf[i + 2] === LF) return { at: i, length: 3 };
    }
    return undefined;
  }
}

export function encodeFrame(frame: StompFrame): string {
  if (!SERVER_COMMANDS.has(frame.command) && !CLIENT_COMMANDS.has(frame.command))
    throw new Error(`not a STOMP command: ${frame.command}`);
  const encode = UNESCAPED.has(frame.command) ? (s: string) => s : escapeHeader;
  const headers = { ...frame.headers };
  if (frame.body.length > 0) headers["content-length"] = String(Buffer.byteLength(frame.body, "utf8"));
  const head = Object.entries(headers).map(([k, v]) => `${encode(k)}:${encode(v)}`);
  return `${[frame.command, ...head].join("\n")}\n\n${frame.body}\0`;
}
