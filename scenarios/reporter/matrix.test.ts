import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { matrixHtml } from "./matrix-html";
import { matrixMarkdown } from "./matrix-markdown";
import { cellKey, cellOf, topologyGroups, versionDifferences, type Matrix, type TestOutcome } from "./matrix-model";
import { matrixTerminal } from "./matrix-terminal";
import type { ObservationRecord } from "./observation-record";

const record = (over: Partial<ObservationRecord>): ObservationRecord => ({
  scenario: "websocket-raw",
  variant: "missing-upgrade",
  observation: { handshakeStatus: 426, closeCode: 1006, echoed: false },
  expected: {},
  bounds: {},
  asExpected: true,
  mismatches: [],
  healthy: false,
  diagnosis: {
    bug: "B6",
    title: "WebSocket handshake not 101",
    why: "Upgrade is not forwarded.",
    fix: ["proxy_set_header Upgrade $http_upgrade;"],
  },
  ...over,
});

const outcome = (over: Partial<TestOutcome>): TestOutcome => ({
  scenario: "websocket-raw",
  variant: "missing-upgrade",
  status: "passed",
  record: record({}),
  error: null,
  durationMs: 10,
  timelineSvg: null,
  ...over,
});

describe("matrix cells", () => {
  it("tells works, broken-as-expected, unexpected, error and not-run apart", () => {
    assert.equal(cellOf(outcome({})).state, "broken-as-expected");
    assert.equal(cellOf(outcome({ record: record({ healthy: true, diagnosis: null }) })).state, "works");
    assert.equal(
      cellOf(
        outcome({
          status: "failed",
          record: record({ asExpected: false, mismatches: ["closeCode: expected 1000, observed 1006"] }),
        }),
      ).state,
      "unexpected",
    );
    const error = cellOf(outcome({ status: "timedOut", record: null, error: "Test timeout of 45000ms exceeded." }));
    assert.equal(error.state, "error");
    assert.deepEqual(error.problems, ["Test timeout of 45000ms exceeded."]);
    assert.equal(cellOf(outcome({ status: "interrupted", record: null })).state, "not-run");
  });

  it("shows the symptom's figures, not the whole observation", () => {
    assert.deepEqual(cellOf(outcome({})).observed, [
      ["handshakeStatus", "426"],
      ["closeCode", "1006"],
      ["echoed", "false"],
    ]);
  });
});

