// Disaster recovery in a second region (R-DATA-8), a child of BackupStore: a key of that
// region, a replica bucket as write-once as the first (versioning, Object Lock, SSE-KMS
// under that key, public access blocked, the same policy statements), S3 replication of
// exports/ into it by a role S3 assumes, and in prod RDS's own replication of the
// instance's automated backups there (point-in-time recovery in that region). Documents
// in components/model/data/recovery.ts; the region-lost procedure in docs/restore.md.
import * as iam from "@pulumi/aws/iam";
import * as kms from "@pulumi/aws/kms";
import * as rds from "@pulumi/aws/rds";
import * as s3 from "@pulumi/aws/s3";
import * as pulumi from "@pulumi/pulumi";
import type { StackConfig } from "../config";
import { KEY_LIFECYCLE, boundary } from "../model/data/aws";
import { replicaBucketPolicy, replicationRolePolicy, replicationRules, replicationTrustPolicy } from "../model/data/recovery";
import { APP_NAME } from "../model/names";

const PROTECT = { protect: true };
const json = <T>(v: pulumi.Output<T>) => v.apply((x) => JSON.stringify(x));

export type DisasterRecoveryConfig = Pick<StackConfig, "environment" | "aws" | "memoryStore" | "backups">;

export interface DisasterRecoveryArgs {
  config: DisasterRecoveryConfig;
  /** The AWS provider of the second region. */
  provider: pulumi.ProviderResource;
  source: { bucket: s3.Bucket; key: kms.Key; versioning: pulumi.Resource };
  /** The RDS instance whose automated backups RDS replicates (prod). */
  instance?: rds.Instance;
  breakGlassRoleArn: string;
}

export class DisasterRecovery extends pulumi.ComponentResource {
  /** The replication configuration: the source bucket's policy may only follow it (it denies changing replication). */
  readonly replication: s3.BucketReplicationConfig;
  readonly replicaBucketName: pulumi.Output<string>;

  constructor(name: string, args: DisasterRecoveryArgs, opts?: pulumi.ComponentResourceOptions) {
    super("agent-platform:data:DisasterRecovery", name, {}, opts);
    const cfg = args.config;
    const dr = cfg.backups.disasterRecovery;
    const base = `${APP_NAME}-${cfg.environment}`;
    const child = { parent: this };
    const there = { parent: this, provider: args.provider };

    const key = new kms.Key(
      `${name}-key`,
      { description: `${base}: replicas in ${dr.region}`, ...KEY_LIFECYCLE },
      { ...there, ...PROTECT },
    );
    new kms.Alias(`${name}-key-alias`, { name: `alias/${base}-replicas`, targetKeyId: key.keyId }, { ...there, deleteBeforeReplace: true });

    const bucket = new s3.Bucket(`${base}-replicas`, { forceDestroy: false }, { ...there, ...PROTECT });
    const block = new s3.BucketPublicAccessBlock(
      `${name}-public-access`,
      { bucket: bucket.id, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true },
      there,
    );
    new s3.BucketOwnershipControls(`${name}-ownership`, { bucket: bucket.id, rule: { objectOwnership: "BucketOwnerEnforced" } }, there);
    const versioning = new s3.BucketVersioning(`${name}-versioning`, { bucket: bucket.id, versioningConfiguration: { status: "Enabled" } }, there);
    const encryption = new s3.BucketServerSideEncryptionConfiguration(
      `${name}-encryption`,
      { bucket: bucket.id, rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: key.arn }, bucketKeyEnabled: true }] },
      there,
    );
    const lock = new s3.BucketObjectLockConfiguration(
      `${name}-object-lock`,
      { bucket: bucket.id, objectLockEnabled: "Enabled", rule: { defaultRetention: { mode: cfg.backups.objectLock.mode, days: cfg.backups.objectLock.days } } },
      { ...there, dependsOn: [versioning] },
    );
    const lifecycle = new s3.BucketLifecycleConfiguration(
      `${name}-lifecycle`,
      {
        bucket: bucket.id,
        rules: [
          { id: "noncurrent-versions", status: "Enabled", filter: { prefix: "" }, noncurrentVersionExpiration: { noncurrentDays: cfg.backups.retention.noncurrentDays } },
          { id: "expired-delete-markers", status: "Enabled", filter: { prefix: "" }, expiration: { expiredObjectDeleteMarker: true } },
        ],
      },
      { ...there, dependsOn: [versioning] },
    );
    new s3.BucketPolicy(
      `${name}-policy`,
      { bucket: bucket.id, policy: json(bucket.arn.apply((b) => replicaBucketPolicy(b, args.breakGlassRoleArn))) },
      { ...there, dependsOn: [block, versioning, encryption, lock, lifecycle] },
    );

    // S3 replicates with a role of the source account, under the stack's boundary.
    const role = new iam.Role(
      `${name}-replication`,
      { namePrefix: `${base}-replication-`, assumeRolePolicy: JSON.stringify(replicationTrustPolicy(cfg.aws.accountId!)), ...boundary(cfg.aws) },
      child,
    );
    new iam.RolePolicy(
      `${name}-replication`,
      {
        role: role.id,
        policy: json(
          pulumi.all([args.source.bucket.arn, args.source.key.arn, bucket.arn, key.arn]).apply(([sb, sk, rb, rk]) =>
            replicationRolePolicy({ sourceBucketArn: sb, sourceKeyArn: sk, sourceRegion: cfg.aws.region, replicaBucketArn: rb, replicaKeyArn: rk, replicaRegion: dr.region }),
          ),
        ),
      },
      child,
    );
    this.replication = new s3.BucketReplicationConfig(
      `${name}-replication`,
      { bucket: args.source.bucket.id, role: role.arn, rules: pulumi.all([bucket.arn, key.arn]).apply(([b, k]) => replicationRules(b, k)) },
      { ...child, dependsOn: [args.source.versioning, versioning] },
    );

    if (dr.rdsBackups && args.instance) {
      new rds.InstanceAutomatedBackupsReplication(
        `${name}-rds-backups`,
        { sourceDbInstanceArn: args.instance.arn, kmsKeyId: key.arn, retentionPeriod: dr.rdsBackupRetentionDays },
        there,
      );
    }
    this.replicaBucketName = bucket.bucket;
    this.registerOutputs({ replicaBucketName: this.replicaBucketName });
  }
}
