// AWS documents of the data resources (R-DATA-1..4), as plain JSON-able objects: bucket
// policies, lifecycle rules, IAM trust and permission policies, the ECR lifecycle
// policy. The component resolves ARNs and names, then serialises these; tests parse the
// serialised documents back and check every statement.
import type { StackConfig } from "../../config/schema";
import { DATA_NAMES } from "../names";
import { STS_AUDIENCE } from "./jobs";

export interface PolicyDocument {
  Version: "2012-10-17";
  Statement: Array<Record<string, unknown>>;
}

const doc = (...Statement: Array<Record<string, unknown>>): PolicyDocument => ({ Version: "2012-10-17", Statement });

/** A statement refusing, to everyone, object uploads that meet the condition. */
/** Every KMS key the stacks create: rotated yearly, deleted 30 days after it is scheduled to be (the longest window). */
export const KEY_LIFECYCLE = { enableKeyRotation: true, rotationPeriodInDays: 365, deletionWindowInDays: 30 } as const;

/** The statement every bucket policy here starts from: no request without TLS. */
export function denyInsecureTransport(bucketArn: string) {
  return {
    Sid: "DenyInsecureTransport",
    Effect: "Deny",
    Principal: "*",
    Action: "s3:*",
    Resource: [bucketArn, `${bucketArn}/*`],
    Condition: { Bool: { "aws:SecureTransport": "false" } },
  };
}

function denyPutObject(bucketArn: string, Sid: string, Condition: Record<string, Record<string, string>>) {
  return { Sid, Effect: "Deny", Principal: "*", Action: "s3:PutObject", Resource: `${bucketArn}/*`, Condition };
}

/**
 * The backup bucket's policy (R-DATA-1): nothing over plain HTTP; every object is
 * SSE-KMS under the stack's key: the bucket's default encryption applies it to a put that
 * names no encryption, and these statements refuse a put that asks for anything else
 * (SSE-S3, DSSE, another key, or aws:kms without a key, which means the AWS-managed
 * key). A deny on a *missing* header would also refuse the UploadPart requests of
 * multipart uploads, which carry none. The bucket itself cannot be
 * deleted while this policy stands.
 */
export function backupBucketPolicy(bucketArn: string, kmsKeyArn: string, breakGlassRoleArn: string): PolicyDocument {
  return doc(
    ...writeOnceStatements(bucketArn, breakGlassRoleArn),
    denyInsecureTransport(bucketArn),
    denyPutObject(bucketArn, "DenyOtherEncryption", {
      StringNotEqualsIfExists: { "s3:x-amz-server-side-encryption": "aws:kms" },
    }),
    denyPutObject(bucketArn, "DenyOtherKeys", {
      StringNotEqualsIfExists: { "s3:x-amz-server-side-encryption-aws-kms-key-id": kmsKeyArn },
    }),
    // aws:kms without a key id would mean the AWS-managed aws/s3 key, not the stack's.
    denyPutObject(bucketArn, "DenyKmsWithoutKey", {
      StringEquals: { "s3:x-amz-server-side-encryption": "aws:kms" },
      Null: { "s3:x-amz-server-side-encryption-aws-kms-key-id": "true" },
    }),
    {
      Sid: "DenyBucketDeletion",
      Effect: "Deny",
      Principal: "*",
      Action: "s3:DeleteBucket",
      Resource: bucketArn,
    },
  );
}

/** The S3 administration that could erase exports: the break-glass role's alone (R-DATA-7). */
export const BUCKET_ADMINISTRATION = [
  "s3:PutBucketVersioning",
  "s3:PutLifecycleConfiguration",
  "s3:PutBucketObjectLockConfiguration",
  "s3:PutReplicationConfiguration",
  "s3:PutBucketPolicy",
  "s3:DeleteBucketPolicy",
  "s3:DeleteObjectVersion",
  "s3:BypassGovernanceRetention",
];

/**
 * R-DATA-7, the statements that make exports write-once: an upload to exports/ must be a
 * conditional write (If-None-Match: *, so it can never replace a key: the condition key
 * s3:if-none-match, "Enforce conditional writes on Amazon S3 buckets", S3 user guide), and
 * nobody but the break-glass role may suspend versioning, change lifecycle, Object Lock,
 * replication or this policy, delete an object version or bypass a governance lock, one
 * admin credential included (aws:PrincipalArn of an assumed role is the role's ARN).
 */
