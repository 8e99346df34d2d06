import { apacheFaults } from "./apache/faults";
import { caddyFaults } from "./caddy/faults";
import type { Fault, FaultQuery } from "./faults";
import { haproxyFaults } from "./haproxy/faults";
import { nginxFaults } from "./nginx/faults";
import type { PreparedConfig } from "./prepare";

/**
 * The causes of a cell's symptom in its config, read by the config's own kind: the directive at fault or the
 * block where one is missing, with the fix in that kind's syntax. An app-side field report gives none here.
 */
export function faultsFor(config: PreparedConfig, q: FaultQuery): Fault[] {
  switch (config.kind) {
    case "nginx":
      return nginxFaults(config, q);
    case "apache":
      return apacheFaults(config, q);
    case "haproxy":
      return haproxyFaults(config, q);
    case "caddy":
      return caddyFaults(config, q);
  }
}
