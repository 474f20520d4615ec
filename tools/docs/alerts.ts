// docs/alerts.md, generated from the rule catalogue of each environment profile
// (`npm run docs:alerts`); a test fails when the file is stale.
import { ENVIRONMENTS, StackConfig, parseStackConfig } from "../../components/config";
import type { Environment } from "../../components/config";
import { CatalogueEntry, alertCatalogue } from "../../components/model/alerts";
import { PRIORITY_LIST, RESPOND_WITHIN, receiverFor } from "../../components/model/alertmanager";
import { alertLink, cond, key, worst } from "../../render/alerts";

/** The AWS documentation's example account, VPC and cluster: only the profile's settings matter here. */
const EXAMPLE_AWS = {
  accountId: "123456789012",
  vpcId: "vpc-0a1b2c3d4e5f60001",
  privateSubnetIds: ["subnet-0a1b2c3d4e5f60011", "subnet-0a1b2c3d4e5f60012"],
  clusterSecurityGroupId: "sg-0a1b2c3d4e5f60021",
  oidcProviderArn: "arn:aws:iam::123456789012:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLE",
};

/** A profile-only config per environment (placeholder secrets and AWS IDs; only alerting settings matter). */
export function profileConfig(env: Environment): StackConfig {
  const s = (v: string) => ({ value: v, secret: true });
  const image =
    env === "prod"
      ? `${EXAMPLE_AWS.accountId}.dkr.ecr.eu-west-1.amazonaws.com/agent-platform@sha256:${"0".repeat(64)}`
      : "registry.example/agent-platform:1.0.0";
  return parseStackConfig(
    {
      "agent-platform:environment": { value: env, secret: false },
      "agent-platform:image": { value: image, secret: false },
      "agent-platform:aws": { value: JSON.stringify(EXAMPLE_AWS), secret: false },
      "agent-platform:pagerdutyRoutingKey": s("placeholder"),
      "agent-platform:slackWebhookUrl": s("https://placeholder.invalid"),
      "agent-platform:ticketWebhookUrl": s("https://placeholder.invalid"),
      "agent-platform:watchdogUrl": s("https://placeholder.invalid"),
      "agent-platform:uptimeAlertUrl": s("https://placeholder.invalid"),
      "agent-platform:observability": { value: JSON.stringify({ uptime: { url: "https://agents.example.com/health" } }), secret: false },
      "agent-platform:delivery": { value: JSON.stringify({ strategy: "rolling" }), secret: false },
    },
    env,
  );
}

const NOTES: Record<string, string> = {
  "R-AL-6":
    "Two critical rules: MemorySaturation (> 95 %, the R-AL table) and MemorySaturationSustained (> 90 % for 3 min, the R-PD-5 condition; the canary rollback trigger reads the same numbers from alerting.rules.memorySustained).",
  "R-AL-12":
    "R-AL-12 and R-AL-14 read the same signal (swarm_coordination_total): R-AL-12 is the acute failure ratio (P2), R-AL-14 the success ratio over an hour as an efficiency KPI (P3 ticket).",
  "R-AL-16":
    "SyntheticProbeFailing reads the latest result of each probe layer and must hold for N probe intervals: N tolerated failures (alerting.rules.probe*), the next one fires, whatever the phase between probe and evaluation. PlatformMetricsMissing is added beside the probes: when no platform target is scraped, every other alert is blind.",
  "R-AL-19":
    "Burn-rate windows per the SRE workbook: fast burn on 14.4× (1h and 5m) or 6× (6h and 30m), slow burn on 3× (1d and 2h) or 1× (3d and 6h); each pair guarded by the request-rate minimum over its long window. Staging's and dev's objectives are looser and never page.",
  "R-DATA-3":
    "ExportStale exists where backups.enabled (staging, prod; dev keeps its database in the cluster without exports). Its threshold is alerting.rules.exportStale (2) times the longest gap between two runs of backups.export.schedule.",
  "R-AL-23":
    "Every ratio alert is guarded by a minimum volume over its own window (alerting.guards): below it the ratio says nothing and the alert stays silent; the SLO burn alerts, over longer windows, carry the slow signal.",
};

