// Rules that relate two or more settings. Each message names every key involved with its
// value, and says when a value came from the environment profile rather than the stack
// file ("= 4 from the staging profile"), so the operator knows which one to change.
import { SIGNALS, SIGNAL_KEYS, Severity } from "./alerting";
import { cidrContains } from "./fields";
import { Path } from "./messages";
import { StackConfig } from "./schema";

/** Names a setting with its value and, for profile defaults, where the value came from. */
export type Ref = (path: Path, value?: unknown) => string;

export function crossFieldProblems(cfg: StackConfig, ref: Ref): string[] {
  const p: string[] = [];
  const a = cfg.autoscaling;
  if (a.minReplicas > a.maxReplicas) {
    p.push(`${ref(["autoscaling", "minReplicas"])}: must be ≤ ${ref(["autoscaling", "maxReplicas"])}`);
  }
  for (const res of ["cpu", "memory"] as const) {
    if (cfg.resources.limits[res].value < cfg.resources.requests[res].value) {
      p.push(
        `${ref(["resources", "limits", res])}: must be ≥ ${ref(["resources", "requests", res])} (a limit below the request is rejected by Kubernetes)`,
      );
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
  for (const [name, w] of [
    ["errorRate", d.rollback.errorRate.window],
    ["latencyP99", d.rollback.latencyP99.window],
  ] as const) {
    p.push(...twoScrapes(cfg, ref, ["delivery", "rollback", name, "window"], w.seconds));
  }
  if (d.rollback.latencyP99.sustained.seconds <= d.rollback.latencyP99.window.seconds) {
    p.push(
      `${ref(["delivery", "rollback", "latencyP99", "sustained"])}: must be longer than ${ref(["delivery", "rollback", "latencyP99", "window"])}; spikes shorter than the difference are tolerated`,
    );
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

  p.push(...alertingProblems(cfg, ref));
  return p;
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
  if (pluginInstalled(cfg) && d.gatewayPlugin.sha256 === undefined) {
    return [
      `agent-platform:delivery.gatewayPlugin.sha256 is required and not set: the Argo Rollouts controller this stack installs downloads the ` +
        `Gateway API plugin ${d.gatewayPlugin.version} (linux-${d.gatewayPlugin.arch}) and must verify it; read the checksum as docs/delivery.md shows and run ` +
        `\`pulumi config set --path delivery.gatewayPlugin.sha256 <64 hex digits>\``,
    ];
  }
  return [];
}

/** Whether this stack installs the Argo Rollouts controller with the Gateway API plugin. */
export function pluginInstalled(cfg: Pick<StackConfig, "delivery">): boolean {
  const d = cfg.delivery;
  return d.installController && d.strategy === "canary" && d.trafficRouter === "gatewayApi";
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
    if (w && c && w.threshold !== undefined && c.threshold !== undefined) {
      const ok = spec.op === "<" ? w.threshold > c.threshold : w.threshold < c.threshold;
      if (!ok) {
        p.push(
          `${ref(at("warning", "threshold"))}: the warning must be less severe than the critical (${spec.op === "<" ? "above" : "below"} ${ref(at("critical", "threshold"))})`,
        );
      }
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
