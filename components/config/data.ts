// The data part of the contract (R-DATA-0..5, R-WL-8): the AWS account and network the
// stack lives in, the memory-store database, its backups and the image registry. Shapes
// only; which settings must agree is in rules/ (rules/data.ts for these).
import { z } from "zod";
import { containerResources, duration, pgIdentifier, quantity, text } from "./fields";
import { ecrRepositoryName, pinnedImage } from "./images";
import { cronSchedule } from "./schedule";
import { RDS_CA_FAMILY, RdsCaIdentifier } from "./rdsCa";

const awsId = (prefix: string, example: string) =>
  text(`an AWS ID such as ${example}`).regex(new RegExp(`^${prefix}-[0-9a-f]{8,17}$`), { message: `must be an AWS ID such as ${example}` });

const arn = (service: string, example: string) =>
  text(`an ARN such as ${example}`).regex(new RegExp(`^arn:aws(-[a-z]+)*:${service}::\\d{12}:oidc-provider/[a-z0-9.-]+(/[A-Za-z0-9._-]+)*$`), {
    message: `must be an IAM OIDC provider ARN such as ${example}`,
  });

const days = (description: string, min = 1, max = 3650) => z.number().int().min(min).max(max).describe(description);

export const awsSchema = z
  .strictObject({
    enabled: z
      .boolean()
      .describe("Declare the AWS resources (RDS, KMS key, bucket, IAM roles, ECR); false for a cluster without AWS (README: what is then missing)."),
    region: text("an AWS region such as eu-west-1")
      .regex(/^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d$/, { message: "must be an AWS region such as eu-west-1" })
      .describe("AWS region of every AWS resource of the stack."),
    accountId: text("a 12-digit AWS account ID")
      .regex(/^\d{12}$/, { message: "must be the 12-digit AWS account ID, quoted (\"123456789012\")" })
      .describe("AWS account the stack deploys to; checked against the credentials' account by `pulumi up` (allowedAccountIds).")
      .optional(),
    vpcId: awsId("vpc", "vpc-0a1b2c3d4e5f67890").describe("VPC of the cluster and the database.").optional(),
    privateSubnetIds: z
      .array(awsId("subnet", "subnet-0a1b2c3d4e5f67890"))
      .min(2)
      .describe("Private subnets (two or more zones) of the DB subnet group.")
      .optional(),
    clusterSecurityGroupId: awsId("sg", "sg-0a1b2c3d4e5f67890")
      .describe("Security group of the cluster's nodes (or pods): the only source the database admits on its port.")
      .optional(),
    oidcProviderArn: arn("iam", "arn:aws:iam::123456789012:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLE")
      .describe("The cluster's IAM OIDC provider: the export and restore ServiceAccounts assume their roles through it (IRSA).")
      .optional(),
    permissionsBoundary: text("an IAM policy ARN such as arn:aws:iam::123456789012:policy/agent-platform-prod-boundary")
      .regex(/^arn:aws(-[a-z]+)*:iam::\d{12}:policy\/[\w+=,.@/-]+$/, { message: "must be an IAM policy ARN such as arn:aws:iam::123456789012:policy/agent-platform-prod-boundary" })
      .describe("The permissions boundary every IAM role of the stack carries: the bootstrap stack's (output pipeline.boundaryArns), which the pipeline's deploy role may create roles under and no other way (R-CI-6).")
      .optional(),
    tags: z.record(z.string(), z.string()).describe("Tags on every AWS resource (the provider's defaultTags)."),
  })
  .describe("The AWS account, network and cluster identity the data resources live in (R-DATA).");

export const MEMORY_STORE_MODES = ["rds", "inCluster", "external"] as const;

