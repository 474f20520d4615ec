// The pipeline's cloud identity (R-CI-6) as plain IAM documents: GitHub's OIDC tokens are
// exchanged for a role per stack and purpose, and the role's trust names the one job that
// may assume it by the token's `sub` claim:
// - deploy, `repo:<owner>/<repo>:environment:<stack>`: only a job that runs in the stack's
//   GitHub environment (prod's has required reviewers), so a pull request's code cannot;
// - preview, `repo:<owner>/<repo>:pull_request`: read-only, no object reads, no secrets.
// GitHub writes `sub` as documented in "About security hardening with OpenID Connect"
// (docs.github.com: example subject claims; a job with an environment gets the
// environment form, a pull_request event the pull_request form). The deploy policy names
// what this program declares in the stack's account, by name prefix or by the stack's
// `environment` tag (the AWS provider's defaultTags), and nothing else; actions that no
// resource can scope (the Describe and List calls, creating a key) take "*" only with a
// request-tag condition where AWS offers one.
import { READ_ACTIONS, uptimeStatements } from "./pipeline-reads";
import { APP_NAME } from "./names";

export const GITHUB_OIDC_HOST = "token.actions.githubusercontent.com";
export const GITHUB_OIDC_URL = `https://${GITHUB_OIDC_HOST}`;
const STS = "sts.amazonaws.com";

export interface PolicyDocument {
  Version: "2012-10-17";
  Statement: Array<Record<string, unknown>>;
}
const doc = (...Statement: Array<Record<string, unknown>>): PolicyDocument => ({ Version: "2012-10-17", Statement });

/** The names the workflows assume (.github/workflows: pulumi-up.yml, preview.yml). */
export const pipelineRoleName = (stack: string, purpose: "deploy" | "preview") => `${APP_NAME}-${stack}-${purpose}`;

/** The `sub` a role trusts: the stack's environment (deploy) or any pull request of the repository (preview). */
export function pipelineSubject(repository: string, stack: string, purpose: "deploy" | "preview"): string {
  return purpose === "deploy" ? `repo:${repository}:environment:${stack}` : `repo:${repository}:pull_request`;
}

/** Trust in GitHub's OIDC provider, for one subject, with the STS audience. */
export function githubTrustPolicy(providerArn: string, subject: string): PolicyDocument {
  return doc({
    Effect: "Allow",
    Principal: { Federated: providerArn },
    Action: "sts:AssumeRoleWithWebIdentity",
    Condition: { StringEquals: { [`${GITHUB_OIDC_HOST}:aud`]: STS, [`${GITHUB_OIDC_HOST}:sub`]: subject } },
  });
}

interface Scope {
  stack: string;
  accountId: string;
  region: string;
}

/** The permissions boundary of the stack's roles, declared by the bootstrap stack. */
export const boundaryName = (stack: string) => `${APP_NAME}-${stack}-boundary`;
const boundaryArn = (s: Scope) => `arn:aws:iam::${s.accountId}:policy/${boundaryName(s.stack)}`;

/**
 * The most any role of the stack may do (R-CI-6): what its workloads' roles need (the
 * export and restore jobs and the backup workflow in the stack's buckets, through its key;
 * RDS enhanced monitoring's log groups). A role's own policy grants less; this caps it.
 */
