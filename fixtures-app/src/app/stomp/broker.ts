import { encodeFrame, StompDecoder, StompProtocolError, type StompFrame } from "./frame";

/** What the broker needs of a transport: a SockJS connection fits, so does a test double. */
export interface StompConnection {
  readonly id: string;
  write(data: string): void;
  close(): void;
}

export interface StompSession {
  /** Feed whatever the transport delivered. */
  data(chunk: string): void;
  /** The transport closed. */
  closed(): void;
}

/** The server's heart-beat offer: it can send every 10 s and wants to hear from the client every 10 s. */
export const SERVER_HEART_BEAT: readonly [number, number] = [10_000, 10_000];

/** STOMP heart-beat negotiation (spec "Heart-beating"): 0 means none in that direction. */
export function negotiateHeartBeat(
  clientHeader: string | undefined,
  server: readonly [number, number] = SERVER_HEART_BEAT,
): { serverToClient: number; clientToServer: number } {
  const [cx, cy] = (clientHeader ?? "0,0").split(",").map((n) => Number.parseInt(n, 10));
  if (!Number.isFinite(cx) || !Number.isFinite(cy) || cx! < 0 || cy! < 0)
    throw new StompProtocolError(`malformed heart-beat header "${clientHeader}"`);
  const [sx, sy] = server;
  return {
    serverToClient: sx === 0 || cy === 0 ? 0 : Math.max(sx, cy!),
    clientToServer: sy === 0 || cx === 0 ? 0 : Math.max(sy, cx!),
  };
}

interface Subscriber {
  conn: StompConnection;
  subscriptionId: string;
}

/** An in-memory STOMP 1.2 broker: topics by exact destination, auto-ack, no transactions kept. */
export class StompBroker {
  private readonly destinations = new Map<string, Map<string, Subscriber>>();
  private messageSeq = 0;

  attach(conn: StompConnection): StompSession {
    const decoder = new StompDecoder();
    const subscriptions = new Map<string, string>(); // subscription id → destination
    let connected = false;
    let heartbeat: NodeJS.Timeout | undefined;
    let closed = false;

    const send = (frame: StompFrame) => {
      if (!closed) conn.write(encodeFrame(frame));
    };
    const cleanup = () => {
      if (closed) return;
      closed = true;
      clearInterval(heartbeat);
      for (const [id, destination] of subscriptions) this.destinations.get(destination)?.delete(`${conn.id}/${id}`);
      subscriptions.clear();
    };
    const fail = (message: string, frame?: StompFrame, details = "") => {
      const headers: Record<string, string> = { message };
      if (frame?.headers.receipt) headers["receipt-id"] = frame.headers.receipt;
      send({ command: "ERROR", headers, body: details });
      // The spec: after an ERROR frame the server closes the connection.
      cleanup();
      conn.close();
    };
    const receipt = (frame: StompFrame) => {
      if (frame.headers.receipt)
        send({ command: "RECEIPT", headers: { "receipt-id": frame.headers.receipt }, body: "" });
    };
    const required = (frame: StompFrame, ...names: string[]) => {
      const missing = names.filter((n) => !frame.headers[n]);
      if (missing.length) throw new StompProtocolError(`${frame.command} without ${missing.join(", ")} header`);
    };

    const handle = (frame: StompFrame) => {
      if (!connected && frame.command !== "CONNECT" && frame.command !== "STOMP") {
        throw new StompProtocolError(`${frame.command} before CONNECT`);
      }
      switch (frame.command) {
        case "CONNECT":
        case "STOMP": {
          if (connected) throw new StompProtocolError("already connected");
          const versions = (frame.headers["accept-version"] ?? "1.0").split(",");
          if (!versions.includes("1.2"))
            throw new StompProtocolError(`supported protocol versions are 1.2, not ${versions.join(",")}`);
          const hb = negotiateHeartBeat(frame.headers["heart-beat"]);
          connected = true;
          send({
            command: "CONNECTED",
            headers: {
              version: "1.2",
              "heart-beat": SERVER_HEART_BEAT.join(","),
              server: "proxylab-stomp/1.0",
              session: conn.id,
            },
            body: "",
          });
          if (hb.serverToClient > 0) heartbeat = setInterval(() => !closed && conn.write("\n"), hb.serverToClient);
          return;
        }
        case "SUBSCRIBE": {
          required(frame, "destination", "id");
          const { destination, id } = frame.headers as { destination: string; id: string };
          if (subscriptions.has(id)) throw new StompProtocolError(`subscription id ${id} already in use`);
          subscriptions.set(id, destination);
          if (!this.destinations.has(destination)) this.destinations.set(destination, new Map());
          this.destinations.get(destination)!.set(`${conn.id}/${id}`, { conn, subscriptionId: id });
          return receipt(frame);
        }
        case "UNSUBSCRIBE": {
          required(frame, "id");
          const destination = subscriptions.get(frame.headers.id!);
          if (destination === undefined) throw new StompProtocolError(`no subscription ${frame.headers.id}`);
          subscriptions.delete(frame.headers.id!);
          this.destinations.get(destination)?.delete(`${conn.id}/${frame.headers.id}`);
          return receipt(frame);
        }
        case "SEND": {
          required(frame, "destination");
          this.publish(frame);
          return receipt(frame);
        }
        case "DISCONNECT":
          receipt(frame);
          cleanup();
          conn.close();
          return;
        default: // ACK, NACK, BEGIN, COMMIT, ABORT: accepted; subscriptions are auto-ack and nothing is transactional here.
          return receipt(frame);
      }
    };

    return {
      data: (chunk) => {
        if (closed) return;
        let current: StompFrame | undefined;
        try {
          for (const frame of decoder.push(chunk).frames) {
            current = frame;
            handle(frame);
            if (closed) return;
          }
        } catch (err) {
          if (!(err instanceof StompProtocolError)) throw err;
          fail(err.message, current, `${err.message}\n`);
        }
      },
      closed: cleanup,
    };
  }

  private publish(frame: StompFrame): void {
    const destination = frame.headers.destination!;
    const messageId = `m-${++this.messageSeq}`;
    for (const sub of this.destinations.get(destination)?.values() ?? []) {
      const headers: Record<string, string> = {
        subscription: sub.subscriptionId,
        "message-id": messageId,
        destination,
      };
      if (frame.headers["content-type"]) headers["content-type"] = frame.headers["content-type"];
      sub.conn.write(encodeFrame({ command: "MESSAGE", headers, body: frame.body }));
    }
  }
}
