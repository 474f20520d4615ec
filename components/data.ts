// Data safety (R-DATA-0..5, R-WL-8): the stack's KMS key (DataKey), the memory-store
// database with its roles, Secrets and bootstrap Job (MemoryStore), and the backup bucket
// with its exports, restore template and IAM roles (BackupStore). The image registry is
// the bootstrap stack's (components/bootstrap.ts). Every spec and document comes from
// components/model/data/.
import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import type { StackConfig } from "./config";
import { rdsCaBundle } from "./config/rdsCa";
import {
  backupBucketPolicy,
  backupLifecycleRules,
  ciWriterPolicy,
  ciWriterTrustPolicy,
  exportRolePolicy,
  irsaTrustPolicy,
  logBucketPolicy,
  logLifecycleRules,
  rdsMonitoringTrustPolicy,
  restoreRolePolicy,
} from "./model/data/aws";
import {
  CA_FILE,
  connectionUrl,
  inClusterHost,
  inClusterServiceSpec,
  inClusterStatefulSet,
  parameterFamily,
  rdsIdentifier,
  rdsInstanceSettings,
  rdsParameters,
} from "./model/data/database";
import { bootstrapJob, exportCronJob, jobScripts, restoreCronJob } from "./model/data/jobs";
import { commonLabels } from "./model/labels";
import { APP_NAME, DATA_NAMES } from "./model/names";

/** Objects that hold data are protected: `pulumi destroy` and replacements stop at them. */
const PROTECT = { protect: true };

const json = <T>(v: pulumi.Output<T>) => v.apply((x) => JSON.stringify(x));

const dataLabels = (cfg: StackConfig) => ({ ...commonLabels(cfg), "app.kubernetes.io/component": "memory-store" });

export interface DataKeyArgs {
  config: StackConfig;
}

/** The stack's customer-managed KMS key (rotation on) for the database and the bucket. */
export class DataKey extends pulumi.ComponentResource {
  readonly key: aws.kms.Key;

  constructor(name: string, args: DataKeyArgs, opts?: pulumi.ComponentResourceOptions) {
    super("agent-platform:data:DataKey", name, {}, opts);
    const cfg = args.config;
    this.key = new aws.kms.Key(
      `${name}-key`,
      {
        description: `${APP_NAME} ${cfg.environment}: memory store, backups`,
        keyUsage: "ENCRYPT_DECRYPT",
        enableKeyRotation: true,
        rotationPeriodInDays: 365,
        deletionWindowInDays: 30,
      },
      { parent: this, ...PROTECT },
    );
    // Operators name the key by its alias, so it stays fixed; a replacement deletes it first.
    new aws.kms.Alias(`${name}-alias`, { name: `alias/${APP_NAME}-${cfg.environment}-data`, targetKeyId: this.key.keyId }, { parent: this, deleteBeforeReplace: true });
    this.registerOutputs({ keyArn: this.key.arn });
  }
}

export interface MemoryStoreArgs {
  config: StackConfig;
  namespace: pulumi.Input<string>;
  /** The stack's KMS key; required for mode rds. */
  key?: aws.kms.Key;
  /** What the in-cluster volume claim waits for: the StorageClass, where this stack installs it. */
  storage?: pulumi.Resource[];
}

/**
 * The memory store: Amazon RDS for PostgreSQL (rds), a PostgreSQL StatefulSet (inCluster)
 * or a given URL (external); then the roles (bootstrap Job) and the Secrets the platform,
 * the export and the restore read.
 */
export class MemoryStore extends pulumi.ComponentResource {
  /** The platform's connection URL (its own least-privilege role); a secret. */
  readonly appUrl: pulumi.Output<string>;
  /** What the migrations must wait for: the roles exist and the URL works. */
  readonly ready: pulumi.Resource[] = [];
  readonly endpoint?: pulumi.Output<string>;
  readonly instance?: aws.rds.Instance;

