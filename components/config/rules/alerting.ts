// Cross-field rules of alerting (R-AL, R-ENV-12): a warning less severe than its
// critical, priorities in step with severity, windows of two scrapes, latency thresholds
// inside the histograms.
import { SIGNALS, SIGNAL_KEYS, Severity } from "../alerting";
import type { Path } from "../messages";
import type { StackConfig } from "../schema";
import { Ref, twoScrapes } from "./common";

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

/** Rules among the alert rules, their SLOs and histograms. */
export function alertingProblems(cfg: StackConfig, ref: Ref): string[] {
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

