// Logs and the telemetry pipeline (R-OBS-2, R-OBS-4). The log agent's count connector
// turns the platform's log records into counters (components/model/observability/
// collector.ts: logCounters), so the log-based alerts are Prometheus rules like every
// other, routed by the same Alertmanager and tested with promtool. The pipeline alerts read
// the collectors' own metrics (service.telemetry; the names gained `_total` on counters when
// the collector moved to the OpenTelemetry Go SDK's Prometheus exporter, so both spellings
// are matched) and kubelet's volume statistics of Loki's and Tempo's volumes.
import { LOG_METRICS } from "../observability/names";
import { AlertArgs, AlertBuilder, GroupBuild, Recorder, group, win } from "./common";

export const OBSERVABILITY_GROUP = "agent-platform.observability";

const ALL = "platform";
const where = "(the platform's logs)";

export function observabilityGroup(cfg: AlertArgs): GroupBuild {
  const rules = cfg.alerting.rules;
  const rec = new Recorder();
  const alerts = new AlertBuilder(cfg, OBSERVABILITY_GROUP);
  const o = cfg.observability;
  const rate = (m: string, w: string) => `sum(rate(${m}[${w}]))`;
  const windowed = (seconds: number) => ({ kind: "window" as const, basis: seconds });

  for (const sev of ["warning", "critical"] as const) {
    const r = rules.logErrors[sev];
    const w = win(r.window!);
    alerts.add({
      requirement: "R-OBS-2", alert: "LogErrorRateHigh", severity: sev, priority: r.priority,
      signal: `share of the platform's log records at error or fatal over ${w}`,
      value: rec.add(`${ALL}:log_error_ratio:rate${w}`, `${rate(LOG_METRICS.errors, w)} / ${rate(LOG_METRICS.records, w)}`),
      op: ">", threshold: r.threshold!, format: "percent", for: r.for!, detection: windowed(r.window!.seconds), staticService: true,
      summary: sev === "critical" ? "The platform logs errors on a large share of its records" : "The platform logs more errors than usual", where,
    });
  }
  {
    const r = rules.logFatal.critical;
    const w = win(r.window!);
    const m = LOG_METRICS.fatal;
    // A counter is born with its first fatal record: increase() needs two samples, so a
    // series younger than the window counts with its whole value.
    alerts.add({
      requirement: "R-OBS-2", alert: "PlatformFatalErrors", severity: "critical", priority: r.priority,
      signal: `fatal and unhandled-error log records over ${w}`,
      value: rec.add(`${ALL}:log_fatal:increase${w}`, `(sum(increase(${m}[${w}])) or vector(0)) + (sum(${m} unless ${m} offset ${w}) or vector(0))`),
      op: ">", threshold: r.threshold!, format: "number", for: r.for!, detection: windowed(r.window!.seconds), staticService: true,
      summary: "The platform logged a fatal or unhandled error", where,
    });
  }
  {
    const r = rules.authFailures.warning;
    const w = win(r.window!);
    alerts.add({
      requirement: "R-OBS-2", alert: "AuthenticationFailuresHigh", severity: "warning", priority: r.priority,
      signal: `authentication failures per second over ${w}`,
      value: rec.add(`${ALL}:log_auth_failures:rate${w}`, rate(LOG_METRICS.authFailures, w)),
      op: ">", threshold: r.threshold!, format: "number", for: r.for!, detection: windowed(r.window!.seconds), staticService: true,
      summary: "Many failed logins, API keys or tokens: a broken client, or someone guessing", where,
    });
  }
  for (const sev of ["warning", "critical"] as const) {
    const r = rules.dbConnectionErrors[sev];
    const w = win(r.window!);
    alerts.add({
      requirement: "R-OBS-2", alert: "DatabaseConnectionErrors", severity: sev, priority: r.priority,
      signal: `database connection errors per second over ${w}`,
      value: rec.add(`${ALL}:log_db_connection_errors:rate${w}`, rate(LOG_METRICS.dbConnectionErrors, w)),
      op: ">", threshold: r.threshold!, format: "number", for: r.for!, detection: windowed(r.window!.seconds), staticService: true,
      summary: sev === "critical" ? "The platform cannot reach its database" : "The platform's database connections are failing", where,
    });
  }

  // R-OBS-4: the pipeline.
  const nsRe = `namespace=~"${o.namespace}|${o.agentNamespace}"`;
  {
    const r = rules.telemetryDropped.warning;
    const w = win(r.window!);
    const lost = `{__name__=~"otelcol_(exporter_send_failed|exporter_enqueue_failed|receiver_refused)_(log_records|spans)(_total)?",${nsRe}}`;
    alerts.add({
      requirement: "R-OBS-4", alert: "TelemetryDropped", severity: "warning", priority: r.priority,
      signal: `log records and spans the collectors failed to send or refused, per second over ${w}`,
      value: rec.add(`telemetry:lost_records:rate${w}`, `sum(rate(${lost}[${w}]))`),
      op: ">", threshold: r.threshold!, format: "number", for: r.for!, detection: windowed(r.window!.seconds), staticService: true,
      summary: "Logs or traces are being lost on their way to Loki or Tempo", where: "(the collectors)",
    });
  }
  {
    const r = rules.telemetryQueue.warning;
    const sel = `{${nsRe}}`;
    alerts.add({
      requirement: "R-OBS-4", alert: "TelemetryQueueFilling", severity: "warning", priority: r.priority,
      signal: "fill of the fullest exporter sending queue",
      value: rec.add("telemetry:exporter_queue_fill:max", `max(otelcol_exporter_queue_size${sel} / otelcol_exporter_queue_capacity${sel})`),
      op: ">", threshold: r.threshold!, format: "percent", for: r.for!, detection: { kind: "gauge", basis: cfg.monitoring.scrapeInterval.seconds }, staticService: true,
      summary: "A collector queues telemetry its backend does not take: it will drop when full", where: "(the collectors)",
    });
  }
  for (const sev of ["warning", "critical"] as const) {
    const r = rules.telemetryStorage[sev];
    const sel = `{namespace="${o.namespace}"}`;
    alerts.add({
      requirement: "R-OBS-4", alert: "TelemetryStorageFilling", severity: sev, priority: r.priority,
      signal: "usage of the fullest Loki or Tempo volume",
      value: rec.add("telemetry:volume_usage:max", `max(kubelet_volume_stats_used_bytes${sel} / kubelet_volume_stats_capacity_bytes${sel})`),
      op: ">", threshold: r.threshold!, format: "percent", for: r.for!, detection: { kind: "gauge", basis: cfg.monitoring.scrapeInterval.seconds }, staticService: true,
      summary: sev === "critical" ? "Loki's or Tempo's volume is nearly full: ingestion stops when it is" : "Loki's or Tempo's volume is filling", where: `(${o.namespace})`,
    });
  }
  return group(cfg, OBSERVABILITY_GROUP, rec, alerts);
}