export function writeOnceStatements(bucketArn: string, breakGlassRoleArn: string): Array<Record<string, unknown>> {
  return [
    {
      Sid: "DenyExportWritesThatCouldReplace",
      Effect: "Deny",
      Principal: "*",
      Action: "s3:PutObject",
      Resource: `${bucketArn}/${DATA_NAMES.prefixes.exports}/*`,
      Condition: { Null: { "s3:if-none-match": "true" } },
    },
    {
      Sid: "DenyAdministrationButBreakGlass",
      Effect: "Deny",
      Principal: "*",
      Action: BUCKET_ADMINISTRATION,
      Resource: [bucketArn, `${bucketArn}/*`],
      Condition: { ArnNotEquals: { "aws:PrincipalArn": breakGlassRoleArn } },
    },
  ];
}

/**
 * The access-log bucket's policy: S3's log delivery may write the backup bucket's logs
 * (and only those: source bucket and account are checked); nothing over plain HTTP.
 */
export function logBucketPolicy(logBucketArn: string, sourceBucketArn: string, accountId: string): PolicyDocument {
  return doc(
    {
      Sid: "AllowS3ServerAccessLogs",
      Effect: "Allow",
      Principal: { Service: "logging.s3.amazonaws.com" },
      Action: "s3:PutObject",
      Resource: `${logBucketArn}/${DATA_NAMES.prefixes.accessLogs}/*`,
      Condition: { ArnLike: { "aws:SourceArn": sourceBucketArn }, StringEquals: { "aws:SourceAccount": accountId } },
    },
    denyInsecureTransport(logBucketArn),
  );
}

export type LifecycleArgs = Pick<StackConfig, "backups">;

/**
 * Lifecycle rules (R-DATA-2, R-DATA-7): daily configuration snapshots configDays, weekly
 * state exports stateDays; every deleted version expires after noncurrentDays (a locked
 * one only once its lock ends); abandoned multipart uploads after a week. Exports have no
 * expiration: lifecycle cannot count, so it could expire the newest ones if exports
 * stopped; the restore drill prunes them once the newest one restored (keepNewest).
 */
export function backupLifecycleRules(cfg: LifecycleArgs) {
  const r = cfg.backups.retention;
  const P = DATA_NAMES.prefixes;
  const expire = (id: string, prefix: string, days: number) => ({
    id,
    status: "Enabled",
    filter: { prefix: `${prefix}/` },
    expiration: { days },
  });
  return [
    expire("config-daily", P.config, r.configDays),
    expire("state-weekly", P.state, r.stateDays),
    {
      id: "noncurrent-versions",
      status: "Enabled",
      filter: { prefix: "" },
      noncurrentVersionExpiration: { noncurrentDays: r.noncurrentDays },
      abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
    },
    { id: "expired-delete-markers", status: "Enabled", filter: { prefix: "" }, expiration: { expiredObjectDeleteMarker: true } },
  ];
}

export function logLifecycleRules(cfg: LifecycleArgs) {
  return [
    {
      id: "access-logs",
      status: "Enabled",
      filter: { prefix: `${DATA_NAMES.prefixes.accessLogs}/` },
      expiration: { days: cfg.backups.retention.accessLogsDays },
    },
  ];
}

