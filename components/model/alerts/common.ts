// Shared pieces of the rule catalogue: rule types, the builder every alert goes through
// (labels, annotations, the catalogue entry with its worst-case detection time), and
// PromQL helpers. Every number comes from the stack's `alerting` settings.
import type { Duration } from "../../config/units";
import type { Priority, Severity as RuleSeverity } from "../../config/alerting";
import type { StackConfig } from "../../config/schema";
import { formatDuration } from "../format";
import { SERVICE_LABEL } from "../names";

/** A rule's severity: the configured ones (warning, critical), and "info" for the always-firing Watchdog alone. */
export type Severity = RuleSeverity | "info";
export type { Priority };

export interface RecordingRule {
  record: string;
  expr: string;
}

export interface AlertingRule {
  alert: string;
  expr: string;
  for?: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

export type Rule = RecordingRule | AlertingRule;

export interface RuleGroup {
  name: string;
  interval: string;
  rules: Rule[];
}

/**
 * How an alert detects its condition, and from that its worst-case time from the onset
 * of the condition to firing (R-AL-22), whatever the phase between scrapes and
 * evaluations:
 * - `window`: a rate, ratio, quantile or average over a window W. For any value past the
 *   threshold the window holds only post-onset samples W after the onset, the next
 *   evaluation sees it, `for` later it fires: W + evaluation + for.
 * - `gauge`: an instant value. Its first post-onset sample is at most one scrape after
 *   the onset: scrape + evaluation + for.
 * - `probe`: N tolerated consecutive failures of a probe every P: the first failed sample
 *   is at most P after the onset and `for` is N × P: (N + 1) × P + evaluation.
 * - `burn`: the longest window of the burn-rate pairs, as `window`.
 */
export type DetectionKind = "window" | "gauge" | "probe" | "burn" | "always";

export interface Detection {
  kind: DetectionKind;
  /** Seconds: the window, the scrape interval or the probe interval, by kind. */
  basis: number;
  /** Seconds of `for`. */
  forSeconds: number;
  /** Worst case from onset to firing, seconds. */
  worstSeconds: number;
  /** The sum, in words, as docs/alerts.md prints it. */
  formula: string;
}

/** One row of the catalogue: an alert rule with the requirement it proves. */
export interface CatalogueEntry {
  requirement: string;
  alert: string;
  severity: Severity;
  priority: Priority;
  group: string;
  /** What is measured, in words (docs/alerts.md). */
  signal: string;
  /** The condition, in words, with this stack's threshold. */
  condition: string;
  for: string;
  detection: Detection;
  rule: AlertingRule;
}

export type AlertArgs = Pick<StackConfig, "namespace" | "alerting" | "monitoring" | "backups" | "observability">;

export type Format = "percent" | "seconds" | "number" | "times";

/** A window as PromQL and recording-rule names write it ("1m", "1h", "1d"). */
export const win = (d: Duration | number): string => formatDuration(typeof d === "number" ? d : d.seconds);

/** Matches a histogram bucket both as Prometheus 2 ("1") and 3 ("1.0") store it. */
export function leMatcher(v: number): string {
  const s = String(v);
  return Number.isInteger(v) ? `le=~"${s}(\\\\.0)?"` : `le="${s}"`;
}

export function valueText(format: Format): string {
  switch (format) {
    case "percent":
      return "{{ $value | humanizePercentage }}";
    case "seconds":
      return '{{ $value | printf "%.3f" }}s';
    case "times":
      return '{{ $value | printf "%.2f" }}×';
    default:
      return '{{ $value | printf "%.2f" }}';
  }
}

export function thresholdText(v: number, format: Format): string {
  switch (format) {
    case "percent":
      return `${+(v * 100).toPrecision(4)}%`;
    case "seconds":
      return `${v}s`;
    case "times":
      return `${v}×`;
    default:
      return String(v);
  }
}

/** Collects the recording rules of one group, each defined once. */
export class Recorder {
  readonly rules: RecordingRule[] = [];
  private readonly seen = new Set<string>();

