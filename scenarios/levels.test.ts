import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { exitRule, suggestedProfile } from "../cli/repro/levels";
import type { MatrixCell } from "../cli/repro/fix";
import { checkProfile, ladderAt, parseSize, profileOfRun, ProfileError, unusedBy } from "../lib/profile";
import { BUG_LEVELS, carriedFor, levelOf } from "./levels";
import type { Observations } from "./observations";

const upload = (over: Partial<Observations["upload-limit"]>): Observations["upload-limit"] => ({
  ladder: [
    { bytes: 65_536, status: 200, appReceived: 65_536, text: null },
    { bytes: 2_097_152, status: 413, appReceived: null, text: "413 Request Entity Too Large" },
  ],
  firstFailingBytes: 2_097_152,
  failStatus: 413,
  failText: "413 Request Entity Too Large",
  consoleError: null,
  streamedUpload: "passed-on",
  bodyHeld: false,
  streamedFailed: false,
  firstPartSeenMs: 5,
  streamedStatus: 200,
  streamedError: null,
  streamedAppReceived: 10,
  proxyLogLines: [],
  pageProtocol: "h2",
  ...over,
});

const cell = (scenario: string, level: "breaks" | "limit" | "note" | undefined, healthy = false): MatrixCell => ({
  scenario,
  variant: "site",
  state: healthy ? "works" : "unexpected",
  healthy,
  diagnosis: level ? { bug: "B19", why: "", fix: [], level } : null,
  problems: [],
});

describe("finding levels", () => {
  it("every field report has a level and a reason", () => {
    for (const [bug, l] of Object.entries(BUG_LEVELS)) assert.ok(l.why.length > 10, bug);
    assert.equal(BUG_LEVELS.B1.level, "breaks");
    assert.equal(BUG_LEVELS.B19.level, "limit");
  });

  it("a limit says its measured number; with a profile that needs it, it breaks", () => {
    const o = upload({});
    const l = levelOf("upload-limit", "B19", o, null);
    assert.equal(l.level, "limit");
    assert.equal(l.limit, "uploads of 2 MiB get 413 (64 KiB pass)");
    const needed = levelOf("upload-limit", "B19", o, { uploads: { maxBytes: 2_097_152 } });
    assert.equal(needed.level, "breaks");
    assert.match(needed.why, /uploads\.maxBytes 2 MiB/);
    // A profile that names another limit leaves this one a limit.
    assert.equal(levelOf("upload-limit", "B19", o, { headers: { maxBytes: 8192 } }).level, "limit");
  });

  it("a held body is a limit unless the profile streams uploads", () => {
    const held = upload({ firstFailingBytes: null, failStatus: null, bodyHeld: true, streamedUpload: "held" });
    assert.equal(levelOf("upload-limit", "B19", held, { uploads: { maxBytes: 1024 } }).level, "limit");
    assert.equal(levelOf("upload-limit", "B19", held, { uploads: { streamed: true } }).level, "breaks");
  });

  it("the stream's late open is a note; a scenario broken with no field report breaks", () => {
    assert.equal(levelOf("sse-open-latency", "B11", null, null).level, "note");
    assert.equal(levelOf("sse-timing", "B11", null, null).level, "breaks");
    assert.equal(levelOf("oauth-login", null, null, null).level, "breaks");
  });

  it("six HTTP/1.1 streams carry a profile's four, not its six", () => {
    const o: Observations["sse-connection-limit"] = {
      pageProtocol: "http/1.1",
      streams: 8,
      streamsWithFirstEvent: 6,
      fetchCompleted: false,
      fetchMs: null,
    };
    assert.match(carriedFor("sse-connection-limit", o, { streamsPerPage: 4 }) ?? "", /4 streams per page fit/);
    assert.equal(carriedFor("sse-connection-limit", o, { streamsPerPage: 6 }), null);
    assert.equal(carriedFor("sse-connection-limit", o, null), null);
  });
});

