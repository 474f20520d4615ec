// Alerting policies (R-AL, R-MON-4): the golden signals have rules, and every alert
// carries its severity, priority, summary and runbook.
import type { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { WORKLOADS, describeResource, list } from "./common";

/** The alerts that stand for each golden signal and each R-PD-5 condition. */
export const REQUIRED_ALERTS: Array<{ what: string; alerts: string[]; severity?: string }> = [
  { what: "latency (golden signal)", alerts: ["HighLatencyP99", "HighLatencyP95"] },
  { what: "traffic (golden signal)", alerts: ["TrafficAnomaly"] },
  { what: "errors (golden signal)", alerts: ["HighErrorRate"] },
  { what: "saturation (golden signal)", alerts: ["CPUSaturation", "MemorySaturation"] },
  { what: "health-check failures > 3 in a row (R-PD-5)", alerts: ["SyntheticProbeFailing"], severity: "critical" },
  { what: "error rate > 5 % for 2 min (R-PD-5)", alerts: ["HighErrorRate"], severity: "critical" },
  { what: "p99 > 3000 ms for 5 min (R-PD-5)", alerts: ["HighLatencyP99"], severity: "critical" },
  { what: "memory > 90 % for 3 min (R-PD-5)", alerts: ["MemorySaturationSustained"], severity: "critical" },
  { what: "agent-spawn failures > 50 % for 2 min (R-PD-5)", alerts: ["AgentSpawnFailures"], severity: "critical" },
];

const alertRules = (all: PolicyResource[]) =>
  all
    .filter((r) => r.type === "kubernetes:monitoring.coreos.com/v1:PrometheusRule")
    .flatMap((r) => list(r.props.spec?.groups).flatMap((g) => list(g.rules).filter((x) => x.alert).map((rule) => ({ r, rule }))));

export const goldenSignals: StackValidationPolicy = {
  name: "alerts-for-golden-signals",
  description:
    "R-CI-2, R-AL, R-PD-5: a stack that runs a workload (a Deployment or Rollout) holds in its PrometheusRules, between them, an alert for each golden signal (latency, traffic, errors, saturation: one of the alerts named for it) and an alert of severity critical for each R-PD-5 condition. (A stack without one, such as the bootstrap project, has nothing to watch.)",
  remediationSteps: "Keep the catalogue of components/model/alerts (AlertRules declares it); do not disable these rules.",
  validateStack: (args, report) => {
    if (!args.resources.some((r) => WORKLOADS.includes(r.type))) return;
    const rules = alertRules(args.resources);
    for (const need of REQUIRED_ALERTS) {
      const found = rules.some(({ rule }) => need.alerts.includes(rule.alert) && (!need.severity || rule.labels?.severity === need.severity));
      if (!found) report(`stack: no ${need.severity ? `${need.severity} ` : ""}alert for ${need.what} (expected ${need.alerts.join(" or ")}) in any PrometheusRule (R-CI-2)`);
    }
  },
};

export const alertMetadata: StackValidationPolicy = {
  name: "alerts-carry-labels-and-runbooks",
  description: "R-AL-20: every alert carries severity, priority P0-P3 and service, a summary, a description and a runbook_url to a runbook in this repository.",
  remediationSteps: "Build alerts through AlertBuilder (components/model/alerts/common.ts) and add docs/runbooks/<Alert>.md.",
  validateStack: (args, report) => {
    for (const { r, rule } of alertRules(args.resources)) {
      const l = rule.labels ?? {};
      const a = rule.annotations ?? {};
      const problems: string[] = [];
      if (!["critical", "warning", "info"].includes(l.severity)) problems.push("no severity");
      if (!/^P[0-3]$/.test(String(l.priority))) problems.push("no priority P0-P3");
      // The label is static, or comes with the series: aggregated `by (…, service)` or read
      // from a recording rule named after its aggregation level (service:…, slo:…).
      if (!l.service && !/\b(service|slo):|\bby \([^)]*\bservice\b/.test(String(rule.expr))) problems.push("no service label");
      if (!a.summary) problems.push("no summary");
      if (!a.description) problems.push("no description");
      if (!new RegExp(`/docs/runbooks/${rule.alert}\\.md$`).test(String(a.runbook_url))) problems.push("no runbook_url to docs/runbooks");
      if (problems.length) report(`${describeResource(r.type, r.props, r.name)}: alert ${rule.alert}: ${problems.join("; ")} (R-AL-20)`, r.urn);
    }
  },
};