  constructor(name: string, args: MemoryStoreArgs, opts?: pulumi.ComponentResourceOptions) {
    super("agent-platform:data:MemoryStore", name, {}, opts);
    const cfg = args.config;
    const ms = cfg.memoryStore;
    const child = { parent: this };
    const labels = dataLabels(cfg);
    const meta = (n: string) => ({ name: n, namespace: args.namespace, labels });

    if (ms.mode === "external") {
      this.appUrl = pulumi.secret(cfg.databaseUrl!.reveal());
      this.registerOutputs({});
      return;
    }

    const password = (role: string) => new random.RandomPassword(`${name}-${role}-password`, { length: 40, special: false }, child).result;
    const adminPassword = password("admin");
    const appPassword = password("app");
    const backupPassword = password("backup");

    let host: pulumi.Output<string>;
    let port: pulumi.Output<number>;
    const tls = ms.mode === "rds";
    const waitFor: pulumi.Resource[] = [];

    if (ms.mode === "rds") {
      if (!args.key) throw new Error("MemoryStore: mode rds needs the stack's KMS key");
      const aw = cfg.aws;
      const id = rdsIdentifier(cfg);
      // Names AWS keeps unique are prefixes (the provider adds a suffix): a replacement is
      // created before the old one is deleted, which a fixed name would refuse ("already exists").
      const subnets = new aws.rds.SubnetGroup(
        `${name}-subnets`,
        { namePrefix: `${id}-`, subnetIds: aw.privateSubnetIds!, description: `${id}: private subnets` },
        child,
      );
      // R-DATA-0: the database port from the cluster's security group only; no egress.
      const sg = new aws.ec2.SecurityGroup(
        `${name}-sg`,
        {
          namePrefix: `${id}-`,
          description: `${id}: PostgreSQL from the cluster only`,
          vpcId: aw.vpcId!,
          ingress: [
            {
              description: "PostgreSQL from the cluster",
              protocol: "tcp",
              fromPort: ms.port,
              toPort: ms.port,
              securityGroups: [aw.clusterSecurityGroupId!],
            },
          ],
          egress: [],
        },
        child,
      );
      const params = new aws.rds.ParameterGroup(
        `${name}-params`,
        // A new engine major version is a new family, so a new group replaces the old one.
        { namePrefix: `${id}-`, family: parameterFamily(cfg), description: `${id}: TLS required`, parameters: rdsParameters() },
        child,
      );
      let monitoringRoleArn: pulumi.Output<string> | undefined;
      const instanceDependsOn: pulumi.Resource[] = [];
      if (ms.rds.monitoringIntervalSeconds > 0) {
        const role = new aws.iam.Role(
          `${name}-monitoring`,
          // IAM allows a 38-character prefix (64 less the provider's 26-character suffix).
          { namePrefix: `${APP_NAME}-${cfg.environment}-rds-monitoring-`, assumeRolePolicy: JSON.stringify(rdsMonitoringTrustPolicy()) },
          child,
        );
        // RDS checks the role's permissions when the instance is created: the instance
        // waits for the attachment, not only for the role.
        instanceDependsOn.push(
          new aws.iam.RolePolicyAttachment(
            `${name}-monitoring`,
            { role: role.name, policyArn: "arn:aws:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole" },
            child,
          ),
        );
        monitoringRoleArn = role.arn;
      }
      // Unique per instance: a second deletion (after a re-create) must not meet the first's snapshot.
      const snapshotSuffix = new random.RandomId(`${name}-final-snapshot`, { byteLength: 4, keepers: { identifier: id } }, child);
      const instance = new aws.rds.Instance(
        `${name}-db`,
        {
          ...rdsInstanceSettings(cfg),
          password: adminPassword,
          kmsKeyId: args.key.arn,
          ...(ms.rds.performanceInsights ? { performanceInsightsKmsKeyId: args.key.arn } : {}),
          ...(monitoringRoleArn ? { monitoringRoleArn } : {}),
          dbSubnetGroupName: subnets.name,
          vpcSecurityGroupIds: [sg.id],
          parameterGroupName: params.name,
          finalSnapshotIdentifier: pulumi.interpolate`${rdsInstanceSettings(cfg).finalSnapshotIdentifier}-${snapshotSuffix.hex}`,
        },
        { ...child, ...PROTECT, additionalSecretOutputs: ["password"], dependsOn: instanceDependsOn },
      );
      this.instance = instance;
      host = instance.address;
      port = instance.port;
      this.endpoint = instance.endpoint;
      new k8s.core.v1.ConfigMap(`${name}-ca`, { metadata: meta(DATA_NAMES.caConfigMap), data: { [CA_FILE]: rdsCaBundle(cfg) } }, child);
      waitFor.push(instance);
    } else {
      host = pulumi.output(inClusterHost(cfg));
      port = pulumi.output(ms.port);
    }

    const endpoint = (database: string) => pulumi.all([host, port]).apply(([h, p]) => ({ host: h, port: p, database }));
    const url = (user: string, pw: pulumi.Output<string>, database: string) =>
      pulumi.secret(pulumi.all([pw, endpoint(database)]).apply(([p, e]) => connectionUrl(user, p, e, tls)));

    const admin = new k8s.core.v1.Secret(
      `${name}-admin`,
      {
        metadata: meta(DATA_NAMES.adminSecret),
        type: "Opaque",
        stringData: {
          ADMIN_DATABASE_URL: url(ms.rds.masterUsername, adminPassword, "postgres"),
          ADMIN_PASSWORD: pulumi.secret(adminPassword),
          APP_ROLE_PASSWORD: pulumi.secret(appPassword),
          BACKUP_ROLE_PASSWORD: pulumi.secret(backupPassword),
        },
      },
      child,
    );
    new k8s.core.v1.Secret(
      `${name}-backup`,
      { metadata: meta(DATA_NAMES.backupSecret), type: "Opaque", stringData: { DATABASE_URL: url(ms.backupRole, backupPassword, ms.databaseName) } },
      child,
    );
    const scripts = new k8s.core.v1.ConfigMap(`${name}-scripts`, { metadata: meta(DATA_NAMES.scriptsConfigMap), data: jobScripts() }, child);

    if (ms.mode === "inCluster") {
      const svc = new k8s.core.v1.Service(`${name}-postgres`, { metadata: meta(DATA_NAMES.postgres), spec: inClusterServiceSpec(cfg) }, child);
      const sts = new k8s.apps.v1.StatefulSet(
        `${name}-postgres`,
        { metadata: meta(DATA_NAMES.postgres), spec: inClusterStatefulSet(cfg) },
        // Not protected: dev data; the volume outlives the StatefulSet (whenDeleted: Retain).
        { ...child, dependsOn: [admin, svc, ...(args.storage ?? [])] },
      );
      waitFor.push(sts);
    }

    // The roles: the platform connects as appRole, the export as backupRole (R-DATA-0).
    const sa = new k8s.core.v1.ServiceAccount(
      `${name}-bootstrap-sa`,
      { metadata: meta(`${APP_NAME}-db-bootstrap`), automountServiceAccountToken: false },
      child,
    );
    const job = bootstrapJob(cfg, `${APP_NAME}-db-bootstrap`);
    const bootstrap = new k8s.batch.v1.Job(
      `${name}-bootstrap`,
      { metadata: meta(job.name), spec: job.spec },
      { ...child, dependsOn: [admin, scripts, sa, ...waitFor], customTimeouts: { create: `${ms.bootstrapTimeout.seconds + 120}s` } },
    );
    this.ready.push(bootstrap);
    this.appUrl = url(ms.appRole, appPassword, ms.databaseName);
    this.registerOutputs({ endpoint: this.endpoint });
  }
}