export function boundaryPolicy(s: Scope): PolicyDocument {
  const base = `${APP_NAME}-${s.stack}`;
  return doc(
    {
      Sid: "TheStacksBuckets",
      Effect: "Allow",
      Action: [
        "s3:GetObject",
        "s3:GetObjectVersion",
        "s3:PutObject",
        "s3:DeleteObject",
        "s3:ListBucket",
        "s3:GetBucketLocation",
        // S3 replication to the second region (R-DATA-8).
        "s3:GetReplicationConfiguration",
        "s3:GetObjectVersionForReplication",
        "s3:GetObjectVersionAcl",
        "s3:GetObjectVersionTagging",
        "s3:GetObjectRetention",
        "s3:GetObjectLegalHold",
        "s3:ReplicateObject",
        "s3:ReplicateDelete",
        "s3:ReplicateTags",
        "s3:ObjectOwnerOverrideToBucketOwner",
      ],
      Resource: [`arn:aws:s3:::${base}-*`, `arn:aws:s3:::${base}-*/*`],
    },
    {
      Sid: "TheStacksKeys",
      Effect: "Allow",
      Action: ["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey", "kms:DescribeKey"],
      // Any region: the second region's key is the stack's too (R-DATA-8).
      Resource: `arn:aws:kms:*:${s.accountId}:key/*`,
      Condition: { StringEquals: { "aws:ResourceTag/environment": s.stack } },
    },
    {
      // What the AWS-managed AmazonRDSEnhancedMonitoringRole grants: RDS's log groups only.
      Sid: "RdsEnhancedMonitoring",
      Effect: "Allow",
      Action: ["logs:CreateLogGroup", "logs:PutRetentionPolicy", "logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams", "logs:GetLogEvents"],
      Resource: [`arn:aws:logs:*:${s.accountId}:log-group:RDS*`, `arn:aws:logs:*:${s.accountId}:log-group:RDS*:log-stream:*`],
    },
  );
}

/** The preview role's policy: the read calls above, nothing else. */
export function previewPolicy(): PolicyDocument {
  return doc({ Sid: "ReadWhatTheStackDeclares", Effect: "Allow", Action: READ_ACTIONS, Resource: "*" });
}

