// Data policies (R-DATA-0..4): RDS safety and Multi-AZ, the ECR repository, protected
// stateful resources, and the backup bucket with every resource that configures it.
import type { PolicyResource, ReportViolation, ResourceValidationPolicy, StackValidationArgs, StackValidationPolicy } from "@pulumi/policy";
import { Props, describeResource, forType, list } from "./common";

export const rdsSafety: ResourceValidationPolicy = {
  name: "rds-encrypted-backed-up-private",
  description: "R-DATA-0, R-DATA-2: RDS instances are encrypted with a customer-managed key, keep 30 days of backups, have deletion protection and a final snapshot, and are not publicly accessible.",
  remediationSteps: "memoryStore.rds in the stack file: keep the profile's storage encryption, backupRetentionDays 30, deletionProtection true.",
  validateResource: forType("aws:rds/instance:Instance", (p, what, report) => {
    const problems: string[] = [];
    if (p.storageEncrypted !== true) problems.push("storage is not encrypted");
    if (!p.kmsKeyId) problems.push("no customer-managed KMS key");
    if (!(Number(p.backupRetentionPeriod) >= 30)) problems.push(`backups kept ${p.backupRetentionPeriod ?? 0} days, not 30`);
    if (p.deletionProtection !== true) problems.push("deletion protection is off");
    if (p.skipFinalSnapshot === true) problems.push("no final snapshot");
    if (p.publiclyAccessible === true) problems.push("publicly accessible");
    if (problems.length) report(`${what}: ${problems.join("; ")} (R-DATA-0, R-DATA-2)`);
  }),
};

export const prodRdsMultiAz: ResourceValidationPolicy = {
  name: "prod-rds-multi-az",
  description: "R-DATA-0: the prod memory store runs Multi-AZ.",
  remediationSteps: "Keep memoryStore.rds.multiAz true in prod.",
  validateResource: forType("aws:rds/instance:Instance", (p, what, report) => {
    if (p.multiAz !== true) report(`${what}: not Multi-AZ; prod runs a standby in a second zone (R-DATA-0)`);
  }),
};

export const ecrRepository: ResourceValidationPolicy = {
  name: "ecr-scanned-immutable-encrypted",
  description: "R-DATA-4: ECR repositories scan on push, have immutable tags and are encrypted with KMS.",
  remediationSteps: "imageScanningConfiguration.scanOnPush true, imageTagMutability IMMUTABLE, encryptionConfigurations [{encryptionType: KMS}].",
  validateResource: forType("aws:ecr/repository:Repository", (p, what, report) => {
    const problems: string[] = [];
    if (p.imageScanningConfiguration?.scanOnPush !== true) problems.push("no scan on push");
    if (p.imageTagMutability !== "IMMUTABLE") problems.push("tags are mutable");
    if (!list(p.encryptionConfigurations).some((e) => e.encryptionType === "KMS")) problems.push("not encrypted with KMS");
    if (problems.length) report(`${what}: ${problems.join("; ")} (R-DATA-4)`);
  }),
};

const STATEFUL = ["aws:rds/instance:Instance", "aws:s3/bucket:Bucket", "aws:kms/key:Key", "aws:ecr/repository:Repository"];

export const statefulProtected: ResourceValidationPolicy = {
  name: "stateful-resources-protected",
  description: "R-DATA-0, R-DATA-1: resources that hold data (RDS instances, S3 buckets, KMS keys, ECR repositories) are declared with protect, so no destroy or replacement removes them.",
  remediationSteps: "Declare the resource with { protect: true } (components/data/memory-store.ts does).",
  validateResource: (args, report) => {
    if (STATEFUL.includes(args.type) && args.opts.protect !== true) {
      report(`${describeResource(args.type, args.props, args.name)}: holds data but is not protected; declare it with protect: true (R-DATA-0, R-DATA-1)`);
    }
  },
};

/**
 * Whether `sub` configures `bucket`: by its property dependency, else by the bucket name it
 * names (an S3 bucket's id is its name). A name unknown on either side (a preview) links nothing.
 */
function configures(sub: PolicyResource, bucket: PolicyResource, prop: string): boolean {
  if (sub.propertyDependencies[prop]?.some((d) => d.urn === bucket.urn)) return true;
  const v = sub.props[prop];
  return v !== undefined && v === bucket.props.bucket;
}

export const s3Buckets: StackValidationPolicy = {
  name: "s3-buckets-encrypted-versioned-private-tls",
  description:
    "R-DATA-1: every S3 bucket is encrypted (SSE-KMS; SSE-S3 only for a server-access-log target, which S3 log delivery requires), versioned, has all four public-access blocks, and a policy that denies requests without TLS.",
  remediationSteps: "Declare the bucket through BackupStore (components/data/backup-store.ts), which adds each of these resources.",
  validateStack: (args: StackValidationArgs, report: ReportViolation) => {
    const all = args.resources;
    const of = (type: string, bucket: PolicyResource) => all.filter((r) => r.type === type && configures(r, bucket, "bucket"));
    for (const bucket of all.filter((r) => r.type === "aws:s3/bucket:Bucket")) {
      const what = describeResource(bucket.type, bucket.props, bucket.name);
      const problems: string[] = [];
      const logTarget = all.some((r) => r.type === "aws:s3/bucketLogging:BucketLogging" && configures(r, bucket, "targetBucket"));
      const sse = of("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", bucket)
        .flatMap((r) => list(r.props.rules))
        .map((rule: Props) => rule.applyServerSideEncryptionByDefault?.sseAlgorithm);
      if (!sse.includes("aws:kms") && !(logTarget && sse.includes("AES256"))) problems.push("not encrypted with KMS");
      if (!of("aws:s3/bucketVersioning:BucketVersioning", bucket).some((r) => r.props.versioningConfiguration?.status === "Enabled")) problems.push("not versioned");
      const blocks = ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"];
      if (!of("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", bucket).some((r) => blocks.every((b) => r.props[b] === true))) {
        problems.push("public access not blocked (all four blocks)");
      }
      const tlsOnly = of("aws:s3/bucketPolicy:BucketPolicy", bucket).some((r) => {
        const doc = typeof r.props.policy === "string" ? JSON.parse(r.props.policy) : r.props.policy;
        return list(doc?.Statement).some(
          (st: Props) => st.Effect === "Deny" && ["s3:*", "*"].includes([st.Action].flat()[0]) && String(st.Condition?.Bool?.["aws:SecureTransport"]) === "false",
        );
      });
      if (!tlsOnly) problems.push("no policy denying requests without TLS");
      if (problems.length) report(`${what}: ${problems.join("; ")} (R-DATA-1)`, bucket.urn);
    }
  },
};

// ------------------------------------------------------------ stack level ----
