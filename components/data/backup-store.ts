// The backups (R-DATA-1..3, R-DATA-5..8): the backup bucket (write-once: Object Lock,
// conditional writes, administration for the break-glass role only) and its access-log
// bucket, the IRSA roles of the export, the restore and the drill, the export CronJob, the
// suspended restore CronJob, the restore drill, the backup workflow's role, and the
// second region (DisasterRecovery). Specs in components/model/data/.
import * as iam from "@pulumi/aws/iam";
import * as kms from "@pulumi/aws/kms";
import * as s3 from "@pulumi/aws/s3";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { StackConfig } from "../config";
import * as rds from "@pulumi/aws/rds";
import { backupBucketPolicy, backupLifecycleRules, boundary, ciWriterPolicy, ciWriterTrustPolicy, drillRolePolicy, exportRolePolicy, irsaTrustPolicy, logBucketPolicy, logLifecycleRules, restoreRolePolicy } from "../model/data/aws";
import { exportCronJob } from "../model/data/jobs";
import { drillCronJob, restoreCronJob } from "../model/data/restore";
import { DisasterRecovery } from "./disaster-recovery";
import { dataLabels } from "../model/labels";
import { APP_NAME, DATA_NAMES } from "../model/names";

/** Objects that hold data are protected: `pulumi destroy` and replacements stop at them. */
const PROTECT = { protect: true };

const json = <T>(v: pulumi.Output<T>) => v.apply((x) => JSON.stringify(x));

/** The slice of the stack configuration this component reads. */
export type BackupStoreConfig = Pick<StackConfig, "environment" | "namespace" | "aws" | "memoryStore" | "backups">;

export interface BackupStoreArgs {
  config: BackupStoreConfig;
  namespace: pulumi.Input<string>;
  key: kms.Key;
  /** The export needs the roles the bootstrap creates. */
  dependsOn: pulumi.Resource[];
  /** The second region's AWS provider, where backups.disasterRecovery.enabled. */
  recoveryProvider?: pulumi.ProviderResource;
  /** The RDS instance whose automated backups are replicated there (prod). */
  instance?: rds.Instance;
}

/**
 * The backup bucket (R-DATA-1) with its access-log bucket, lifecycle (R-DATA-2), the
 * export CronJob and the restore template with their IRSA roles (R-DATA-3, R-DATA-5),
 * and the backup workflow's role.
 */
export class BackupStore extends pulumi.ComponentResource {
  readonly bucketName: pulumi.Output<string>;