export function alertsMarkdown(): string {
  const cat = Object.fromEntries(ENVIRONMENTS.map((e) => [e, alertCatalogue(profileConfig(e))])) as Record<Environment, CatalogueEntry[]>;
  const find = (env: Environment, e: CatalogueEntry) => cat[env].find((x) => key(x) === key(e));
  const other = (x: CatalogueEntry | undefined) => (x ? `${cond(x)} (${x.priority})` : "— (not in this profile)");
  const reqNo = (e: CatalogueEntry) => {
    const m = /R-AL-(\d+)/.exec(e.requirement);
    return m ? Number(m[1]) : 99;
  };
  const sevNo = (e: CatalogueEntry) => ["warning", "critical", "info"].indexOf(e.severity);
  const ordered = [...cat.prod].sort((a, b) => reqNo(a) - reqNo(b) || a.alert.localeCompare(b.alert) || sevNo(a) - sevNo(b));
  const rows = ordered.map((e) => {
    const staging = find("staging", e);
    const dev = find("dev", e);
    return `| ${e.requirement} | ${alertLink(e, "runbooks/")} | ${e.severity} | ${e.signal} | ${cond(e)} | ${e.priority} | ${worst(e)} | ${other(staging)} | ${other(dev)} |`;
  });
  const prodCfg = profileConfig("prod");
  const prio = PRIORITY_LIST.map((p) => {
    const t = prodCfg.alerting.routing[p];
    return `| ${p} | ${RESPOND_WITHIN[p]} | ${receiverFor(p, true)} | ${receiverFor(p, false)} | ${t.groupWait.text} / ${t.groupInterval.text} / ${t.repeatInterval.text} |`;
  });
  return [
    "# Alerts",
    "",
    "<!-- generated by `npm run docs:alerts` from components/model/alerts/ and the profiles; do not edit -->",
    "",
    "Every row of the R-AL table maps to an alert rule; every threshold, `for`, window and",
    "priority is profile data (`alerting.rules`, overridable key by key from a stack file,",
    "R-ENV-12). prod uses the strict preset (the R-AL table), staging relaxed, dev",
    "informational (relaxed thresholds, every alert P3, no paging). Every alert carries",
    "`severity`, `priority`, `service`, `summary`, `description` (with the current value)",
    "and `runbook_url` (R-AL-20), and has `promtool test rules` cases in",
    "test/promtool/alerts.test.ts and a runbook in docs/runbooks/.",
    "",
    "**Worst case** is the longest time from the onset of the condition to the alert firing",
    "in prod, whatever the phase between scrapes and evaluations (R-AL-22): for a rate or",
    "window, the window (it holds only post-onset samples that long after the onset) + one",
    "evaluation + `for`; for an instant gauge, one scrape + one evaluation + `for`; for a",
    "probe, (tolerated failures + 1) probe intervals + one evaluation. Each recording rule",
    "sits in the group of the alerts that read it, so no group lag adds to it.",
    "",
    "| ID | alert | severity | signal | prod condition | prod priority | prod worst case | staging | dev |",
    "|---|---|---|---|---|---|---|---|---|",
    ...rows,
    "",
    "## Notes",
    "",
    ...Object.entries(NOTES).map(([id, n]) => `- ${id}: ${n}`),
    "",
    "## Routing (R-MON-5)",
    "",
    "| priority | respond within | receiver (paging on: prod) | receiver (paging off: dev, staging) | group_wait / group_interval / repeat |",
    "|---|---|---|---|---|",
    ...prio,
    "",
    "Critical inhibits warning of the same alert, namespace and service. The Watchdog goes",
    "only to the dead-man's switch (`watchdogUrl`). Alerts without a priority (the chart's",
    "cluster rules) go to Slack and e-mail.",
    "",
  ].join("\n");
}