export interface BackupStoreArgs {
  config: StackConfig;
  namespace: pulumi.Input<string>;
  key: aws.kms.Key;
  /** The export needs the roles the bootstrap creates. */
  dependsOn: pulumi.Resource[];
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

    const publicBlock = (n: string, bucket: aws.s3.Bucket) =>
      new aws.s3.BucketPublicAccessBlock(
        n,
        { bucket: bucket.id, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true },
        child,
      );
    const ownership = (n: string, bucket: aws.s3.Bucket) =>
      new aws.s3.BucketOwnershipControls(n, { bucket: bucket.id, rule: { objectOwnership: "BucketOwnerEnforced" } }, child);

    // Server access logs (chosen over CloudTrail data events: no trail to run, every
    // request logged with its requester); S3 log delivery needs SSE-S3 on the target.
    const logs = new aws.s3.Bucket(`${base}-backup-logs`, { forceDestroy: false }, { ...child, ...PROTECT });
    publicBlock(`${name}-logs-public-access`, logs);
    ownership(`${name}-logs-ownership`, logs);
    new aws.s3.BucketVersioning(`${name}-logs-versioning`, { bucket: logs.id, versioningConfiguration: { status: "Enabled" } }, child);
    new aws.s3.BucketServerSideEncryptionConfiguration(
      `${name}-logs-encryption`,
      { bucket: logs.id, rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }] },
      child,
    );
    new aws.s3.BucketLifecycleConfiguration(`${name}-logs-lifecycle`, { bucket: logs.id, rules: logLifecycleRules(cfg) }, child);

    const bucket = new aws.s3.Bucket(`${base}-backups`, { forceDestroy: false }, { ...child, ...PROTECT });
    const block = publicBlock(`${name}-public-access`, bucket);
    ownership(`${name}-ownership`, bucket);
    new aws.s3.BucketVersioning(`${name}-versioning`, { bucket: bucket.id, versioningConfiguration: { status: "Enabled" } }, child);
    new aws.s3.BucketServerSideEncryptionConfiguration(
      `${name}-encryption`,
      {
        bucket: bucket.id,
        rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: key.arn }, bucketKeyEnabled: true }],
      },
      child,
    );
    new aws.s3.BucketPolicy(
      `${name}-policy`,
      { bucket: bucket.id, policy: json(pulumi.all([bucket.arn, key.arn]).apply(([b, k]) => backupBucketPolicy(b, k))) },
      { ...child, dependsOn: [block] },
    );
    new aws.s3.BucketPolicy(
      `${name}-logs-policy`,
      { bucket: logs.id, policy: json(pulumi.all([logs.arn, bucket.arn]).apply(([l, b]) => logBucketPolicy(l, b, aw.accountId!))) },
      child,
    );
    new aws.s3.BucketLogging(
      `${name}-logging`,
      { bucket: bucket.id, targetBucket: logs.id, targetPrefix: `${DATA_NAMES.prefixes.accessLogs}/` },
      child,
    );
    new aws.s3.BucketLifecycleConfiguration(`${name}-lifecycle`, { bucket: bucket.id, rules: backupLifecycleRules(cfg) }, child);

    // IRSA roles: exactly one ServiceAccount each (R-DATA-3).
    const irsaRole = (n: string, serviceAccount: string, policy: (b: string, k: string) => unknown) => {
      const role = new aws.iam.Role(
        `${name}-${n}`,
        // A prefix: the ServiceAccount carries the role's ARN, whatever its suffix.
        { namePrefix: `${base}-${n}-`, assumeRolePolicy: JSON.stringify(irsaTrustPolicy(aw.oidcProviderArn!, cfg.namespace, serviceAccount)) },
        child,
      );
      new aws.iam.RolePolicy(
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

    if (cfg.backups.ciWriter) {
      const w = cfg.backups.ciWriter;
      const role = new aws.iam.Role(
        `${name}-ci-writer`,
        { name: `${base}-backup-workflow`, assumeRolePolicy: JSON.stringify(ciWriterTrustPolicy(w.oidcProviderArn, w.repository)) },
        // The backup workflow assumes this role by name, so the name stays fixed and a
        // replacement deletes the old role first.
        { ...child, deleteBeforeReplace: true },
      );
      new aws.iam.RolePolicy(
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

    this.bucketName = bucket.bucket;
    this.registerOutputs({ bucketName: this.bucketName });
  }
}