describe("exit code by level", () => {
  it("limits and notes alone exit 0; a break, or --strict, exits 1", () => {
    const limits = [
      cell("upload-limit", "limit"),
      cell("sse-open-latency", "note"),
      cell("random-uuid", undefined, true),
    ];
    assert.equal(exitRule(limits, false, null).code, 0);
    assert.match(exitRule(limits, false, null).line, /0 breaks, 1 limit, 1 note/);
    assert.equal(exitRule(limits, true, null).code, 1);
    assert.equal(exitRule([...limits, cell("oauth-login", "breaks")], false, "proxylab.json").code, 1);
    // A broken cell with no diagnosis breaks.
    assert.equal(exitRule([cell("oauth-login", undefined)], false, null).code, 1);
  });

  it("suggests the profile that would judge the limits seen", () => {
    const text = suggestedProfile([cell("upload-limit", "limit"), cell("idle-timeout", "limit")]);
    const json = JSON.parse(text.split("\n(")[0]!) as Record<string, unknown>;
    assert.deepEqual(json.uploads, { maxBytes: "20MB" });
    assert.deepEqual(json.sse, { heartbeatS: 25 });
    assert.deepEqual(checkProfile(json, "suggested"), {
      uses: json.uses,
      sse: { heartbeatS: 25 },
      websocket: { quietS: 30 },
      uploads: { maxBytes: 20 * 1024 ** 2 },
    });
  });
});

describe("app profile", () => {
  it("reads sizes as people write them", () => {
    assert.equal(parseSize("20MB", "x"), 20 * 1024 ** 2);
    assert.equal(parseSize("12KB", "x"), 12 * 1024);
    assert.equal(parseSize("1.5 MiB", "x"), 1.5 * 1024 ** 2);
    assert.equal(parseSize(4096, "x"), 4096);
    assert.throws(() => parseSize("lots", "uploads.maxBytes"), /uploads\.maxBytes: "lots" is not a size/);
  });

  it("names an unknown key or feature and what is known", () => {
    assert.throws(() => checkProfile({ use: ["sse"] }, "proxylab.json"), /unknown key use; known: uses/);
    assert.throws(() => checkProfile({ uses: ["graphql"] }, "proxylab.json"), /"uses" names "graphql"; known: oauth/);
    assert.throws(() => checkProfile({ headers: { maxBytes: "1MB" } }, "p"), ProfileError);
    assert.throws(() => checkProfile({ uses: ["constructor"] }, "p"), /"uses" names "constructor"/);
    assert.throws(() => checkProfile({ uploads: { maxBytes: "0KB" } }, "p"), /is not a size/);
    assert.throws(() => checkProfile({ uploads: { streamed: "true" } }, "p"), /is not true or false/);
  });

  it("skips the scenarios of features the app does not use, never those every app needs", () => {
    const p = checkProfile({ uses: ["sse"] }, "p");
    assert.equal(unusedBy(p, "oauth-login"), "oauth");
    assert.equal(unusedBy(p, "sse-timing"), null);
    assert.equal(unusedBy(p, "idle-timeout"), null);
    assert.equal(unusedBy(p, "random-uuid"), null);
    assert.equal(unusedBy(p, "big-headers"), null);
    assert.equal(unusedBy(checkProfile({ uses: ["oauth"] }, "p"), "idle-timeout"), "sockjs");
    // SockJS's own origin check is in websocket-origin: an app on SockJS alone still runs it.
    assert.equal(unusedBy(checkProfile({ uses: ["sockjs"] }, "p"), "websocket-origin"), null);
    assert.equal(unusedBy(checkProfile({}, "p"), "oauth-login"), null);
  });

  it("is a user's config's only: the matrix and the corpus never see one the shell exports", () => {
    const profile = JSON.stringify({ uploads: { maxBytes: 1024 } });
    assert.equal(profileOfRun({ PROXYLAB_PROFILE: profile }), null);
    assert.deepEqual(profileOfRun({ PROXYLAB_PROFILE: profile, PROXYLAB_USER_CONFIG: "/x/site.conf" }), {
      uploads: { maxBytes: 1024 },
    });
  });

  it("tests a limit at exactly the profile's number, after the smallest step", () => {
    assert.deepEqual(ladderAt([65_536, 2_097_152], 20 * 1024 ** 2), [65_536, 20 * 1024 ** 2]);
    assert.deepEqual(ladderAt([2048, 6144], undefined), [2048, 6144]);
    assert.deepEqual(ladderAt([2048, 6144], 1024), [1024]);
  });
});
