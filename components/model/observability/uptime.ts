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
    // At most 22 characters (the environment is dev, staging or prod); Route 53 allows 64.
    referenceName: `agent-platform-${cfg.environment}`,
  };
}

/** Where Route 53 publishes health-check metrics: the alarm, its topic and the topic's key live there. */
export const UPTIME_REGION = "us-east-1";

/** The alarm's name, which is also its topic's. */
export const uptimeAlarmName = (cfg: Pick<StackConfig, "environment">) => `agent-platform-${cfg.environment}-uptime`;

/**
 * The policy of the key that encrypts the alarm's topic. The account administers the key
 * through IAM (KMS's default key policy statement), and CloudWatch may use it for this
 * alarm alone: an alarm publishes to a topic under a customer-managed key only when the
 * key policy lets cloudwatch.amazonaws.com call kms:Decrypt and kms:GenerateDataKey*
 * (Amazon SNS Developer Guide, "Enable compatibility between event sources from AWS
 * services and encrypted topics"); AWS's own aws/sns key does not, so the topic needs a
 * key of its own. The source conditions keep another account's alarms from using it.
 */
export function alarmTopicKeyPolicy(accountId: string, alarmName: string) {
  return {
    Version: "2012-10-17",
    Statement: [
      { Sid: "TheAccountAdministersThroughIam", Effect: "Allow", Principal: { AWS: `arn:aws:iam::${accountId}:root` }, Action: "kms:*", Resource: "*" },
      {
        Sid: "TheUptimeAlarmPublishes",
        Effect: "Allow",
        Principal: { Service: "cloudwatch.amazonaws.com" },
        Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
        Resource: "*",
        Condition: { StringEquals: { "aws:SourceAccount": accountId }, ArnLike: { "aws:SourceArn": `arn:aws:cloudwatch:${UPTIME_REGION}:${accountId}:alarm:${alarmName}` } },
      },
    ],
  };
}

/** The alarm on the check's status (aws.cloudwatch.MetricAlarm), minus its actions. */
export function uptimeAlarmArgs<Id>(cfg: UptimeArgs, healthCheckId: Id) {
  return {
    name: uptimeAlarmName(cfg),
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