  constructor(name: string, args: BackupStoreArgs, opts?: pulumi.ComponentResourceOptions) {
    super("agent-platform:data:BackupStore", name, {}, opts);
    const cfg = args.config;
    const aw = cfg.aws;
    const child = { parent: this };
    const labels = dataLabels(cfg);
    const base = `${APP_NAME}-${cfg.environment}`;
    const key = args.key;

    const publicBlock = (n: string, bucket: s3.Bucket) =>
      new s3.BucketPublicAccessBlock(
        n,
        { bucket: bucket.id, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true },
        child,
      );
    const ownership = (n: string, bucket: s3.Bucket) =>
      new s3.BucketOwnershipControls(n, { bucket: bucket.id, rule: { objectOwnership: "BucketOwnerEnforced" } }, child);

    // Server access logs (chosen over CloudTrail data events: no trail to run, every
    // request logged with its requester); S3 log delivery needs SSE-S3 on the target.
    const logs = new s3.Bucket(`${base}-backup-logs`, { forceDestroy: false }, { ...child, ...PROTECT });
    publicBlock(`${name}-logs-public-access`, logs);
    ownership(`${name}-logs-ownership`, logs);
    new s3.BucketVersioning(`${name}-logs-versioning`, { bucket: logs.id, versioningConfiguration: { status: "Enabled" } }, child);
    new s3.BucketServerSideEncryptionConfiguration(
      `${name}-logs-encryption`,
      { bucket: logs.id, rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }] },
      child,
    );
    new s3.BucketLifecycleConfiguration(`${name}-logs-lifecycle`, { bucket: logs.id, rules: logLifecycleRules(cfg) }, child);

    const bucket = new s3.Bucket(`${base}-backups`, { forceDestroy: false }, { ...child, ...PROTECT });
    const block = publicBlock(`${name}-public-access`, bucket);
    ownership(`${name}-ownership`, bucket);
    const versioning = new s3.BucketVersioning(`${name}-versioning`, { bucket: bucket.id, versioningConfiguration: { status: "Enabled" } }, child);
    // R-DATA-7: every version locked from the moment it is written (an existing versioned
    // bucket takes Object Lock in place: PutObjectLockConfiguration, S3 API reference).
    const lock = new s3.BucketObjectLockConfiguration(
      `${name}-object-lock`,
      { bucket: bucket.id, objectLockEnabled: "Enabled", rule: { defaultRetention: { mode: cfg.backups.objectLock.mode, days: cfg.backups.objectLock.days } } },
      { ...child, dependsOn: [versioning] },
    );
    const breakGlass = `arn:aws:iam::${aw.accountId}:role/${cfg.backups.breakGlassRole}`;
    const recovery =
      cfg.backups.disasterRecovery.enabled && args.recoveryProvider
        ? new DisasterRecovery(
            `${name}-recovery`,
            { config: cfg, provider: args.recoveryProvider, source: { bucket, key, versioning }, instance: args.instance, breakGlassRoleArn: breakGlass },
            child,
          )
        : undefined;
    const encryption = new s3.BucketServerSideEncryptionConfiguration(
      `${name}-encryption`,
      {
        bucket: bucket.id,
        rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: key.arn }, bucketKeyEnabled: true }],
      },
      child,
    );
    const lifecycle = new s3.BucketLifecycleConfiguration(`${name}-lifecycle`, { bucket: bucket.id, rules: backupLifecycleRules(cfg) }, { ...child, dependsOn: [versioning] });
    // Last: the policy denies changing what precedes it to all but the break-glass role.
    new s3.BucketPolicy(
      `${name}-policy`,
      { bucket: bucket.id, policy: json(pulumi.all([bucket.arn, key.arn]).apply(([b, k]) => backupBucketPolicy(b, k, breakGlass))) },
      { ...child, dependsOn: [block, versioning, lock, encryption, lifecycle, ...(recovery ? [recovery.replication] : [])] },
    );
    new s3.BucketPolicy(
      `${name}-logs-policy`,
      { bucket: logs.id, policy: json(pulumi.all([logs.arn, bucket.arn]).apply(([l, b]) => logBucketPolicy(l, b, aw.accountId!))) },
      child,
    );
    new s3.BucketLogging(
      `${name}-logging`,
      { bucket: bucket.id, targetBucket: logs.id, targetPrefix: `${DATA_NAMES.prefixes.accessLogs}/` },
      child,
    );

    // IRSA roles: exactly one ServiceAccount each (R-DATA-3).
    const irsaRole = (n: string, serviceAccount: string, policy: (b: string, k: string) => unknown) => {
      const role = new iam.Role(
        `${name}-${n}`,
        // A prefix: the ServiceAccount carries the role's ARN, whatever its suffix.
        { namePrefix: `${base}-${n}-`, assumeRolePolicy: JSON.stringify(irsaTrustPolicy(aw.oidcProviderArn!, cfg.namespace, serviceAccount)), ...boundary(aw) },
        child,
      );
      new iam.RolePolicy(
        `${name}-${n}`,
        { role: role.id, policy: json(pulumi.all([bucket.arn, key.arn]).apply(([b, k]) => policy(b, k))) },
        child,
      );
      new k8s.core.v1.ServiceAccount(
        `${name}-${n}-sa`,
        { metadata: { name: serviceAccount, namespace: args.namespace, labels }, automountServiceAccountToken: false },
        child,
      );
      return role;
    };
    const exportRole = irsaRole("export", DATA_NAMES.exportServiceAccount, (b, k) => exportRolePolicy(b, k, aw.region));
    const restoreRole = irsaRole("restore", DATA_NAMES.restoreServiceAccount, (b, k) => restoreRolePolicy(b, k, aw.region));
    const drillRole = cfg.backups.drill.enabled ? irsaRole("drill", DATA_NAMES.drillServiceAccount, (b, k) => drillRolePolicy(b, k, aw.region)) : undefined;

    if (cfg.backups.ciWriter) {
      const w = cfg.backups.ciWriter;
      const role = new iam.Role(
        `${name}-ci-writer`,
        { name: `${base}-backup-workflow`, assumeRolePolicy: JSON.stringify(ciWriterTrustPolicy(w.oidcProviderArn, w.repository)), ...boundary(aw) },
        // The backup workflow assumes this role by name, so the name stays fixed and a
        // replacement deletes the old role first.
        { ...child, deleteBeforeReplace: true },
      );
      new iam.RolePolicy(
        `${name}-ci-writer`,
        { role: role.id, policy: json(pulumi.all([bucket.arn, key.arn]).apply(([b, k]) => ciWriterPolicy(b, k, aw.region))) },
        child,
      );
    }

    const exportSpec = pulumi
      .all([bucket.bucket, key.arn, exportRole.arn])
      .apply(([b, k, r]) => exportCronJob(cfg, { bucket: b, kmsKeyArn: k, roleArn: r }));
    new k8s.batch.v1.CronJob(
      `${name}-export`,
      { metadata: { name: DATA_NAMES.exportCronJob, namespace: args.namespace, labels }, spec: exportSpec },
      { ...child, dependsOn: args.dependsOn },
    );
    const restoreSpec = pulumi.all([bucket.bucket, restoreRole.arn]).apply(([b, r]) => restoreCronJob(cfg, { bucket: b, roleArn: r }));
    new k8s.batch.v1.CronJob(
      `${name}-restore`,
      { metadata: { name: DATA_NAMES.restoreCronJob, namespace: args.namespace, labels }, spec: restoreSpec },
      { ...child, dependsOn: args.dependsOn },
    );

    if (drillRole) {
      const drillSpec = pulumi.all([bucket.bucket, drillRole.arn]).apply(([b, r]) => drillCronJob(cfg, { bucket: b, roleArn: r }));
      new k8s.batch.v1.CronJob(
        `${name}-drill`,
        { metadata: { name: DATA_NAMES.drillCronJob, namespace: args.namespace, labels }, spec: drillSpec },
        { ...child, dependsOn: args.dependsOn },
      );
    }

    this.bucketName = bucket.bucket;
    this.registerOutputs({ bucketName: this.bucketName });
  }
}
