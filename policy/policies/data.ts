// Data policies (R-DATA-0..4, R-CI-5): every data store (RDS instances, Aurora clusters
// and their instances) safe and private, no security group opening a database port or SSH
// to the world, the ECR repository, protected stateful resources, the backup bucket with
// every resource that configures it, and no public ACL or bucket policy.
import type { PolicyResource, ReportViolation, ResourceValidationPolicy, StackValidationArgs, StackValidationPolicy } from "@pulumi/policy";
import { Props, describeResource, forType, list } from "./common";

/** What keeps an RDS instance or an Aurora cluster from R-DATA-0/R-DATA-2. */
function storeProblems(p: Props): string[] {
  const problems: string[] = [];
  if (p.storageEncrypted !== true) problems.push("storage is not encrypted");
  if (!p.kmsKeyId) problems.push("no customer-managed KMS key");
  if (!(Number(p.backupRetentionPeriod) >= 30)) problems.push(`backups kept ${p.backupRetentionPeriod ?? 0} days, not 30`);
  if (p.deletionProtection !== true) problems.push("deletion protection is off");
  if (p.skipFinalSnapshot === true) problems.push("no final snapshot");
  if (p.publiclyAccessible === true) problems.push("publicly accessible");
  return problems;
}

export const rdsSafety: ResourceValidationPolicy = {
  name: "rds-encrypted-backed-up-private",
  description:
    "R-DATA-0, R-DATA-2: every data store (RDS instances, Aurora clusters) is encrypted with a customer-managed key, keeps 30 days of backups, has deletion protection and a final snapshot, and is not publicly accessible (an Aurora cluster's instances included).",
  remediationSteps: "memoryStore.rds in the stack file: keep the profile's storage encryption, backupRetentionDays 30, deletionProtection true; an Aurora cluster states the same on the cluster.",
  validateResource: [
    forType("aws:rds/instance:Instance", (p, what, report) => {
      const problems = storeProblems(p);
      if (problems.length) report(`${what}: ${problems.join("; ")} (R-DATA-0, R-DATA-2)`);
    }),
    forType("aws:rds/cluster:Cluster", (p, what, report) => {
      // Aurora encrypts with the cluster's key; its instances only inherit it.
      const problems = storeProblems(p);
      if (problems.length) report(`${what}: ${problems.join("; ")} (R-DATA-0, R-DATA-2)`);
    }),
    forType("aws:rds/clusterInstance:ClusterInstance", (p, what, report) => {
      if (p.publiclyAccessible === true) report(`${what}: publicly accessible (R-DATA-0)`);
    }),
  ],
};

/** Ports that must never be open to the world: SSH, RDP and the data stores'. */
const DEFAULT_PORTS = [22, 3389, 5432, 3306, 1433, 1521, 6379, 27017, 9200];
const WORLD = ["0.0.0.0/0", "::/0"];

/** The ports of `ports` a rule (protocol, from, to) opens. */
function opened(protocol: unknown, from: unknown, to: unknown, ports: number[]): number[] {
  const proto = String(protocol ?? "");
  if (proto === "-1" || proto === "all") return ports;
  if (proto !== "tcp" && proto !== "6" && proto !== "udp" && proto !== "17") return [];
  const lo = Number(from ?? 0);
  const hi = Number(to ?? from ?? 0);
  return ports.filter((p) => p >= lo && p <= hi);
}

