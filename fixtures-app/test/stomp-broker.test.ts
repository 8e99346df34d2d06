import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { negotiateHeartBeat, StompBroker, type StompConnection } from "../src/app/stomp/broker";
import { StompDecoder, type StompFrame } from "../src/app/stomp/frame";

class FakeConnection implements StompConnection {
  readonly frames: StompFrame[] = [];
  closed = false;
  private readonly decoder = new StompDecoder(new Set(["CONNECTED", "MESSAGE", "RECEIPT", "ERROR"]));
  constructor(readonly id: string) {}
  write(data: string) {
    this.frames.push(...this.decoder.push(data).frames);
  }
  close() {
    this.closed = true;
  }
  commands() {
    return this.frames.map((f) => f.command);
  }
}

function connect(broker: StompBroker, id: string, heartBeat = "0,0") {
  const conn = new FakeConnection(id);
  const session = broker.attach(conn);
  session.data(`CONNECT\naccept-version:1.1,1.2\nhost:app\nheart-beat:${heartBeat}\n\n\0`);
  return { conn, session };
}

describe("STOMP broker", () => {
  it("answers CONNECT with CONNECTED 1.2 and its heart-beat offer", () => {
    const { conn, session } = connect(new StompBroker(), "c1");
    assert.deepEqual(conn.frames[0]?.command, "CONNECTED");
    assert.equal(conn.frames[0]?.headers.version, "1.2");
    assert.equal(conn.frames[0]?.headers["heart-beat"], "10000,10000");
    session.closed();
  });

  it("negotiates heart-beats as the spec says: the larger of what one can do and the other wants, 0 for none", () => {
    assert.deepEqual(negotiateHeartBeat("4000,20000"), { serverToClient: 20_000, clientToServer: 10_000 });
    assert.deepEqual(negotiateHeartBeat("0,0"), { serverToClient: 0, clientToServer: 0 });
    assert.deepEqual(negotiateHeartBeat(undefined), { serverToClient: 0, clientToServer: 0 });
  });

  it("delivers a SEND as MESSAGE to every subscriber of the destination, in order, and confirms receipts", () => {
    const broker = new StompBroker();
    const a = connect(broker, "a");
    const b = connect(broker, "b");
    a.session.data("SUBSCRIBE\nid:sub-0\ndestination:/topic/lobby\nreceipt:r1\n\n\0");
    b.session.data(
      "SUBSCRIBE\nid:sub-0\ndestination:/topic/lobby\n\n\0SUBSCRIBE\nid:sub-1\ndestination:/topic/other\n\n\0",
    );
    assert.equal(a.conn.frames.at(-1)?.headers["receipt-id"], "r1");
    a.session.data(
      'SEND\ndestination:/topic/lobby\ncontent-type:application/json\n\n{"n":1}\0SEND\ndestination:/topic/lobby\n\n{"n":2}\0',
    );
    for (const { conn } of [a, b]) {
      const messages = conn.frames.filter((f) => f.command === "MESSAGE");
      assert.deepEqual(
        messages.map((m) => m.body),
        ['{"n":1}', '{"n":2}'],
      );
      assert.equal(messages[0]?.headers.subscription, "sub-0");
      assert.equal(messages[0]?.headers["content-type"], "application/json");
    }
  });

  it("stops delivering after UNSUBSCRIBE and after the connection closes", () => {
    const broker = new StompBroker();
    const a = connect(broker, "a");
    const b = connect(broker, "b");
    a.session.data("SUBSCRIBE\nid:s\ndestination:/t\n\n\0");
    b.session.data("SUBSCRIBE\nid:s\ndestination:/t\n\n\0");
    a.session.data("UNSUBSCRIBE\nid:s\n\n\0");
    b.session.closed();
    const c = connect(broker, "c");
    c.session.data("SEND\ndestination:/t\n\nhi\0");
    assert.ok(!a.conn.commands().includes("MESSAGE"));
    assert.ok(!b.conn.commands().includes("MESSAGE"));
  });

  it("answers DISCONNECT with its receipt, then closes", () => {
    const { conn, session } = connect(new StompBroker(), "c");
    session.data("DISCONNECT\nreceipt:bye\n\n\0");
    assert.deepEqual(conn.frames.at(-1), { command: "RECEIPT", headers: { "receipt-id": "bye" }, body: "" });
    assert.ok(conn.closed);
  });

  for (const [name, input, message] of [
    ["a frame before CONNECT", "SEND\ndestination:/t\n\nx\0", /SEND before CONNECT/],
    ["garbage", "\u0001\u0002 not stomp\n\n\0", /unknown command/],
    [
      "SUBSCRIBE without id",
      "CONNECT\naccept-version:1.2\n\n\0SUBSCRIBE\ndestination:/t\n\n\0",
      /SUBSCRIBE without id header/,
    ],
    ["an unsupported version", "CONNECT\naccept-version:1.0\n\n\0", /supported protocol versions are 1\.2/],
  ] as const) {
    it(`answers ${name} with an ERROR frame and closes, without throwing`, () => {
      const conn = new FakeConnection("x");
      new StompBroker().attach(conn).data(input);
      const error = conn.frames.find((f) => f.command === "ERROR");
      assert.ok(error, `ERROR frame in ${conn.commands().join(",")}`);
      assert.match(error.headers.message ?? "", message);
      assert.ok(conn.closed);
    });
  }
});
