// R-OBS-6: the outside-in uptime check of the public endpoint (prod): a Route 53 health
// check, a CloudWatch alarm on its status and an SNS topic that pages through the same
// PagerDuty service as the in-cluster basic probe's P0 (uptimeAlertUrl, a PagerDuty
// "Amazon CloudWatch" integration URL). Route 53 publishes health-check metrics in
// us-east-1 only, so the alarm and the topic live there (the `provider` given).
import * as cloudwatch from "@pulumi/aws/cloudwatch";
import * as kms from "@pulumi/aws/kms";
import * as route53 from "@pulumi/aws/route53";
import * as sns from "@pulumi/aws/sns";
import * as pulumi from "@pulumi/pulumi";
import { KEY_LIFECYCLE } from "../model/data/aws";
import type { StackConfig } from "../config";
import { alarmTopicKeyPolicy, healthCheckArgs, uptimeAlarmArgs, uptimeAlarmName } from "../model/observability";

export type UptimeConfig = Pick<StackConfig, "environment" | "aws" | "observability" | "uptimeAlertUrl">;

export interface UptimeArgs {
  config: UptimeConfig;
  /** The AWS provider of us-east-1. */
  provider: pulumi.ProviderResource;
}

export class UptimeCheck extends pulumi.ComponentResource {
  readonly healthCheckId: pulumi.Output<string>;

  constructor(name: string, args: UptimeArgs, opts?: pulumi.ComponentResourceOptions) {
    super("agent-platform:observability:UptimeCheck", name, {}, opts);
    const cfg = args.config;
    const there = { parent: this, provider: args.provider };
    const check = new route53.HealthCheck(`${name}-check`, healthCheckArgs(cfg), { parent: this });
    // The topic is encrypted under a key of its own that CloudWatch may use for this alarm
    // (alarmTopicKeyPolicy says why AWS's aws/sns key would not do).
    const alarmName = uptimeAlarmName(cfg);
    const key = new kms.Key(
      `${name}-key`,
      {
        description: `${alarmName}: the uptime alarm's topic`,
        ...KEY_LIFECYCLE,
        policy: JSON.stringify(alarmTopicKeyPolicy(cfg.aws.accountId!, alarmName)),
      },
      // Every key is protected (the pack's stateful-resources-protected): deleting one is
      // final once its window ends.
      { ...there, protect: true },
    );
    new kms.Alias(`${name}-key-alias`, { name: `alias/${alarmName}`, targetKeyId: key.keyId }, { ...there, deleteBeforeReplace: true });
    const topic = new sns.Topic(`${name}-alarm`, { name: alarmName, kmsMasterKeyId: key.arn }, there);
    if (cfg.uptimeAlertUrl) {
      new sns.TopicSubscription(
        `${name}-pager`,
        { topic: topic.arn, protocol: "https", endpoint: pulumi.secret(cfg.uptimeAlertUrl.reveal()), endpointAutoConfirms: true },
        there,
      );
    }
    new cloudwatch.MetricAlarm(
      `${name}-alarm`,
      { ...uptimeAlarmArgs(cfg, check.id), alarmActions: [topic.arn], okActions: [topic.arn] },
      there,
    );
    this.healthCheckId = check.id;
    this.registerOutputs({ healthCheckId: this.healthCheckId });
  }
}
