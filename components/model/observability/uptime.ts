// R-OBS-6: prod's public endpoint checked from outside the cluster. Route 53 health
// checkers in `regions` request the URL every `requestInterval` seconds; one calls it
// unhealthy after `failureThreshold` failures in a row, and the check is unhealthy when
// more than 18 % of checkers say so (Route 53 Developer Guide, "How Route 53 determines
// whether a health check is healthy"). Its status is the CloudWatch metric
// AWS/Route53 HealthCheckStatus (1 healthy, 0 not; published in us-east-1 only, one-minute
// resolution), which an alarm watches and sends to the P0 pager.
import type { StackConfig } from "../../config/schema";

export type UptimeArgs = Pick<StackConfig, "environment" | "observability">;

/** Route 53's metric resolution: one data point a minute. */
const METRIC_PERIOD_SECONDS = 60;

/** The health check's arguments (aws.route53.HealthCheck). */
export function healthCheckArgs(cfg: UptimeArgs) {
  const u = cfg.observability.uptime;
  const url = new URL(u.url!);
  return {
    type: "HTTPS",
    fqdn: url.hostname,
    port: url.port ? Number(url.port) : 443,
    resourcePath: `${url.pathname}${url.search}`,
    requestInterval: u.requestInterval,
    failureThreshold: u.failureThreshold,
    regions: u.regions,
    measureLatency: true,
    enableSni: true,
    referenceName: `agent-platform-${cfg.environment}`.slice(0, 64),
  };
}

/** The alarm on the check's status (aws.cloudwatch.MetricAlarm), minus its actions. */
export function uptimeAlarmArgs<Id>(cfg: UptimeArgs, healthCheckId: Id) {
  return {
    name: `agent-platform-${cfg.environment}-uptime`,
    alarmDescription: `R-OBS-6: ${cfg.observability.uptime.url} is failing from outside the cluster (Route 53 health check). Runbook: docs/observability.md, "The outside-in uptime check"`,
    namespace: "AWS/Route53",
    metricName: "HealthCheckStatus",
    dimensions: { HealthCheckId: healthCheckId },
    statistic: "Minimum",
    period: METRIC_PERIOD_SECONDS,
    evaluationPeriods: 1,
    threshold: 1,
    comparisonOperator: "LessThanThreshold",
    // No data from Route 53 is no proof of health.
    treatMissingData: "breaching",
  };
}

/** Worst case from the endpoint failing to the alarm: the checkers' failures in a row, then one metric period. */
export function uptimeDetectionSeconds(cfg: UptimeArgs): number {
  const u = cfg.observability.uptime;
  return u.failureThreshold * u.requestInterval + METRIC_PERIOD_SECONDS;
}