export const memoryStoreSchema = z
  .strictObject({
    mode: z
      .enum(MEMORY_STORE_MODES)
      .describe("Where the memory store lives: rds (Amazon RDS for PostgreSQL; staging and prod), inCluster (a hardened PostgreSQL StatefulSet; dev), external (a URL set as the databaseUrl secret)."),
    databaseName: pgIdentifier.describe("Database of the memory store."),
    appRole: pgIdentifier.describe("Role the platform connects as: owns the memory-store database, nothing else (no superuser, CREATEDB or CREATEROLE)."),
    backupRole: pgIdentifier.describe("Read-only role the export runs as (pg_read_all_data)."),
    port: z.number().int().min(1150).max(65535).describe("Database port (RDS allows 1150-65535)."),
    rds: z
      .strictObject({
        engineVersion: text("a PostgreSQL major version such as \"16\"")
          .regex(/^1[3-9]$/, { message: "must be a PostgreSQL major version such as \"16\" (minor versions follow AWS's automatic upgrades)" })
          .describe("PostgreSQL major version; minor versions upgrade in the maintenance window."),
        instanceClass: text("an RDS instance class such as db.r6g.large")
          .regex(/^db\.[a-z0-9-]+\.[a-z0-9]+$/, { message: "must be an RDS instance class such as db.r6g.large" })
          .describe("RDS instance class."),
        allocatedStorageGb: z.number().int().min(20).max(65536).describe("Initial storage, GiB (gp3)."),
        maxAllocatedStorageGb: z.number().int().min(20).max(65536).describe("Storage autoscaling ceiling, GiB; at least allocatedStorageGb."),
        multiAz: z.boolean().describe("Multi-AZ standby (R-DATA-0: required in prod)."),
        backupRetentionDays: days("Automated backups and point-in-time recovery window, days (R-DATA-2: 30).", 1, 35),
        backupWindow: text("a window such as 02:00-03:00")
          .regex(/^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-3]):[0-5]\d$/, { message: "must be a UTC window hh:mm-hh:mm such as 02:00-03:00" })
          .describe("Daily automated-backup window, UTC."),
        maintenanceWindow: text("a window such as sun:03:30-sun:04:30")
          .regex(/^(mon|tue|wed|thu|fri|sat|sun):([01]\d|2[0-3]):[0-5]\d-(mon|tue|wed|thu|fri|sat|sun):([01]\d|2[0-3]):[0-5]\d$/, {
            message: "must be a UTC window ddd:hh:mm-ddd:hh:mm such as sun:03:30-sun:04:30",
          })
          .describe("Weekly maintenance window, UTC; must not overlap the backup window."),
        performanceInsights: z.boolean().describe("Performance Insights (encrypted with the stack's key); not on micro and small burstable classes."),
        performanceInsightsRetentionDays: z
          .number()
          .int()
          .refine((d) => d === 7 || (d % 31 === 0 && d >= 31 && d <= 713) || d === 731, { message: "must be 7, a multiple of 31 up to 713, or 731" })
          .describe("Performance Insights retention, days."),
        monitoringIntervalSeconds: z
          .union([z.literal(0), z.literal(1), z.literal(5), z.literal(10), z.literal(15), z.literal(30), z.literal(60)])
          .describe("Enhanced monitoring interval, seconds: 0 (off), 1, 5, 10, 15, 30 or 60."),
        deletionProtection: z.boolean().describe("RDS deletion protection (R-DATA-0)."),
        caCertIdentifier: z
          .enum(Object.keys(RDS_CA_FAMILY) as [RdsCaIdentifier, ...RdsCaIdentifier[]])
          .describe("Server certificate authority; the pods verify the server against it (sslmode=verify-full)."),
        masterUsername: pgIdentifier.describe("Master user (the bootstrap and restore Jobs only; the password is generated)."),
      })
      .describe("Amazon RDS for PostgreSQL (mode rds)."),
    inCluster: z
      .strictObject({
        image: pinnedImage.describe("Official postgres image, pinned by digest."),
        storage: quantity("PersistentVolumeClaim size of the data directory."),
        storageClass: z.string().min(1).describe("StorageClass of the volume (cluster default when unset).").optional(),
        resources: z.strictObject({
          requests: z.strictObject({ cpu: quantity("CPU request."), memory: quantity("Memory request.") }),
          limits: z.strictObject({ cpu: quantity("CPU limit."), memory: quantity("Memory limit.") }),
        }),
        scratch: z
          .strictObject({
            runSizeLimit: quantity("Size limit of the emptyDir at /var/run/postgresql (the server's socket and lock files)."),
            tmpSizeLimit: quantity("Size limit of the server's /tmp emptyDir."),
          })
          .describe("Writable scratch volumes of the server; the root filesystem is read-only."),
        probes: z
          .strictObject({
            readinessPeriod: duration("Period of the pg_isready readiness probe.", { min: 1, wholeSeconds: true, consumer: "a probe's periodSeconds" }),
            livenessPeriod: duration("Period of the pg_isready liveness probe.", { min: 1, wholeSeconds: true, consumer: "a probe's periodSeconds" }),
            livenessTimeout: duration("Timeout of the liveness probe; not longer than its period.", { min: 1, wholeSeconds: true, consumer: "a probe's timeoutSeconds" }),
            livenessFailureThreshold: z.number().int().min(1).max(10).describe("Liveness failures before the server is restarted."),
          })
          .describe("Health probes of the server."),
      })
      .describe("In-cluster PostgreSQL (mode inCluster): a single-replica StatefulSet on a PVC, for dev."),
    clientImage: pinnedImage.describe("postgres image whose psql/pg_dump/pg_restore the bootstrap, export and restore Jobs run; same major version as the server or newer."),
    clientResources: containerResources("each container of the bootstrap, export and restore Jobs (psql, pg_dump, pg_restore, the AWS CLI)"),
    bootstrapTimeout: duration("Deadline of the role bootstrap Job.", { min: 30, wholeSeconds: true, consumer: "a Job's activeDeadlineSeconds" }),
  })
  .describe("The memory-store database (R-DATA-0, R-WL-8).");