/** The deploy role's policy: what the stack's program declares in its account, by name or tag. */
export function deployPolicy(s: Scope): PolicyDocument {
  const base = `${APP_NAME}-${s.stack}`;
  const tagged = { StringEquals: { "aws:ResourceTag/environment": s.stack } };
  const requestTagged = { StringEquals: { "aws:RequestTag/environment": s.stack } };
  const rds = (type: string) => `arn:aws:rds:*:${s.accountId}:${type}:${base}-*`;
  return doc(
    { Sid: "Read", Effect: "Allow", Action: READ_ACTIONS, Resource: "*" },
    // A key is created untagged by name; the request must carry the stack's tag.
    { Sid: "CreateTheStacksKey", Effect: "Allow", Action: ["kms:CreateKey", "kms:TagResource"], Resource: "*", Condition: requestTagged },
    {
      Sid: "ManageTheStacksKey",
      Effect: "Allow",
      Action: [
        "kms:EnableKeyRotation",
        "kms:PutKeyPolicy",
        "kms:UpdateKeyDescription",
        "kms:ScheduleKeyDeletion",
        "kms:UntagResource",
        "kms:CreateGrant",
        "kms:Encrypt",
        "kms:Decrypt",
        "kms:GenerateDataKey",
      ],
      Resource: `arn:aws:kms:*:${s.accountId}:key/*`,
      Condition: tagged,
    },
    {
      Sid: "TheStacksKeyAlias",
      Effect: "Allow",
      Action: ["kms:CreateAlias", "kms:UpdateAlias", "kms:DeleteAlias"],
      Resource: [`arn:aws:kms:*:${s.accountId}:alias/${base}-*`, `arn:aws:kms:*:${s.accountId}:key/*`],
    },
    {
      Sid: "TheStacksDatabase",
      Effect: "Allow",
      Action: [
        "rds:CreateDBInstance",
        "rds:ModifyDBInstance",
        "rds:DeleteDBInstance",
        "rds:CreateDBSubnetGroup",
        "rds:ModifyDBSubnetGroup",
        "rds:DeleteDBSubnetGroup",
        "rds:CreateDBParameterGroup",
        "rds:ModifyDBParameterGroup",
        "rds:DeleteDBParameterGroup",
        "rds:CreateDBSnapshot",
        "rds:StartDBInstanceAutomatedBackupsReplication",
        "rds:StopDBInstanceAutomatedBackupsReplication",
        "rds:AddTagsToResource",
        "rds:RemoveTagsFromResource",
      ],
      Resource: [rds("db"), rds("subgrp"), rds("pg"), rds("snapshot"), `arn:aws:rds:*:${s.accountId}:auto-backup:*`],
    },
    {
      Sid: "TheStacksSecurityGroup",
      Effect: "Allow",
      Action: ["ec2:CreateSecurityGroup", "ec2:CreateTags"],
      Resource: [`arn:aws:ec2:${s.region}:${s.accountId}:security-group/*`, `arn:aws:ec2:${s.region}:${s.accountId}:vpc/*`],
      Condition: requestTagged,
    },
    {
      Sid: "ManageTheStacksSecurityGroup",
      Effect: "Allow",
      Action: [
        "ec2:AuthorizeSecurityGroupIngress",
        "ec2:AuthorizeSecurityGroupEgress",
        "ec2:RevokeSecurityGroupIngress",
        "ec2:RevokeSecurityGroupEgress",
        "ec2:ModifySecurityGroupRules",
        "ec2:DeleteSecurityGroup",
        "ec2:DeleteTags",
      ],
      Resource: `arn:aws:ec2:${s.region}:${s.accountId}:security-group/*`,
      Condition: tagged,
    },
    {
      // Roles only under the stack's permissions boundary: whatever policy the deploy role
      // writes into a role, the role can do no more than the boundary allows, so creating
      // a role is no way to more power than the stack's workloads have.
      Sid: "TheStacksRolesUnderItsBoundary",
      Effect: "Allow",
      Action: ["iam:CreateRole", "iam:PutRolePolicy", "iam:DeleteRolePolicy", "iam:AttachRolePolicy", "iam:DetachRolePolicy", "iam:PutRolePermissionsBoundary"],
      Resource: `arn:aws:iam::${s.accountId}:role/${base}-*`,
      Condition: { StringEquals: { "iam:PermissionsBoundary": boundaryArn(s) } },
    },
    {
      Sid: "TheStacksRoles",
      Effect: "Allow",
      Action: ["iam:DeleteRole", "iam:UpdateAssumeRolePolicy", "iam:TagRole", "iam:UntagRole"],
      Resource: `arn:aws:iam::${s.accountId}:role/${base}-*`,
    },
    {
      // The pipeline's own roles match the stack's prefix: they are the bootstrap stack's alone.
      Sid: "NotThePipelinesOwnRoles",
      Effect: "Deny",
      Action: [
        "iam:CreateRole",
        "iam:DeleteRole",
        "iam:UpdateAssumeRolePolicy",
        "iam:PutRolePolicy",
        "iam:DeleteRolePolicy",
        "iam:AttachRolePolicy",
        "iam:DetachRolePolicy",
        "iam:PutRolePermissionsBoundary",
        "iam:DeleteRolePermissionsBoundary",
        "iam:TagRole",
        "iam:UntagRole",
      ],
      Resource: [`arn:aws:iam::${s.accountId}:role/${pipelineRoleName(s.stack, "deploy")}`, `arn:aws:iam::${s.accountId}:role/${pipelineRoleName(s.stack, "preview")}`],
    },
    {
      // Enhanced monitoring: RDS assumes the stack's monitoring role; nothing else is passed.
      Sid: "PassTheMonitoringRoleToRds",
      Effect: "Allow",
      Action: "iam:PassRole",
      Resource: `arn:aws:iam::${s.accountId}:role/${base}-rds-monitoring-*`,
      Condition: { StringEquals: { "iam:PassedToService": "monitoring.rds.amazonaws.com" } },
    },
    {
      // S3 replication to the second region assumes the stack's replication role.
      Sid: "PassTheReplicationRoleToS3",
      Effect: "Allow",
      Action: "iam:PassRole",
      Resource: `arn:aws:iam::${s.accountId}:role/${base}-replication-*`,
      Condition: { StringEquals: { "iam:PassedToService": "s3.amazonaws.com" } },
    },
    {
      Sid: "TheStacksBuckets",
      Effect: "Allow",
      Action: [
        "s3:CreateBucket",
        "s3:DeleteBucket",
        "s3:PutBucketPolicy",
        "s3:DeleteBucketPolicy",
        "s3:PutBucketVersioning",
        "s3:PutEncryptionConfiguration",
        "s3:PutLifecycleConfiguration",
        "s3:PutBucketLogging",
        "s3:PutBucketPublicAccessBlock",
        "s3:PutBucketOwnershipControls",
        "s3:PutBucketTagging",
        "s3:PutBucketObjectLockConfiguration",
        "s3:PutReplicationConfiguration",
      ],
      Resource: `arn:aws:s3:::${base}-*`,
    },
    ...uptimeStatements(base, s.accountId),
  );
}