describe("matrix outputs", () => {
  const matrix: Matrix = {
    title: "t",
    variants: [
      {
        name: "missing-upgrade",
        proxy: "nginx",
        scheme: "https",
        summary: "no Upgrade <headers>",
        reproduces: ["B6"],
        expects: "table",
        proxyVersion: "nginx/1.22.1",
        stackStartS: 3.2,
        cellsPlanned: 1,
        cellsDone: 1,
      },
      {
        name: "mine",
        proxy: "nginx",
        scheme: "https",
        summary: "your config",
        reproduces: [],
        expects: "healthy",
        proxyVersion: null,
        stackStartS: null,
        cellsPlanned: 1,
        cellsDone: 1,
      },
    ],
    scenarios: ["websocket-raw"],
    cells: new Map(),
    startedAt: new Date(0),
    durationMs: 1000,
  };
  matrix.cells.set(
    cellKey("websocket-raw", "missing-upgrade"),
    cellOf(outcome({ timelineSvg: `<svg xmlns="http://www.w3.org/2000/svg"></svg>` })),
  );
  matrix.cells.set(
    cellKey("websocket-raw", "mine"),
    cellOf(
      outcome({
        variant: "mine",
        status: "failed",
        record: record({
          asExpected: false,
          mismatches: ["x"],
          diagnosis: {
            bug: "B6",
            title: "T",
            why: "W",
            fix: ["F;"],
            likeVariant: "missing-upgrade",
            faults: [
              {
                bug: "B6",
                cause: "The Upgrade and Connection headers are not forwarded at /ws-echo.",
                where: {
                  how: "missing",
                  site: { file: "site.conf", line: 7, quote: "location / {" },
                  block: "location /",
                },
                fix: ["proxy_set_header Upgrade $http_upgrade;"],
                edits: [],
                fixIn: "config",
              },
            ],
            fixDiff:
              "--- site.conf\n+++ site.conf (fixed)\n@@ -7,1 +7,2 @@\n location / {\n+    proxy_set_header Upgrade $http_upgrade;\n",
          },
        }),
      }),
    ),
  );

  it("the HTML page is self-contained: no scripts, no external resources, text escaped", () => {
    const html = matrixHtml(matrix);
    assert.doesNotMatch(html, /<script|<link|src=|@import|url\(/i);
    // Links only within the page: the overview's marks to their cells.
    for (const [, target] of html.matchAll(/href="([^"]*)"/g)) {
      assert.match(target!, /^#c-/);
      assert.ok(html.includes(`id="${target!.slice(1)}"`), `no cell with id ${target}`);
    }
    assert.match(html, /<h2>At a glance<\/h2>/);
    assert.match(html, /no Upgrade &#60;headers&#62;/);
    assert.match(html, /proxy_set_header Upgrade \$http_upgrade;/);
    assert.match(html, /Same symptom as the <i>missing-upgrade<\/i> variant/);
    assert.match(html, /<svg/);
  });

  it("markdown has one row per scenario, the cause at its line, and the fixes as code or a diff", () => {
    const md = matrixMarkdown(matrix);
    assert.match(
      md,
      /\| websocket-raw \| 🟧 broken as expected \(B6\)<br>handshakeStatus=426, closeCode=1006, echoed=false \| ❌ broken \(B6\)/,
    );
    assert.match(md, /```\nproxy_set_header Upgrade \$http_upgrade;\n```/);
    assert.match(md, /not forwarded at \/ws-echo\. At missing in `location \/` \(site\.conf:7\)/);
    assert.match(md, /```diff\n--- site\.conf\n\+\+\+ site\.conf \(fixed\)/);
  });

  it("the terminal summary gives a user's config its diagnosis and fix", () => {
    const text = matrixTerminal(matrix);
    assert.match(text, /websocket-raw\s+~B6\s+BROKEN B6/);
    assert.match(
      text,
      /Diagnosis for mine[\s\S]*cause: The Upgrade[^\n]*\n {6}at missing in `location \/` \(site\.conf:7\)\n {6}fix in the config:\n {8}proxy_set_header Upgrade/,
    );
  });
});

describe("the terminal summary's last lines", () => {
  it("name each table cell that differs or failed, with what differed and what was seen", () => {
    const column = {
      name: "split-upload-limit",
      proxy: "nginx",
      scheme: "https",
      summary: "",
      reproduces: [],
      proxyVersion: null,
    };
    const m: Matrix = {
      title: "t",
      variants: [{ ...column, expects: "table", stackStartS: 1, cellsPlanned: 2, cellsDone: 2 }],
      scenarios: ["websocket-raw", "sse-timing"],
      cells: new Map([
        [
          cellKey("websocket-raw", "split-upload-limit"),
          cellOf(
            outcome({
              variant: "split-upload-limit",
              status: "failed",
              record: record({ asExpected: false, mismatches: ["closeCode: expected 1000, observed 1006"] }),
            }),
          ),
        ],
        [
          cellKey("sse-timing", "split-upload-limit"),
          cellOf(outcome({ scenario: "sse-timing", variant: "split-upload-limit", status: "timedOut", record: null })),
        ],
      ]),
      startedAt: new Date(0),
      durationMs: 1,
    };
    const tail = matrixTerminal(m).split("Differs from the table (2):\n")[1];
    assert.equal(
      tail,
      [
        "  websocket-raw on split-upload-limit: differs",
        "    closeCode: expected 1000, observed 1006",
        "    observed: handshakeStatus=426, closeCode=1006, echoed=false",
        "  sse-timing on split-upload-limit: failed before observing",
        "    test timedOut before it observed anything",
      ].join("\n"),
    );
  });
});

describe("differences between nginx versions", () => {
  it("lists a scenario whose verdict or figures differ between one variant's version columns, and nothing else", () => {
    const column = (name: string, proxyVersion: string) => ({
      name,
      proxy: "nginx",
      scheme: "http",
      summary: "",
      reproduces: [],
      expects: "table" as const,
      proxyVersion,
      stackStartS: 1,
      cellsPlanned: 2,
      cellsDone: 2,
    });
    const variants = [
      column("http1.0-default", "nginx/1.22.1"),
      column("http1.0-default@1.30", "nginx/1.30.6"),
      column("fixed", "nginx/1.22.1"),
    ];
    const cells = new Map([
      [cellKey("websocket-raw", "http1.0-default"), cellOf(outcome({ variant: "http1.0-default" }))],
      [cellKey("websocket-raw", "http1.0-default@1.30"), cellOf(outcome({ variant: "http1.0-default@1.30" }))],
      [
        cellKey("sse-timing", "http1.0-default"),
        cellOf(
          outcome({
            scenario: "sse-timing",
            variant: "http1.0-default",
            record: record({ scenario: "sse-timing", observation: { verdict: "batched" } }),
          }),
        ),
      ],
      [
        cellKey("sse-timing", "http1.0-default@1.30"),
        cellOf(
          outcome({
            scenario: "sse-timing",
            variant: "http1.0-default@1.30",
            record: record({
              scenario: "sse-timing",
              observation: { verdict: "streamed" },
              healthy: true,
              diagnosis: null,
            }),
          }),
        ),
      ],
    ]);
    const m: Matrix = {
      title: "t",
      variants,
      scenarios: ["websocket-raw", "sse-timing"],
      cells,
      startedAt: new Date(0),
      durationMs: 1,
    };
    const diffs = versionDifferences(m);
    assert.deepEqual(
      diffs.map((d) => [d.scenario, d.variant, d.columns.map((c) => c.verdict)]),
      [["sse-timing", "http1.0-default", ["broken-as-expected B6", "works"]]],
    );
    assert.match(
      matrixMarkdown(m),
      /### Differences between nginx versions[\s\S]*http1\.0-default@1\.30 \(nginx\/1\.30\.6\): works/,
    );
    assert.match(matrixTerminal(m), /Differences between nginx versions:\n {2}sse-timing on http1\.0-default:/);
    assert.match(matrixHtml(m), /<h2>Differences between nginx versions<\/h2>/);
  });

  it("also lists a scenario where the table has a row of the version's own, even when only times differ", () => {
    const column = (name: string, versionRows: string[]) => ({
      name,
      proxy: "nginx",
      scheme: "https",
      summary: "",
      reproduces: [],
      expects: "table" as const,
      versionRows,
      proxyVersion: null,
      stackStartS: 1,
      cellsPlanned: 1,
      cellsDone: 1,
    });
    const variants = [column("fixed", []), column("fixed@1.26", ["sse-open-latency"])];
    const cell = (variant: string, openMs: number) =>
      cellOf(
        outcome({
          scenario: "sse-open-latency",
          variant,
          record: record({ scenario: "sse-open-latency", observation: { openMs }, healthy: true, diagnosis: null }),
        }),
      );
    const cells = new Map([
      [cellKey("sse-open-latency", "fixed"), cell("fixed", 1508)],
      [cellKey("sse-open-latency", "fixed@1.26"), cell("fixed@1.26", 14)],
    ]);
    const m: Matrix = {
      title: "t",
      variants,
      scenarios: ["sse-open-latency"],
      cells,
      startedAt: new Date(0),
      durationMs: 1,
    };
    assert.deepEqual(
      versionDifferences(m).map((d) => [d.scenario, d.variant]),
      [["sse-open-latency", "fixed"]],
    );
  });
});

describe("topologies", () => {
  it("draws one table per topology, each with its own columns and scenarios", () => {
    const column = (name: string, topology: string) => ({
      name,
      proxy: "nginx",
      topology,
      scheme: "https",
      summary: "",
      reproduces: [],
      expects: "table" as const,
      proxyVersion: "nginx/1.22.1",
      stackStartS: 1,
      cellsPlanned: 1,
      cellsDone: 1,
    });
    const cells = new Map([
      [cellKey("websocket-raw", "fixed"), cellOf(outcome({ variant: "fixed" }))],
      [
        cellKey("split-sse", "split-fixed"),
        cellOf(
          outcome({
            scenario: "split-sse",
            variant: "split-fixed",
            record: record({ scenario: "split-sse", observation: { opened: true }, healthy: true, diagnosis: null }),
          }),
        ),
      ],
    ]);
    const m: Matrix = {
      title: "t",
      variants: [column("fixed", "single-origin"), column("split-fixed", "split-origin")],
      scenarios: ["websocket-raw", "split-sse"],
      cells,
      startedAt: new Date(0),
      durationMs: 1,
    };
    assert.deepEqual(
      topologyGroups(m).map((g) => [g.topology, g.variants.map((v) => v.name), g.scenarios]),
      [
        ["single-origin", ["fixed"], ["websocket-raw"]],
        ["split-origin", ["split-fixed"], ["split-sse"]],
      ],
    );
    assert.match(matrixHtml(m), /<h2>Split origins: front end on www\.app\.test, API on api\.app\.test<\/h2>/);
    assert.match(matrixMarkdown(m), /### split-origin\n\n\| scenario \| split-fixed \(nginx\/1\.22\.1\) \|/);
  });
});