export const backupsSchema = z
  .strictObject({
    enabled: z.boolean().describe("Daily logical exports to the backup bucket, with their freshness alert (R-DATA-2, R-DATA-3); needs aws.enabled."),
    retention: z
      .strictObject({
        exportsDays: days("Days an export is kept (R-DATA-2: 30)."),
        configDays: days("Days a daily configuration snapshot (config/) is kept."),
        stateDays: days("Days a weekly full Pulumi state export (state/) is kept."),
        noncurrentDays: days("Days an overwritten or deleted object version is kept before it expires."),
        accessLogsDays: days("Days the bucket's server access logs are kept."),
        keepNewest: z
          .number()
          .int()
          .min(1)
          .max(365)
          .describe("Exports always kept, however old (R-DATA-7): the drill prunes an export only when it is older than exportsDays and this many newer ones exist; lifecycle never expires an export."),
      })
      .describe("Lifecycle rules of the backup bucket (R-DATA-2)."),
    objectLock: z
      .strictObject({
        mode: z.enum(["GOVERNANCE", "COMPLIANCE"]).describe("S3 Object Lock mode: GOVERNANCE (the break-glass role may lift it) or COMPLIANCE (nobody may, not even the account's root)."),
        days: days("Days every object version is locked from the moment it is written (R-DATA-7)."),
      })
      .describe("S3 Object Lock on the backup bucket (R-DATA-7): no version can be overwritten or deleted while locked."),
    breakGlassRole: text("an IAM role name such as agent-platform-break-glass")
      .regex(/^[\w+=,.@-]{1,64}$/, { message: "must be an IAM role name such as agent-platform-break-glass" })
      .describe("The one role that may change the backup bucket's versioning, lifecycle, Object Lock or policy, or delete object versions (R-DATA-7); deploys that change them run as it."),
    drill: z
      .strictObject({
        enabled: z.boolean().describe("Run the restore drill (R-DATA-8)."),
        schedule: cronSchedule("CronJob schedule of the drill, UTC (monthly by default)."),
        scratchDatabase: pgIdentifier.describe("Database the drill restores into, verifies and drops; must not be the memory store's."),
        deadline: duration("Deadline of a drill run.", { min: 60, wholeSeconds: true, consumer: "a Job's activeDeadlineSeconds" }),
      })
      .describe("The restore drill (R-DATA-8): the newest export restored into a scratch database, verified against its manifest, dropped; then older exports pruned."),
    disasterRecovery: z
      .strictObject({
        enabled: z.boolean().describe("Copy the exports (and in prod the database's automated backups) to a second region (R-DATA-8)."),
        region: text("an AWS region such as eu-central-1")
          .regex(/^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d$/, { message: "must be an AWS region such as eu-central-1" })
          .describe("The second region; not aws.region."),
        rdsBackups: z.boolean().describe("Replicate the RDS instance's automated backups to the second region (point-in-time recovery there)."),
        rdsBackupRetentionDays: days("Days the replicated automated backups are kept in the second region.", 1, 35),
      })
      .describe("Disaster recovery in a second region (R-DATA-8)."),
    export: z
      .strictObject({
        schedule: cronSchedule("CronJob schedule of the export, UTC (R-DATA-2: at least daily)."),
        startingDeadline: duration("How late a missed run may still start.", { min: 10, wholeSeconds: true, consumer: "startingDeadlineSeconds" }),
        deadline: duration("Deadline of one export run.", { min: 60, wholeSeconds: true, consumer: "a Job's activeDeadlineSeconds" }),
        backoffLimit: z.number().int().min(0).max(10).describe("Retries of a failed export within one run."),
        historyLimit: z.number().int().min(1).max(10).describe("Finished export Jobs kept, successful and failed each."),
      })
      .describe("The export CronJob (R-DATA-2, R-DATA-3)."),
    uploaderImage: pinnedImage.describe("AWS CLI image the upload and download steps run, pinned by digest."),
    workVolume: quantity("Size limit of the emptyDir the export and restore pods hold one dump in; larger than the biggest dump."),
    awsTokenLifetime: duration(
      "Lifetime of the projected token the export and restore pods exchange for AWS credentials; the kubelet renews it at 80 % of this or after 24 h, so a longer one only keeps a leaked token valid longer.",
      { min: 600, max: 86400, wholeSeconds: true, consumer: "a projected service account token's expirationSeconds" },
    ),
    restore: z
      .strictObject({
        targetDatabase: pgIdentifier.describe("Database the restore Job creates and restores into by default; it must not exist yet."),
        jobs: z.number().int().min(1).max(16).describe("Parallel pg_restore jobs (the target is a new database, so no single transaction is needed)."),
        deadline: duration("Deadline of a restore run.", { min: 60, wholeSeconds: true, consumer: "a Job's activeDeadlineSeconds" }),
      })
      .describe("The restore Job template (R-DATA-5)."),
    ciWriter: z
      .strictObject({
        oidcProviderArn: arn("iam", "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com"),
        repository: text("owner/name").regex(/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/, { message: "must be a GitHub repository owner/name" }),
      })
      .describe("GitHub Actions OIDC identity of the backup workflow, which writes config/ daily and state/ weekly (R-DATA-2).")
      .optional(),
  })
  .describe("Backups of the memory store and of the stack (R-DATA-1..3, R-DATA-5).");

export const registrySchema = z
  .strictObject({
    repository: ecrRepositoryName.describe(
      "ECR repository of the platform image, declared by the bootstrap stack (bootstrap/, one per account); prod's image must come from it.",
    ),
    allowExternalImages: z
      .boolean()
      .describe("Allow a prod image from outside the declared registry (R-DATA-4); prod images are pinned by digest regardless."),
  })
  .describe("The platform image registry (R-DATA-4).");

