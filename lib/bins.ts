/**
 * The command lines of the tools the harness runs as child processes, resolved from its own dependencies (not
 * from ./node_modules/.bin, which an installed package does not have: npm hoists its dependencies).
 */
export const PLAYWRIGHT: readonly [string, string] = [process.execPath, require.resolve("@playwright/test/cli")];
export const TSX: readonly [string, string] = [process.execPath, require.resolve("tsx/cli")];
