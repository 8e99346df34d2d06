import type { Fault } from "../../proxies/faults";
import type { Diagnosis } from "../expectation-check";

/** Where a fault is, in a line: the directive at fault, quoted, or the block it is missing from. */
export function faultPlace(f: Fault): string {
  if (!f.where) return "";
  const { site } = f.where;
  return f.where.how === "set"
    ? `${site.file}:${site.line}: \`${site.quote}\``
    : `missing in \`${f.where.block ?? site.quote}\` (${site.file}:${site.line})`;
}

const FIX_IN = { config: "in the config", app: "in the app (not in the proxy)", version: "the proxy's version" };

/** A diagnosis's causes in the config and their fixes, as terminal lines; its own fix when it has no fault. */
export function diagnosisLines(d: Diagnosis, indent = "    "): string[] {
  const lines: string[] = [];
  if (!d.faults || d.faults.length === 0) {
    lines.push(`${indent}fix${d.fixIn && d.fixIn !== "config" ? ` (${FIX_IN[d.fixIn]})` : ""}:`);
    for (const f of d.fix) lines.push(`${indent}  ${f}`);
    return lines;
  }
  for (const f of d.faults) {
    lines.push(`${indent}cause${f.bug !== d.bug ? ` (${f.bug})` : ""}: ${f.cause}`);
    if (f.where) lines.push(`${indent}  at ${faultPlace(f)}`);
    if (f.fix.length) {
      lines.push(`${indent}  fix ${FIX_IN[f.fixIn]}:`);
      for (const l of f.fix) lines.push(`${indent}    ${l}`);
    }
  }
  return lines;
}
