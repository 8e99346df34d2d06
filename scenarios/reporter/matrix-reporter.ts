import { appendFileSync, mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { FullConfig, FullResult, Reporter, Suite, TestCase, TestResult } from "@playwright/test/reporter";
import { SCENARIO_NAMES } from "../expectations";
import { attachmentText, readRecord } from "./observation-record";
import { matrixHtml } from "./matrix-html";
import {
  cellKey,
  cellOf,
  matrixJson,
  stateLabel,
  type Matrix,
  type VariantColumn,
  type VariantMeta,
} from "./matrix-model";
import { matrixMarkdown } from "./matrix-markdown";
import { matrixTerminal } from "./matrix-terminal";
import { readStackAnnotation } from "./stack-annotation";

interface Options {
  /** Where matrix.html and matrix.md go; relative to the working directory. */
  outputDir?: string;
  title?: string;
}

/**
 * Writes test-results/matrix.html and matrix.md (and appends the markdown to $GITHUB_STEP_SUMMARY), prints one
 * line per variant as it starts and ends, and a grid at the end. Reads only what the tests attached, so it
 * works the same on a live run and on `merge-reports` of CI's blob reports.
 */
/** A report's path as the user sees it: relative to where they ran the command when it is below it. */
function shown(file: string): string {
  const rel = path.relative(process.env.INIT_CWD ?? process.cwd(), file);
  return rel && !rel.startsWith("..") ? rel : file;
}

export default class MatrixReporter implements Reporter {
  private readonly outputDir: string;
  private readonly title: string;
  private readonly columns = new Map<string, VariantColumn>();
  private readonly matrix: Matrix;
  private readonly projectStart = new Map<string, number>();

  constructor(options: Options = {}) {
    this.outputDir = path.resolve(options.outputDir ?? "test-results");
    this.title = options.title ?? "proxylab matrix";
    this.matrix = {
      title: this.title,
      variants: [],
      scenarios: [...SCENARIO_NAMES],
      cells: new Map(),
      startedAt: new Date(),
      durationMs: 0,
    };
  }

  printsToStdio(): boolean {
    return false;
  }

  onBegin(_config: FullConfig, suite: Suite): void {
    for (const projectSuite of suite.suites) {
      const project = projectSuite.project();
      if (!project) continue;
      const meta = (project.metadata ?? {}) as Partial<VariantMeta>;
      const column: VariantColumn = {
        name: project.name,
        proxy: meta.proxy ?? "nginx",
        topology: meta.topology ?? "single-origin",
        scheme: meta.scheme ?? "",
        ...(meta.url ? { url: meta.url } : {}),
        summary: meta.summary ?? "",
        reproduces: meta.reproduces ?? [],
        notShown: meta.notShown ?? [],
        versionRows: meta.versionRows ?? [],
        expects: meta.expects ?? "table",
        engine: meta.engine ?? "chromium",
        proxyVersion: null,
        stackStartS: null,
        cellsPlanned: projectSuite.allTests().length,
        cellsDone: 0,
      };
      this.columns.set(project.name, column);
    }
    this.matrix.variants = [...this.columns.values()];
    const cells = this.matrix.variants.reduce((n, v) => n + v.cellsPlanned, 0);
    if (cells > 0)
      this.say(
        `${this.matrix.variants.length} variant(s), ${cells} cells; the matrix goes to ${shown(path.join(this.outputDir, "matrix.html"))}`,
      );
  }

  onTestBegin(test: TestCase): void {
    const variant = this.variantOf(test);
    if (!this.projectStart.has(variant)) {
      this.projectStart.set(variant, Date.now());
      this.say(`${variant}: starting its ${this.columns.get(variant)?.cellsPlanned ?? "?"} cells`);
    }
  }

  onTestEnd(test: TestCase, result: TestResult): void {
    const variant = this.variantOf(test);
    const scenarioFromTitle = test.title.split(":")[0]!.trim();
    const record = readRecord(result.attachments);
    const cell = cellOf({
      scenario: record?.scenario ?? scenarioFromTitle,
      variant,
      status: result.status,
      record,
      error: result.error?.message?.split("\n").slice(0, 6).join("\n") ?? null,
      durationMs: result.duration,
      timelineSvg: attachmentText(result.attachments, "timeline.svg"),
    });
    const key = cellKey(cell.scenario, variant);
    const previous = this.matrix.cells.get(key);
    // Under --repeat-each or retries a cell has several results: the worst one stays.
    const good = (s: string) => s === "works" || s === "broken-as-expected";
    if (!previous || good(previous.state) || !good(cell.state)) this.matrix.cells.set(key, cell);
    if (!this.matrix.scenarios.includes(cell.scenario)) this.matrix.scenarios.push(cell.scenario);

    const column = this.columns.get(variant);
    if (!column) return;
    const stack = readStackAnnotation(result.annotations);
    if (stack) {
      column.stackStartS = stack.startS;
      column.proxyVersion = stack.proxyVersion;
    }
    column.cellsDone++;
    if (column.cellsDone === column.cellsPlanned) {
      const mine = [...this.matrix.cells.values()].filter((c) => c.variant === variant);
      const bad = mine.filter((c) => !good(c.state)).length;
      const started = this.projectStart.get(variant);
      this.say(
        `${variant}: ${column.cellsDone}/${column.cellsPlanned} cells done, ${mine.length - bad} as expected${
          bad
            ? `, ${bad} NOT (${mine
                .filter((c) => !good(c.state))
                .map((c) => `${c.scenario}: ${stateLabel(c, column.expects)}`)
                .join("; ")})`
            : ""
        }` +
          `${column.stackStartS !== null ? `; stack up in ${column.stackStartS.toFixed(1)} s` : ""}${started ? `; ${((Date.now() - started) / 1000).toFixed(0)} s` : ""}`,
      );
    }
  }

  onEnd(result: FullResult): void {
    this.matrix.durationMs = result.duration;
    this.matrix.startedAt = result.startTime;
    // A partial run (--grep, repro --scenario) shows only the rows it ran.
    const ran = new Set([...this.matrix.cells.values()].map((c) => c.scenario));
    if (ran.size > 0) this.matrix.scenarios = this.matrix.scenarios.filter((s) => ran.has(s));
    mkdirSync(this.outputDir, { recursive: true });
    // Always written, even when nothing ran (e.g. a config nginx rejected): `npm run repro` and CI read it.
    writeFileSync(
      path.join(this.outputDir, "matrix.json"),
      JSON.stringify(matrixJson(this.matrix, result.status), null, 2),
    );
    if (this.matrix.cells.size === 0) return;
    const html = path.join(this.outputDir, "matrix.html");
    const md = path.join(this.outputDir, "matrix.md");
    writeFileSync(html, matrixHtml(this.matrix));
    const markdown = matrixMarkdown(this.matrix);
    writeFileSync(md, markdown);
    if (process.env.GITHUB_STEP_SUMMARY) appendFileSync(process.env.GITHUB_STEP_SUMMARY, markdown);
    process.stdout.write(`\n${matrixTerminal(this.matrix)}\n\n`);
    this.say(
      `matrix: ${shown(html)} and ${shown(md)}${process.env.GITHUB_STEP_SUMMARY ? " (and the job summary)" : ""}`,
    );
  }

  private variantOf(test: TestCase): string {
    return test.parent.project()?.name ?? "unknown";
  }

  private say(line: string): void {
    process.stdout.write(`[matrix] ${line}\n`);
  }
}
