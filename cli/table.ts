/**
 * `npm run table`: the expectations table as data, every project of the default matrix × scenario of its
 * topology: its `must`, `bounds` and diagnosis, and per project the field reports it shows. For review: diff two
 * dumps to see exactly what a change does to the table.
 */
import { defaultProjects, topologyOf } from "../proxies/projects";
import { bugsShown, expectationFor, HEALTHY, TABLE_SCENARIOS } from "../scenarios/expectations";
import { topologyOfScenario } from "../scenarios/observations";

const out: Record<string, unknown> = {};
for (const project of defaultProjects()) {
  for (const scenario of TABLE_SCENARIOS.filter((s) => topologyOfScenario(s) === topologyOf(project))) {
    const row = expectationFor(scenario, project.name);
    out[`${project.name} × ${scenario}`] = {
      must: row.must,
      bounds: row.bounds ?? {},
      diagnosis: row.diagnosis ?? null,
    };
  }
  out[`${project.name} shows`] = bugsShown(project);
}
out.HEALTHY = HEALTHY;
console.log(JSON.stringify(out, null, 1));
