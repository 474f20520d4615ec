// The memory store (R-DATA-0, R-WL-8): Amazon RDS for PostgreSQL (rds), a hardened
// PostgreSQL StatefulSet (inCluster) or a given URL (external); then the role passwords,
// the admin and backup Secrets, the job scripts and the bootstrap Job that creates the
// least-privilege roles. Specs in components/model/data/.
import * as ec2 from "@pulumi/aws/ec2";
import * as iam from "@pulumi/aws/iam";
import * as kms from "@pulumi/aws/kms";
import * as rds from "@pulumi/aws/rds";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import type { StackConfig } from "../config";
import { rdsCaBundle } from "../config/rdsCa";
import { boundary, rdsMonitoringTrustPolicy } from "../model/data/aws";
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
} from "../model/data/database";
import { bootstrapJob, jobScripts } from "../model/data/jobs";
import { dataLabels } from "../model/labels";
import { APP_NAME, DATA_NAMES } from "../model/names";

/** Objects that hold data are protected: `pulumi destroy` and replacements stop at them. */
const PROTECT = { protect: true };

/** The slice of the stack configuration this component reads. */
export type MemoryStoreConfig = Pick<StackConfig, "environment" | "namespace" | "aws" | "memoryStore" | "backups" | "cluster" | "databaseUrl">;

export interface MemoryStoreArgs {
  config: MemoryStoreConfig;
  namespace: pulumi.Input<string>;
  /** The stack's KMS key; required for mode rds. */
  key?: kms.Key;
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
  readonly instance?: rds.Instance;

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
      const subnets = new rds.SubnetGroup(
        `${name}-subnets`,
        { namePrefix: `${id}-`, subnetIds: aw.privateSubnetIds!, description: `${id}: private subnets` },
        child,
      );
      // R-DATA-0: the database port from the cluster's security group only; no egress.
      const sg = new ec2.SecurityGroup(
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
      const params = new rds.ParameterGroup(
        `${name}-params`,
        // A new engine major version is a new family, so a new group replaces the old one.
        { namePrefix: `${id}-`, family: parameterFamily(cfg), description: `${id}: TLS required`, parameters: rdsParameters() },
        child,
      );
      let monitoringRoleArn: pulumi.Output<string> | undefined;
      const instanceDependsOn: pulumi.Resource[] = [];
      if (ms.rds.monitoringIntervalSeconds > 0) {
        const role = new iam.Role(
          `${name}-monitoring`,
          // IAM allows a 38-character prefix (64 less the provider's 26-character suffix).
          { namePrefix: `${APP_NAME}-${cfg.environment}-rds-monitoring-`, assumeRolePolicy: JSON.stringify(rdsMonitoringTrustPolicy()), ...boundary(aw) },
          child,
        );
        // RDS checks the role's permissions when the instance is created: the instance
        // waits for the attachment, not only for the role.
        instanceDependsOn.push(
          new iam.RolePolicyAttachment(
            `${name}-monitoring`,
            { role: role.name, policyArn: "arn:aws:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole" },
            child,
          ),
        );
        monitoringRoleArn = role.arn;
      }
      // Unique per instance: a second deletion (after a re-create) must not meet the first's snapshot.
      const snapshotSuffix = new random.RandomId(`${name}-final-snapshot`, { byteLength: 4, keepers: { identifier: id } }, child);
      const instance = new rds.Instance(
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
