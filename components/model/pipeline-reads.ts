// What the pipeline's roles read (R-CI-6), and what the prod deploy role may do for the
// outside-in uptime check (R-OBS-6): a Route 53 health check, and a CloudWatch alarm and an
// SNS topic in us-east-1, where Route 53 publishes its metrics. Creating a health check is
// an action no resource can scope ("*", Service Authorization Reference for Route 53).
import { UPTIME_REGION } from "./observability/uptime";

/** Read calls `pulumi preview` and the refresh of `pulumi up` make; none reads an object, a secret or a key's material. */
export const READ_ACTIONS = [
  "ec2:DescribeSecurityGroups",
  "ec2:DescribeSecurityGroupRules",
  "ec2:DescribeVpcs",
  "ec2:DescribeSubnets",
  "ec2:DescribeNetworkInterfaces",
  "rds:DescribeDBInstances",
  "rds:DescribeDBSubnetGroups",
  "rds:DescribeDBParameterGroups",
  "rds:DescribeDBParameters",
  "rds:DescribeDBSnapshots",
  "rds:DescribeDBInstanceAutomatedBackups",
  "rds:ListTagsForResource",
  "kms:DescribeKey",
  "kms:GetKeyPolicy",
  "kms:GetKeyRotationStatus",
  "kms:ListAliases",
  "kms:ListResourceTags",
  "iam:GetRole",
  "iam:GetRolePolicy",
  "iam:ListRolePolicies",
  "iam:ListAttachedRolePolicies",
  "iam:ListRoleTags",
  "iam:GetOpenIDConnectProvider",
  "s3:GetBucketPolicy",
  "s3:GetBucketVersioning",
  "s3:GetEncryptionConfiguration",
  "s3:GetLifecycleConfiguration",
  "s3:GetBucketLogging",
  "s3:GetBucketPublicAccessBlock",
  "s3:GetBucketOwnershipControls",
  "s3:GetBucketTagging",
  "s3:GetBucketLocation",
  "s3:GetBucketObjectLockConfiguration",
  "s3:GetReplicationConfiguration",
  "s3:ListAllMyBuckets",
  "ecr:DescribeRepositories",
  "ecr:DescribeImages",
  "sts:GetCallerIdentity",
  // The outside-in uptime check (R-OBS-6).
  "route53:GetHealthCheck",
  "route53:GetHealthCheckStatus",
  "route53:ListTagsForResource",
  "cloudwatch:DescribeAlarms",
  "cloudwatch:ListTagsForResource",
  "sns:GetTopicAttributes",
  "sns:GetSubscriptionAttributes",
  "sns:ListTagsForResource",
];

/** The deploy role's statements for the uptime check (prod), by the stack's name prefix. */
export function uptimeStatements(base: string, accountId: string): Array<Record<string, unknown>> {
  return [
    { Sid: "CreateTheStacksHealthCheck", Effect: "Allow", Action: "route53:CreateHealthCheck", Resource: "*" },
    { Sid: "TheStacksHealthCheck", Effect: "Allow", Action: ["route53:UpdateHealthCheck", "route53:DeleteHealthCheck", "route53:ChangeTagsForResource"], Resource: "arn:aws:route53:::healthcheck/*" },
    {
      Sid: "TheStacksUptimeAlarm",
      Effect: "Allow",
      Action: ["cloudwatch:PutMetricAlarm", "cloudwatch:DeleteAlarms", "cloudwatch:TagResource", "cloudwatch:UntagResource"],
      Resource: `arn:aws:cloudwatch:${UPTIME_REGION}:${accountId}:alarm:${base}-*`,
    },
    {
      Sid: "TheStacksUptimeTopic",
      Effect: "Allow",
      Action: ["sns:CreateTopic", "sns:DeleteTopic", "sns:SetTopicAttributes", "sns:Subscribe", "sns:Unsubscribe", "sns:TagResource", "sns:UntagResource"],
      Resource: `arn:aws:sns:${UPTIME_REGION}:${accountId}:${base}-*`,
    },
  ];
}