export const noWorldOpenPorts: ResourceValidationPolicy = {
  name: "no-world-open-data-or-ssh-ports",
  description:
    "R-DATA-0, R-CI-5: no security group lets the whole internet (0.0.0.0/0 or ::/0) reach SSH, RDP or a database port, whether the rule is inline, an aws.ec2.SecurityGroupRule or an aws.vpc.SecurityGroupIngressRule.",
  remediationSteps: "Admit the cluster's security group (memoryStore's ingress does) or a private CIDR; reach hosts through SSM Session Manager, not SSH from the internet.",
  configSchema: { properties: { ports: { type: "array", items: { type: "number" }, default: DEFAULT_PORTS } } },
  validateResource: (args, report) => {
    const ports = list(args.getConfig<{ ports?: number[] }>().ports).map(Number);
    const what = describeResource(args.type, args.props, args.name);
    const p = args.props;
    const rules: Array<{ cidrs: string[]; protocol: unknown; from: unknown; to: unknown }> = [];
    if (args.type === "aws:ec2/securityGroup:SecurityGroup") {
      for (const r of list(p.ingress)) rules.push({ cidrs: [...list(r?.cidrBlocks), ...list(r?.ipv6CidrBlocks)], protocol: r?.protocol, from: r?.fromPort, to: r?.toPort });
    } else if (args.type === "aws:ec2/securityGroupRule:SecurityGroupRule" && p.type === "ingress") {
      rules.push({ cidrs: [...list(p.cidrBlocks), ...list(p.ipv6CidrBlocks)], protocol: p.protocol, from: p.fromPort, to: p.toPort });
    } else if (args.type === "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule") {
      rules.push({ cidrs: [p.cidrIpv4, p.cidrIpv6].filter(Boolean), protocol: p.ipProtocol, from: p.fromPort, to: p.toPort });
    }
    for (const r of rules) {
      const world = r.cidrs.filter((c) => WORLD.includes(String(c)));
      const open = opened(r.protocol, r.from, r.to, ports);
      if (world.length && open.length) report(`${what}: ${world.join(" and ")} may reach port ${open.join(", ")}; admit only the cluster's security group or a private range (R-DATA-0)`);
    }
  },
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

/**
 * SNS topics (R-CI-5, R-OBS-6): a topic holds each message until it is delivered, so it is
 * encrypted under a customer-managed key. Not under AWS's `alias/aws/sns`: its policy
 * cannot be changed, so services that publish to a topic (CloudWatch alarms among them)
 * cannot use it and their messages are dropped (SNS Developer Guide, "Enable
 * compatibility between event sources from AWS services and encrypted topics").
 */
export const snsTopicsEncrypted: ResourceValidationPolicy = {
  name: "sns-topics-encrypted-cmk",
  description:
    "R-CI-5, R-OBS-6: every SNS topic is encrypted under a customer-managed KMS key, not unencrypted and not under the AWS-managed alias/aws/sns, whose policy no publishing service can be admitted to.",
  remediationSteps: "Set kmsMasterKeyId to a key of the topic's region whose policy lets the topic's publishers use it (components/observability/uptime-check.ts does).",
  validateResource: forType("aws:sns/topic:Topic", (p, what, report) => {
    const key = p.kmsMasterKeyId === undefined || p.kmsMasterKeyId === "" ? undefined : String(p.kmsMasterKeyId);
    if (key === undefined) report(`${what}: not encrypted; set kmsMasterKeyId to a customer-managed key (R-CI-5)`);
    else if (/(^|:)alias\/aws\//.test(key)) report(`${what}: encrypted under the AWS-managed ${key}, which no publishing service can use; set kmsMasterKeyId to a customer-managed key (R-CI-5)`);
  }),
};

const STATEFUL = [
  "aws:rds/instance:Instance",
  "aws:rds/cluster:Cluster",
  "aws:s3/bucket:Bucket",
  "aws:kms/key:Key",
  "aws:ecr/repository:Repository",
  "aws:dynamodb/table:Table",
  "aws:efs/fileSystem:FileSystem",
];

export const statefulProtected: ResourceValidationPolicy = {
  name: "stateful-resources-protected",
  description:
    "R-DATA-0, R-DATA-1: resources that hold data (RDS instances and Aurora clusters, S3 buckets, KMS keys, ECR repositories, DynamoDB tables, EFS file systems) are declared with protect, so no destroy or replacement removes them.",
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

const PUBLIC_ACLS = ["public-read", "public-read-write", "authenticated-read"];
const PUBLIC_GRANTEES = ["http://acs.amazonaws.com/groups/global/AllUsers", "http://acs.amazonaws.com/groups/global/AuthenticatedUsers"];
/** Condition keys that confine a "*" principal to this account, organisation, source or endpoint. */
const CONFINING = ["aws:SourceAccount", "aws:SourceArn", "aws:SourceVpce", "aws:SourceVpc", "aws:PrincipalOrgID", "aws:PrincipalAccount", "aws:PrincipalArn"];

/** Allow statements of a bucket policy that admit anyone. */
function publicStatements(policy: unknown): string[] {
  const doc = typeof policy === "string" ? (() => { try { return JSON.parse(policy); } catch { return undefined; } })() : policy;
  return list([doc?.Statement].flat().filter(Boolean))
    .filter((st: Props) => st.Effect === "Allow")
    .filter((st: Props) => st.Principal === "*" || [st.Principal?.AWS].flat().includes("*"))
    .filter((st: Props) => !Object.values(st.Condition ?? {}).some((keys) => Object.keys(keys as Props).some((k) => CONFINING.includes(k))))
    .map((st: Props, i: number) => (st.Sid ? `statement ${st.Sid}` : `statement ${i + 1}`));
}

export const s3NotPublic: ResourceValidationPolicy = {
  name: "s3-no-public-acl-or-policy",
  description:
    "R-DATA-1, R-CI-5: no bucket or object ACL grants everyone or every AWS user, and no bucket policy allows a \"*\" principal without confining it to an account, organisation, source or endpoint, even though the public-access block would refuse it at apply (defence in depth).",
  remediationSteps: "Keep ACLs off (BucketOwnerEnforced) and name the principals a bucket policy allows.",
  validateResource: (args, report) => {
    const p = args.props;
    const what = describeResource(args.type, p, args.name);
    if (["aws:s3/bucket:Bucket", "aws:s3/bucketAcl:BucketAcl", "aws:s3/bucketAclV2:BucketAclV2", "aws:s3/bucketObject:BucketObject", "aws:s3/bucketObjectv2:BucketObjectv2"].includes(args.type)) {
      if (PUBLIC_ACLS.includes(p.acl)) report(`${what}: ACL ${p.acl} makes it public; remove the ACL (R-DATA-1)`);
      const grants = list(p.accessControlPolicy?.grants).filter((g) => PUBLIC_GRANTEES.includes(g?.grantee?.uri));
      if (grants.length) report(`${what}: its ACL grants ${grants.map((g) => `${g.permission} to ${g.grantee.uri.split("/").pop()}`).join(", ")}; remove the grant (R-DATA-1)`);
    }
    if (args.type === "aws:s3/bucketPolicy:BucketPolicy" || (args.type === "aws:s3/bucket:Bucket" && p.policy)) {
      const open = publicStatements(p.policy);
      if (open.length) report(`${what}: ${open.join(", ")} allow${open.length === 1 ? "s" : ""} everyone ("*"); name the principals (R-DATA-1)`);
    }
  },
};

// ------------------------------------------------------------ stack level ----
