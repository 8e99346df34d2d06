/**
 * The commands a user actually has, for messages: in a clone, the npm scripts; from an installed package, the
 * `proxylab` command (bin/proxylab.mjs sets PROXYLAB_CLI for everything it starts).
 */
export const CLI_ENV = "PROXYLAB_CLI";

const viaCli = () => process.env[CLI_ENV] === "1";

export const commands = {
  setup: () => (viaCli() ? "npx proxylab setup" : "npm run setup"),
  clean: () => (viaCli() ? "npx proxylab clean" : "npm run clean"),
  matrix: () => (viaCli() ? "npx proxylab matrix" : "npx playwright test"),
  check: (config = "<config>") => (viaCli() ? `npx proxylab check ${config}` : `npm run repro -- --config ${config}`),
};
