/**
 * `npm run --silent projects`: the default matrix's project names as a JSON array, for CI's job matrix
 * (.github/workflows/proxy-matrix.yml), so a new variant needs no edit there.
 */
import { defaultProjects } from "../proxies/projects";

console.log(JSON.stringify(defaultProjects().map((p) => p.name)));
