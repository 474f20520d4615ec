// The alert rule catalogue (R-AL-1..23): one pure function from the stack's alerting
// settings to Prometheus rule groups, one group per concern in the manner of
// kubernetes-mixin. Each group holds the recording rules its alerts read, so they are
// evaluated at the same timestamp (no lag between groups). The same groups become the
// PrometheusRule (components/monitoring/alert-rules.ts) and rendered/<stack>/prometheus/rules.yaml.
//
// PromQL here is accepted by Prometheus 2.42 and 3.x: no 3.x-only functions, and `le`
// buckets are matched as "1" or "1.0" (Prometheus 3 normalises bucket labels to floats).
import { agentsGroup } from "./agents";
import { availabilityGroup } from "./availability";
import { dataGroup } from "./data";
import { AlertArgs, CatalogueEntry, GroupBuild, RuleGroup } from "./common";
import { httpGroup } from "./http";
import { observabilityGroup } from "./observability";
import { resourcesGroup } from "./resources";
import { sloGroup } from "./slo";

export * from "./common";

function build(cfg: AlertArgs): GroupBuild[] {
  return [
    httpGroup(cfg),
    resourcesGroup(cfg),
    agentsGroup(cfg),
    availabilityGroup(cfg),
    sloGroup(cfg),
    ...(cfg.backups.enabled ? [dataGroup(cfg)] : []),
    ...(cfg.observability.install ? [observabilityGroup(cfg)] : []),
  ];
}

/** The recording and alert rules of one stack. */
export function ruleGroups(cfg: AlertArgs): RuleGroup[] {
  return build(cfg).map((g) => g.group);
}

/** Every alert with the requirement it proves and its worst-case detection time. */
export function alertCatalogue(cfg: AlertArgs): CatalogueEntry[] {
  return build(cfg).flatMap((g) => g.entries);
}
