import path from "node:path";
import { defineConfig } from "@playwright/test";

/**
 * For `npx playwright merge-reports --config scenarios/reporter/merge.config.ts <blob dir>`: the CI matrix's
 * last job joins each variant's blob report into the same outputs a local run writes.
 */
const results = path.resolve(__dirname, "../../test-results");

export default defineConfig({
  // Test paths in the merged report read as in a local run (scenarios/…), not relative to this folder.
  testDir: path.resolve(__dirname, ".."),
  reporter: [
    ["list"],
    ["./matrix-reporter.ts", { outputDir: results }],
    ["html", { open: "never", outputFolder: path.join(results, "playwright-report") }],
    ["junit", { outputFile: path.join(results, "junit.xml") }],
  ],
});
