import type { BugId } from "../lib/bugs";
import type { NginxVersion } from "../proxies/nginx/versions";
import type {
  EdgeVariantName,
  NginxVariantName,
  ReplicasVariantName,
  SingleOriginVariantName,
  SplitOriginVariantName,
  SubPathVariantName,
} from "../proxies/registry";
import type {
  BehindEdgeScenario,
  EdgeScenario,
  Observations,
  ReplicasScenario,
  ScenarioName,
  SplitScenario,
  SubPathScenario,
} from "./observations";

/**
 * What a row of the table can say. Each scenario's rows live beside its spec, in scenarios/<feature>.expect.ts;
 * scenarios/expectations.ts assembles them into the one table.
 */

type NumericKeys<O> = { [K in keyof O]-?: O[K] extends number | null ? K : never }[keyof O];

export interface Bound {
  min?: number;
  max?: number;
}

/** What a variant must show in a scenario, and, where that is a known failure, the diagnosis. */
export interface Expectation<O> {
  /** Every field listed must equal the observation's field. */
  must: Partial<O>;
  /** Numeric fields that must lie within a range (inclusive). */
  bounds?: Partial<Record<NumericKeys<O>, Bound>>;
  diagnosis?: {
    bug: BugId;
    why: string;
    /** The directive(s) that fix it, as config lines, or what to change where the fix is not in the config. */
    fix: readonly string[];
    /**
     * Where the fix goes: the proxy's config (the default), the app (e.g. an opening comment), or the proxy's
     * version (a behaviour of one release that no directive changes).
     */
    fixIn?: "config" | "app" | "version";
  };
}

/** A `<variant>@<version>` row: the variant on another nginx version, where that version changes what is seen. */
export type VersionRowName = `${NginxVariantName}@${NginxVersion}`;

/**
 * A scenario's rows: exactly one per variant of its topology (names derived from the registry, so a new variant
 * fails to compile until it has its row), plus `<variant>@<version>` rows where a version differs.
 */
export type Rows<S extends ScenarioName> = Record<
  S extends SplitScenario
    ? SplitOriginVariantName
    : S extends SubPathScenario
      ? SubPathVariantName
      : S extends ReplicasScenario
        ? ReplicasVariantName
        : S extends EdgeScenario
          ? EdgeVariantName
          : S extends BehindEdgeScenario
            ? SingleOriginVariantName | EdgeVariantName
            : SingleOriginVariantName,
  Expectation<Observations[S]>
> &
  Partial<Record<VersionRowName | EngineRowName, Expectation<Observations[S]>>>;

/** A `<project>@firefox` row: Firefox sees this project differently from Chromium (measured, with the mechanism). */
export type EngineRowName = `${string}@firefox`;

/** What "works" means in a scenario, whatever the config: a user's config under `npm run repro` is held to it. */
export type Healthy<S extends ScenarioName> = Expectation<Observations[S]>;

/** nginx's WebSocket fix, shared by the scenarios that show B6 (the chat and the raw echo). */
export const WS_FIX = [
  "map $http_upgrade $connection_upgrade { default upgrade; '' close; }  # at http {} level, outside server {}",
  "proxy_http_version 1.1;",
  "proxy_set_header Upgrade $http_upgrade;",
  "proxy_set_header Connection $connection_upgrade;",
];

/** nginx's fix for a buffered event stream, shared by the SSE scenarios that show B11. */
export const BUFFER_FIX = [
  "proxy_buffering off;",
  "proxy_cache off;",
  "proxy_http_version 1.1;",
  "proxy_set_header Connection '';",
  "# or, from the app: X-Accel-Buffering: no",
];
