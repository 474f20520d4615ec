// HTTP golden signals (R-AL-1..4, R-AL-18): error ratio, latency quantiles and traffic,
// each over the window its rule names, with the minimum-volume guard (R-AL-23).
import type { RuleSettings } from "../../config/alerting";
import { AlertArgs, AlertBuilder, BY, GroupBuild, Recorder, SVC_WHERE, group, nsSel, ratioExpr, sumRate, win } from "./common";

export const HTTP_GROUP = "agent-platform.http";

const QUANTILES = { p50: "0.5", p95: "0.95", p99: "0.99" } as const;

/** The recording rules of the HTTP signals, created on demand per window. */
export class HttpSeries {
  constructor(
    private readonly cfg: AlertArgs,
    private readonly rec: Recorder,
  ) {}

  requests(w: string): string {
    return this.rec.add(`service:http_requests:rate${w}`, sumRate(`http_requests_total{${nsSel(this.cfg)}}`, w));
  }

  errorRatio(w: string): string {
    const ns = nsSel(this.cfg);
    return this.rec.add(`service:http_error_ratio:rate${w}`, ratioExpr(`http_requests_total{${ns},code=~"5.."}`, `http_requests_total{${ns}}`, w));
  }

  quantile(q: keyof typeof QUANTILES, w: string): string {
    return this.rec.add(
      `service:http_request_duration_seconds:${q}_rate${w}`,
      `histogram_quantile(${QUANTILES[q]}, sum by (${BY}, le) (rate(http_request_duration_seconds_bucket{${nsSel(this.cfg)}}[${w}])))`,
    );
  }

  /** Guard: enough requests in the window for a ratio or quantile to mean something. */
  guard(w: string) {
    return { on: BY, expr: `${this.requests(w)} >= ${this.cfg.alerting.guards.requestsPerSecond}` };
  }
}

export function httpGroup(cfg: AlertArgs): GroupBuild {
  const rules = cfg.alerting.rules;
  const rec = new Recorder();
  const http = new HttpSeries(cfg, rec);
  const alerts = new AlertBuilder(cfg, HTTP_GROUP);
  const windowed = (r: RuleSettings) => ({ kind: "window" as const, basis: r.window!.seconds });

  for (const sev of ["warning", "critical"] as const) {
    const r = rules.errorRate[sev];
    const w = win(r.window!);
    alerts.add({
      requirement: "R-AL-1", alert: "HighErrorRate", severity: sev, priority: r.priority,
      signal: `HTTP 5xx ratio over ${w}`, value: http.errorRatio(w), op: ">", threshold: r.threshold!, format: "percent",
      for: r.for!, detection: windowed(r), guard: http.guard(w),
      summary: sev === "critical" ? "HTTP error rate critical: users are failing" : "Elevated HTTP error rate", where: SVC_WHERE,
    });
  }
  const latency = (requirement: string, alert: string, q: keyof typeof QUANTILES, sev: "warning" | "critical", r: RuleSettings, summary: string) => {
    const w = win(r.window!);
    alerts.add({
      requirement, alert, severity: sev, priority: r.priority,
      signal: `${q} request latency over ${w}`, value: http.quantile(q, w), op: ">", threshold: r.threshold!, format: "seconds",
      for: r.for!, detection: windowed(r), guard: http.guard(w), summary, where: SVC_WHERE,
    });
  };
  latency("R-AL-2", "HighLatencyP95", "p95", "warning", rules.latencyP95.warning, "p95 latency above target");
  latency("R-AL-3", "HighLatencyP99", "p99", "critical", rules.latencyP99.critical, "p99 latency critical");
  for (const sev of ["warning", "critical"] as const) {
    latency("R-AL-4", "SlowResponseTime", "p50", sev, rules.responseTimeP50[sev], "Typical requests are slow");
  }

  // R-AL-18: z-score of the request rate against its own history. A flat history has no
  // deviation to divide by: below a minimum relative deviation no z-score is recorded.
  const b = cfg.alerting.baselines;
  for (const sev of ["warning", "critical"] as const) {
    const r = rules.trafficAnomaly[sev];
    const w = win(r.window!);
    const h = win(b.trafficHistory);
    const rate = `${http.requests(w)}{${nsSel(cfg)}}`;
    const z = rec.add(
      `service:http_requests_rate${w}:zscore${h}`,
      `(${rate} - avg_over_time(${rate}[${h}])) / stddev_over_time(${rate}[${h}])` +
        ` and on(${BY}) stddev_over_time(${rate}[${h}]) > ${b.trafficMinRelativeDeviation} * avg_over_time(${rate}[${h}])` +
        ` and on(${BY}) count_over_time(${rate}[${h}]) >= ${Math.ceil(b.trafficMinHistory.seconds / cfg.alerting.evaluationInterval.seconds)}`,
    );
    alerts.add({
      requirement: "R-AL-18", alert: "TrafficAnomaly", severity: sev, priority: r.priority,
      signal: `request-rate (${w}) z-score against the last ${h}`, value: `abs(${z})`, op: ">", threshold: r.threshold!, format: "number",
      for: r.for!, detection: windowed(r),
      guard: { on: BY, expr: `avg_over_time(${rate}[${h}]) >= ${cfg.alerting.guards.requestsPerSecond}` },
      summary: "Request rate far outside its usual range", where: SVC_WHERE,
    });
  }
  return group(cfg, HTTP_GROUP, rec, alerts);
}