/** The issuer of an IAM OIDC provider ARN: the condition keys' prefix. */
export function oidcIssuer(providerArn: string): string {
  return providerArn.replace(/^arn:[^:]+:iam::\d{12}:oidc-provider\//, "");
}

/**
 * The trust policy of an IRSA role (R-DATA-3): exactly one ServiceAccount of one
 * namespace, through the cluster's OIDC provider, with the STS audience.
 */
export function irsaTrustPolicy(providerArn: string, namespace: string, serviceAccount: string): PolicyDocument {
  const issuer = oidcIssuer(providerArn);
  return doc({
    Effect: "Allow",
    Principal: { Federated: providerArn },
    Action: "sts:AssumeRoleWithWebIdentity",
    Condition: {
      StringEquals: {
        [`${issuer}:sub`]: `system:serviceaccount:${namespace}:${serviceAccount}`,
        [`${issuer}:aud`]: STS_AUDIENCE,
      },
    },
  });
}

/** KMS through S3 only, in the stack's region. */
const viaS3 = (region: string) => ({ StringEquals: { "kms:ViaService": `s3.${region}.amazonaws.com` } });

/**
 * The export role (R-DATA-3): PutObject under exports/ and nothing else (no read, no
 * list, no delete: a compromised export cannot read or destroy earlier exports); the key
 * only for encrypting through S3 (Decrypt because multipart uploads need it).
 */
export function exportRolePolicy(bucketArn: string, kmsKeyArn: string, region: string): PolicyDocument {
  return doc(
    { Sid: "PutExports", Effect: "Allow", Action: "s3:PutObject", Resource: `${bucketArn}/${DATA_NAMES.prefixes.exports}/*` },
    { Sid: "EncryptThroughS3", Effect: "Allow", Action: ["kms:GenerateDataKey", "kms:Decrypt"], Resource: kmsKeyArn, Condition: viaS3(region) },
  );
}

const readExports = (bucketArn: string, kmsKeyArn: string, region: string) => [
  { Sid: "ReadExports", Effect: "Allow", Action: ["s3:GetObject", "s3:GetObjectVersion"], Resource: `${bucketArn}/${DATA_NAMES.prefixes.exports}/*` },
  // To find the newest export: the listing of exports/ only.
  { Sid: "ListExports", Effect: "Allow", Action: "s3:ListBucket", Resource: bucketArn, Condition: { StringLike: { "s3:prefix": `${DATA_NAMES.prefixes.exports}/*` } } },
  { Sid: "DecryptThroughS3", Effect: "Allow", Action: "kms:Decrypt", Resource: kmsKeyArn, Condition: viaS3(region) },
];

/** The restore role (R-DATA-5): read and list exports, decrypt through S3; no write anywhere. */
export function restoreRolePolicy(bucketArn: string, kmsKeyArn: string, region: string): PolicyDocument {
  return doc(...readExports(bucketArn, kmsKeyArn, region));
}

/**
 * The drill role (R-DATA-8): what the restore reads, and the prune after a good drill:
 * DeleteObject on exports/, which on a versioned, locked bucket only adds a delete marker;
 * the version stays until its lock ends and lifecycle expires it (no DeleteObjectVersion).
 */
export function drillRolePolicy(bucketArn: string, kmsKeyArn: string, region: string): PolicyDocument {
  return doc(...readExports(bucketArn, kmsKeyArn, region), {
    Sid: "PruneOldExports",
    Effect: "Allow",
    Action: "s3:DeleteObject",
    Resource: `${bucketArn}/${DATA_NAMES.prefixes.exports}/*`,
  });
}

/**
 * The backup workflow's role (R-DATA-2): GitHub Actions of one repository, on its main
 * branch only, may put objects under config/ and state/.
 */
export function ciWriterTrustPolicy(providerArn: string, repository: string): PolicyDocument {
  return doc({
    Effect: "Allow",
    Principal: { Federated: providerArn },
    Action: "sts:AssumeRoleWithWebIdentity",
    Condition: {
      StringEquals: {
        "token.actions.githubusercontent.com:aud": STS_AUDIENCE,
        "token.actions.githubusercontent.com:sub": `repo:${repository}:ref:refs/heads/main`,
      },
    },
  });
}

export function ciWriterPolicy(bucketArn: string, kmsKeyArn: string, region: string): PolicyDocument {
  const P = DATA_NAMES.prefixes;
  return doc(
    { Sid: "PutConfigAndState", Effect: "Allow", Action: "s3:PutObject", Resource: [`${bucketArn}/${P.config}/*`, `${bucketArn}/${P.state}/*`] },
    { Sid: "EncryptThroughS3", Effect: "Allow", Action: ["kms:GenerateDataKey", "kms:Decrypt"], Resource: kmsKeyArn, Condition: viaS3(region) },
  );
}

/** The trust policy of the RDS enhanced-monitoring role. */
export function rdsMonitoringTrustPolicy(): PolicyDocument {
  return doc({ Effect: "Allow", Principal: { Service: "monitoring.rds.amazonaws.com" }, Action: "sts:AssumeRole" });
}

/** ECR lifecycle (R-DATA-4): untagged images expire after N days; only the newest M images are kept. */
export function ecrLifecyclePolicy(r: { untaggedExpiryDays: number; keepImages: number }) {
  return {
    rules: [
      {
        rulePriority: 1,
        description: `expire untagged images after ${r.untaggedExpiryDays} days`,
        selection: { tagStatus: "untagged", countType: "sinceImagePushed", countUnit: "days", countNumber: r.untaggedExpiryDays },
        action: { type: "expire" },
      },
      {
        rulePriority: 2,
        description: `keep the newest ${r.keepImages} images`,
        selection: { tagStatus: "any", countType: "imageCountMoreThan", countNumber: r.keepImages },
        action: { type: "expire" },
      },
    ],
  };
}

/** A role's permissions boundary, where the stack names one (aws.permissionsBoundary, R-CI-6). */
export const boundary = (aws: Pick<StackConfig["aws"], "permissionsBoundary">) => (aws.permissionsBoundary ? { permissionsBoundary: aws.permissionsBoundary } : {});
