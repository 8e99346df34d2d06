import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { encodeFrame, StompDecoder, StompProtocolError } from "../src/app/stomp/frame";

const SEND = "SEND\ndestination:/topic/lobby\n\nhello\0";

describe("STOMP frame decoder", () => {
  it("decodes one frame", () => {
    const { frames } = new StompDecoder().push(SEND);
    assert.deepEqual(frames, [{ command: "SEND", headers: { destination: "/topic/lobby" }, body: "hello" }]);
  });

  it("reassembles a frame split at every byte", () => {
    const decoder = new StompDecoder();
    const frames = [];
    for (const ch of SEND) frames.push(...decoder.push(ch).frames);
    assert.equal(frames.length, 1);
    assert.equal(frames[0]?.body, "hello");
  });

  it("splits concatenated frames, with heart-beat EOLs between them", () => {
    const { frames, heartbeats } = new StompDecoder().push(`\n${SEND}\r\n\n${SEND.replace("hello", "again")}`);
    assert.deepEqual(
      frames.map((f) => f.body),
      ["hello", "again"],
    );
    assert.equal(heartbeats, 3);
  });

  it("reads a content-length body that contains NUL, and multi-byte UTF-8 by bytes", () => {
    const body = "a\0b é";
    const wire = `SEND\ndestination:/q\ncontent-length:${Buffer.byteLength(body)}\n\n${body}\0`;
    const decoder = new StompDecoder();
    assert.deepEqual(decoder.push(wire.slice(0, 30)).frames, []);
    assert.deepEqual(decoder.push(wire.slice(30)).frames[0]?.body, body);
  });

  it("accepts CR LF line endings and unescapes 1.2 header values; the first repeated header wins", () => {
    const { frames } = new StompDecoder().push(
      "SEND\r\ndestination:/a\\cb\\\\c\\nd\r\ndestination:/ignored\r\n\r\nx\0",
    );
    assert.equal(frames[0]?.headers.destination, "/a:b\\c\nd");
  });

  it("leaves CONNECT headers unescaped", () => {
    const { frames } = new StompDecoder().push("CONNECT\naccept-version:1.2\nhost:a\\cb\n\n\0");
    assert.equal(frames[0]?.headers.host, "a\\cb");
  });

  for (const [name, wire, message] of [
    ["an unknown command", "HELLO\n\n\0", /unknown command "HELLO"/],
    ["a header line without a colon", "SEND\ndestination\n\n\0", /malformed header line/],
    ["an undefined escape", "SEND\ndestination:/a\\t\n\n\0", /undefined escape sequence/],
    ["a content-length that is not a number", "SEND\ncontent-length:ten\n\nx\0", /not a byte count/],
    ["a body longer than its content-length", "SEND\ncontent-length:1\n\nxy\0", /no NUL after the 1-byte body/],
    ["NUL in the header", "SEND\0\n\n\0", /NUL inside the frame header/],
  ] as const) {
    it(`rejects ${name} with a protocol error`, () => {
      assert.throws(
        () => new StompDecoder().push(wire),
        (err: unknown) => err instanceof StompProtocolError && message.test(err.message),
      );
    });
  }
});

describe("STOMP frame encoder", () => {
  it("adds content-length in bytes, escapes headers, and round-trips through the decoder", () => {
    const frame = {
      command: "MESSAGE",
      headers: { destination: "/t:1", "message-id": "m-1", subscription: "s" },
      body: "héllo",
    };
    const wire = encodeFrame(frame);
    assert.match(wire, /^MESSAGE\ndestination:\/t\\c1\n/);
    assert.match(wire, /content-length:6\n/);
    const decoded = new StompDecoder(new Set(["MESSAGE"])).push(wire).frames[0];
    assert.deepEqual(decoded, { ...frame, headers: { ...frame.headers, "content-length": "6" } });
  });
});