  /** Records `expr` as `record` (once) and returns the name to use in alert expressions. */
  add(record: string, expr: string): string {
    if (!this.seen.has(record)) {
      this.seen.add(record);
      this.rules.push({ record, expr });
    }
    return record;
  }
}

export interface AlertSpec {
  requirement: string;
  alert: string;
  severity: Severity;
  priority: Priority;
  signal: string;
  /** PromQL whose value is the measured signal. */
  value: string;
  op: ">" | "<" | "==";
  threshold: number;
  format: Format;
  for: Duration;
  detection: Omit<Detection, "worstSeconds" | "formula" | "forSeconds">;
  /** Appended with `and on(...)`: volume guards and the like. */
  guard?: { on: string; expr: string };
  /** Labels for series that carry no `service` (kube, probe, process series). */
  staticService?: boolean;
  /** Extra static labels (e.g. the SLO name, the probe layer). */
  labels?: Record<string, string>;
  summary: string;
  /** Where the value is, for the description ("on pod {{ $labels.pod }}"). */
  where: string;
  /** Full expression override (SLO alerts, probes, absent()). */
  expr?: string;
  condition?: string;
  /** Description override where the value is not the signal (absent(), probes). */
  description?: string;
}

const basisName: Record<DetectionKind, string> = {
  window: "window",
  gauge: "scrape",
  probe: "probe interval",
  burn: "longest burn window",
  always: "",
};

/** Worst-case onset-to-firing time of a detection (see DetectionKind). */
export function worstCase(d: Omit<Detection, "worstSeconds" | "formula">, evaluationSeconds: number, tolerated = 0): Detection {
  if (d.kind === "always") return { ...d, worstSeconds: 0, formula: "always firing" };
  if (d.kind === "probe") {
    const n = tolerated + 1;
    return {
      ...d,
      worstSeconds: n * d.basis + evaluationSeconds,
      formula: `${n} × ${win(d.basis)} probe interval + ${win(evaluationSeconds)} evaluation`,
    };
  }
  return {
    ...d,
    worstSeconds: d.basis + evaluationSeconds + d.forSeconds,
    formula: `${win(d.basis)} ${basisName[d.kind]} + ${win(evaluationSeconds)} evaluation + ${win(d.forSeconds)} for`,
  };
}

/** Builds alert rules and their catalogue entries for one stack. */
export class AlertBuilder {
  readonly entries: CatalogueEntry[] = [];

  constructor(
    private readonly cfg: AlertArgs,
    private readonly group: string,
  ) {}

  add(s: AlertSpec, tolerated = 0): AlertingRule {
    const expr = s.expr ?? `${s.value} ${s.op} ${s.threshold}${s.guard ? ` and on(${s.guard.on}) ${s.guard.expr}` : ""}`;
    const cond = s.condition ?? `${s.op} ${thresholdText(s.threshold, s.format)}`;
    const forText = win(s.for.seconds);
    const rule: AlertingRule = {
      alert: s.alert,
      expr,
      ...(s.for.seconds > 0 ? { for: forText } : {}),
      labels: {
        severity: s.severity,
        priority: s.priority,
        ...(s.staticService ? { service: SERVICE_LABEL } : {}),
        ...(s.labels ?? {}),
      },
      annotations: {
        summary: s.summary,
        description:
          s.description ??
          `${s.signal} is ${valueText(s.format)} ${s.where} (${s.severity} when ${cond}${s.for.seconds > 0 ? ` for ${forText}` : ""}).`,
        runbook_url: `${this.cfg.alerting.runbookBaseUrl}/${s.alert}.md`,
      },
    };
    this.entries.push({
      requirement: s.requirement,
      alert: s.alert,
      severity: s.severity,
      priority: s.priority,
      group: this.group,
      signal: s.signal,
      condition: cond,
      for: forText,
      detection: worstCase({ ...s.detection, forSeconds: s.for.seconds }, this.cfg.alerting.evaluationInterval.seconds, tolerated),
      rule,
    });
    return rule;
  }
}

/** A group of the catalogue: its recording rules first, then its alerts, evaluated together. */
export interface GroupBuild {
  group: RuleGroup;
  entries: CatalogueEntry[];
}

export function group(cfg: AlertArgs, name: string, rec: Recorder, alerts: AlertBuilder): GroupBuild {
  return {
    group: { name, interval: cfg.alerting.evaluationInterval.text, rules: [...rec.rules, ...alerts.entries.map((e) => e.rule)] },
    entries: alerts.entries,
  };
}

export const BY = "namespace, service";
export const nsSel = (cfg: AlertArgs) => `namespace="${cfg.namespace}"`;
export const sumRate = (sel: string, w: string) => `sum by (${BY}) (rate(${sel}[${w}]))`;
/** bad/all with an explicit 0 when there is traffic but no bad series yet. */
export const ratioExpr = (bad: string, all: string, w: string) =>
  `(${sumRate(bad, w)} or on(${BY}) (0 * ${sumRate(all, w)})) / ${sumRate(all, w)}`;
export const SVC_WHERE = "on {{ $labels.service }}";
export const POD_WHERE = "on pod {{ $labels.pod }}";
