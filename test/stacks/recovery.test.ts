// R-DATA-7, R-DATA-8 over the mocked graph of each stack: write-once exports (Object
// Lock, conditional writes, administration for the break-glass role alone), the copy in
// a second region, RDS's backup replication in prod, and the monthly restore drill.
// Expected values are REQUIREMENTS' and the profiles' documented defaults (docs/data.md).
import { strict as assert } from "assert";
import { type RecordedResource } from "../../render/mockRuntime";
import { renderRaw } from "../../render";
import { one, stack, stackRaw } from "../helpers/mocks";
import { at, problemsOf } from "../helpers/config";
import { replicationRolePolicy } from "../../components/model/data/recovery";

const of = (r: { resources: RecordedResource[] }, type: string) => r.resources.filter((x) => x.type === type);
const inputs = (x: RecordedResource) => x.inputs as any;
const policyOf = (r: { resources: RecordedResource[] }, bucket: string) =>
  JSON.parse(inputs(of(r, "aws:s3/bucketPolicy:BucketPolicy").find((x) => inputs(x).bucket === bucket)!).policy);
const bySid = (doc: any) => Object.fromEntries(doc.Statement.map((st: any) => [st.Sid, st]));
const BREAK_GLASS = "arn:aws:iam::123456789012:role/agent-platform-break-glass";
const ADMINISTRATION = [
  "s3:PutBucketVersioning",
  "s3:PutLifecycleConfiguration",
  "s3:PutBucketObjectLockConfiguration",
  "s3:PutReplicationConfiguration",
  "s3:PutBucketPolicy",
  "s3:DeleteBucketPolicy",
  "s3:DeleteObjectVersion",
  "s3:BypassGovernanceRetention",
];
const LOCK = { staging: { mode: "GOVERNANCE", days: 30 }, prod: { mode: "COMPLIANCE", days: 30 } } as const;

for (const s of ["staging", "prod"] as const) {
  describe(`stack ${s}: exports no one can rewrite, a second region and a drill (R-DATA-7, R-DATA-8)`, () => {
    const bucket = `agent-platform-${s}-backups-0a1b2c3`;
    const replicas = `agent-platform-${s}-replicas-0a1b2c3`;

    it(`R-DATA-7: Object Lock ${LOCK[s].mode} for ${LOCK[s].days} days on the backup bucket and its replica, after versioning`, async () => {
      const r = await stack(s);
      for (const b of [bucket, replicas]) {
        const lock = of(r, "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration").find((x) => inputs(x).bucket === b)!;
        assert.deepEqual(inputs(lock), { bucket: b, objectLockEnabled: "Enabled", rule: { defaultRetention: { mode: LOCK[s].mode, days: LOCK[s].days } } });
        assert.equal(lock.options.dependsOn?.length, 1);
        assert.match(lock.options.dependsOn![0], /BucketVersioning::/);
      }
    });

    it("R-DATA-7: no upload to exports/ without If-None-Match; versioning, lifecycle, lock, replication, policy and version deletes for the break-glass role alone", async () => {
      const r = await stack(s);
      const arn = `arn:aws:s3:::${bucket}`;
      const st = bySid(policyOf(r, bucket));
      assert.deepEqual(st.DenyExportWritesThatCouldReplace, {
        Sid: "DenyExportWritesThatCouldReplace",
        Effect: "Deny",
        Principal: "*",
        Action: "s3:PutObject",
        Resource: `${arn}/exports/*`,
        Condition: { Null: { "s3:if-none-match": "true" } },
      });
      assert.deepEqual(st.DenyAdministrationButBreakGlass, {
        Sid: "DenyAdministrationButBreakGlass",
        Effect: "Deny",
        Principal: "*",
        Action: ADMINISTRATION,
        Resource: [arn, `${arn}/*`],
        Condition: { ArnNotEquals: { "aws:PrincipalArn": BREAK_GLASS } },
      });
      // The policy comes last: once it stands, the deploy role may no longer change what it guards.
      const policy = of(r, "aws:s3/bucketPolicy:BucketPolicy").find((x) => inputs(x).bucket === bucket)!;
      for (const dep of ["BucketVersioning::backups-versioning", "BucketObjectLockConfiguration::backups-object-lock", "BucketLifecycleConfiguration::backups-lifecycle", "BucketReplicationConfig::backups-recovery-replication"]) {
        assert.ok(policy.options.dependsOn?.some((d: string) => d.endsWith(dep)), `the bucket policy waits for ${dep}`);
      }
    });

    it("R-DATA-7: the export writes, the restore lists and reads, the drill also deletes (a delete marker under the lock): exports/ only", async () => {
      const r = await stack(s);
      const role = (re: RegExp) => JSON.parse(inputs(of(r, "aws:iam/rolePolicy:RolePolicy").find((x) => re.test(x.name))!).policy);
      const actions = (doc: any) => doc.Statement.flatMap((st: any) => [st.Action].flat()).sort();
      assert.deepEqual(actions(role(/-drill$/)), ["kms:Decrypt", "s3:DeleteObject", "s3:GetObject", "s3:GetObjectVersion", "s3:ListBucket"]);
      const prune = bySid(role(/-drill$/)).PruneOldExports;
      assert.deepEqual(prune, { Sid: "PruneOldExports", Effect: "Allow", Action: "s3:DeleteObject", Resource: `arn:aws:s3:::${bucket}/exports/*` });
      for (const re of [/-export$/, /-restore$/, /-drill$/]) {
        assert.ok(!actions(role(re)).some((a: string) => /DeleteObjectVersion|BypassGovernance|PutBucket|PutLifecycle/.test(a)), `${re}: no administration`);
      }
    });

    it("R-DATA-8: exports/ replicated to eu-central-1 under that region's own rotating key, delete markers too, by a role only S3 of this account assumes", async () => {
      const r = await stack(s);
      const provider = r.resources.find((x) => x.type === "pulumi:providers:aws" && x.name === "aws-recovery")!;
      assert.equal(inputs(provider).region, "eu-central-1");
      const key = r.resources.find((x) => x.type === "aws:kms/key:Key" && x.name === "backups-recovery-key")!;
      assert.equal(inputs(key).enableKeyRotation, true);
      assert.equal(key.options.protect, true);
      const replicaKey = "arn:aws:kms:eu-central-1:123456789012:key/backups-recovery-key-id";
      const repl = inputs(of(r, "aws:s3/bucketReplicationConfig:BucketReplicationConfig")[0]);
      assert.equal(repl.bucket, bucket);
      assert.deepEqual(repl.rules, [
        {
          id: "exports-to-the-second-region",
          priority: 1,
          status: "Enabled",
          filter: { prefix: "exports/" },
          deleteMarkerReplication: { status: "Enabled" },
          sourceSelectionCriteria: { sseKmsEncryptedObjects: { status: "Enabled" } },
          destination: { bucket: `arn:aws:s3:::${replicas}`, encryptionConfiguration: { replicaKmsKeyId: replicaKey } },
        },
      ]);
      const trust = JSON.parse(inputs(r.resources.find((x) => x.type === "aws:iam/role:Role" && /-replication$/.test(x.name))!).assumeRolePolicy);
      assert.deepEqual(trust.Statement, [{ Effect: "Allow", Principal: { Service: "s3.amazonaws.com" }, Action: "sts:AssumeRole", Condition: { StringEquals: { "aws:SourceAccount": "123456789012" } } }]);
      const sse = inputs(of(r, "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration").find((x) => inputs(x).bucket === replicas)!);
      assert.deepEqual(sse.rules, [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: replicaKey }, bucketKeyEnabled: true }]);
    });

    it("R-DATA-7, R-DATA-8: the replica takes no put or delete but replication's, and no administration but the break-glass role's", async () => {
      const r = await stack(s);
      const arn = `arn:aws:s3:::${replicas}`;
      const notBreakGlass = { ArnNotEquals: { "aws:PrincipalArn": BREAK_GLASS } };
      assert.deepEqual(policyOf(r, replicas), {
        Version: "2012-10-17",
        Statement: [
          { Sid: "DenyInsecureTransport", Effect: "Deny", Principal: "*", Action: "s3:*", Resource: [arn, `${arn}/*`], Condition: { Bool: { "aws:SecureTransport": "false" } } },
          { Sid: "DenyBucketDeletion", Effect: "Deny", Principal: "*", Action: "s3:DeleteBucket", Resource: arn },
          { Sid: "DenyDirectWrites", Effect: "Deny", Principal: "*", Action: ["s3:PutObject", "s3:DeleteObject"], Resource: `${arn}/*`, Condition: notBreakGlass },
          { Sid: "DenyAdministrationButBreakGlass", Effect: "Deny", Principal: "*", Action: ADMINISTRATION, Resource: [arn, `${arn}/*`], Condition: notBreakGlass },
        ],
      });
      const pab = inputs(of(r, "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock").find((x) => inputs(x).bucket === replicas)!);
      for (const k of ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"]) assert.equal(pab[k], true, k);
      const lifecycle = inputs(of(r, "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration").find((x) => inputs(x).bucket === replicas)!);
      assert.deepEqual(lifecycle.rules.filter((x: any) => x.expiration?.days), [], "no rule expires a replica");
    });

    it(`R-DATA-8: RDS's automated backups replicated to the second region ${s === "prod" ? "for 14 days" : "only in prod"}`, async () => {
      const r = await stack(s);
      const repl = of(r, "aws:rds/instanceAutomatedBackupsReplication:InstanceAutomatedBackupsReplication");
      if (s === "staging") return assert.deepEqual(repl, []);
      assert.equal(repl.length, 1);
      assert.deepEqual(inputs(repl[0]), {
        sourceDbInstanceArn: "arn:aws:rds:eu-west-1:123456789012:db:agent-platform-prod-memory",
        kmsKeyId: "arn:aws:kms:eu-central-1:123456789012:key/backups-recovery-key-id",
        retentionPeriod: 14,
      });
    });

    it("R-DATA-8: the drill: monthly (30 4 1 * *), one at a time, no retry, 2 h; fetch and drill into memory_drill, then prune keeping the newest 7 and 30 days", async () => {
      const r = await stack(s);
      const cj = one(r, "CronJob", "agent-platform-restore-drill") as any;
      assert.equal(cj.spec.schedule, "30 4 1 * *");
      assert.equal(cj.spec.timeZone, "Etc/UTC");
      assert.equal(cj.spec.concurrencyPolicy, "Forbid");
      assert.equal(cj.spec.suspend, undefined);
      const job = cj.spec.jobTemplate.spec;
      assert.equal(job.activeDeadlineSeconds, 7200);
      assert.equal(job.backoffLimit, 0);
      const pod = job.template.spec;
      assert.equal(pod.serviceAccountName, "agent-platform-restore-drill");
      assert.equal(pod.automountServiceAccountToken, false);
      const steps = [...pod.initContainers, ...pod.containers].map((c: any) => [c.name, c.command.join(" ")]);
      assert.deepEqual(steps, [
        ["fetch", "/bin/sh /jobs/restore.sh fetch"],
        ["drill", "/bin/sh /jobs/restore.sh drill"],
        ["prune", "/bin/sh /jobs/restore.sh prune"],
      ]);
      const env = (name: string) => Object.fromEntries([...pod.initContainers, ...pod.containers].find((c: any) => c.name === name).env.map((e: any) => [e.name, e.value]));
      assert.equal(env("fetch").REQUIRE_S3_CHECKSUM, "true");
      assert.equal(env("drill").TARGET_DATABASE, "memory_drill");
      assert.equal(env("prune").KEEP_NEWEST, "7");
      assert.equal(env("prune").KEEP_DAYS, "30");
      assert.equal(env("prune").BUCKET, bucket);
      const sa = one(r, "ServiceAccount", "agent-platform-restore-drill") as any;
      assert.equal(sa.automountServiceAccountToken, false);
      const trust = JSON.parse(inputs(r.resources.find((x) => x.type === "aws:iam/role:Role" && /-drill$/.test(x.name))!).assumeRolePolicy);
      assert.match(JSON.stringify(trust), new RegExp(`system:serviceaccount:agent-platform-${s}:agent-platform-restore-drill`));
    });

    it("R-DATA-5, R-DATA-8: the restore and the drill CronJobs, stated whole: each step's image, user, environment, mounts and volumes", async () => {
      const r = await stack(s);
      const AWS_CLI = "amazon/aws-cli:2.31.13@sha256:e14216fb361cce909ce199616711ad103182d5937f851cda9bebf25867d7180a";
      const POSTGRES = "postgres:16.10-bookworm@sha256:38471f330eb885e04de130b768d6db4e10469e2311879c7e5c699f6d2d8a1c74";
      const resources = { limits: { cpu: "1", memory: "512Mi" }, requests: { cpu: "100m", memory: "128Mi" } };
      const hardened = (uid: number) => ({
        allowPrivilegeEscalation: false,
        capabilities: { drop: ["ALL"] },
        privileged: false,
        readOnlyRootFilesystem: true,
        runAsNonRoot: true,
        runAsUser: uid,
        seccompProfile: { type: "RuntimeDefault" },
      });
      const request = [{ configMapRef: { name: "agent-platform-restore-request", optional: true } }];
      const scripts = { mountPath: "/jobs", name: "scripts", readOnly: true };
      const work = { mountPath: "/work", name: "work" };
      const aws = (name: string, phase: string, role: string, env: object[], envFrom?: object[]) => ({
        name,
        image: AWS_CLI,
        command: ["/bin/sh", "/jobs/restore.sh", phase],
        env: [
          { name: "WORK_DIR", value: "/work" },
          { name: "BUCKET", value: bucket },
          { name: "PREFIX", value: "exports" },
          ...env,
          { name: "AWS_ROLE_ARN", value: `arn:aws:iam::123456789012:role/agent-platform-${s}-${role}-20260101000000000000000001` },
          { name: "AWS_WEB_IDENTITY_TOKEN_FILE", value: "/var/run/secrets/aws/token" },
          { name: "AWS_REGION", value: "eu-west-1" },
          { name: "AWS_STS_REGIONAL_ENDPOINTS", value: "regional" },
          { name: "HOME", value: "/work" },
        ],
        ...(envFrom ? { envFrom } : {}),
        resources,
        securityContext: hardened(10001),
        volumeMounts: [scripts, work, { mountPath: "/var/run/secrets/aws", name: "aws-token", readOnly: true }],
      });
      const db = (name: string, phase: string, env: object[], envFrom?: object[]) => ({
        name,
        image: POSTGRES,
        command: ["/bin/sh", "/jobs/restore.sh", phase],
        env: [
          { name: "WORK_DIR", value: "/work" },
          { name: "ADMIN_DATABASE_URL_FILE", value: "/secrets/ADMIN_DATABASE_URL" },
          { name: "APP_ROLE", value: "agent_app" },
          { name: "BACKUP_ROLE", value: "agent_backup" },
          { name: "RESTORE_JOBS", value: "2" },
          ...env,
        ],
        ...(envFrom ? { envFrom } : {}),
        resources,
        securityContext: hardened(999),
        volumeMounts: [scripts, work, { mountPath: "/secrets", name: "admin", readOnly: true }, { mountPath: "/app/certs", name: "db-ca", readOnly: true }],
      });
      const volumes = [
        { name: "scripts", configMap: { defaultMode: 0o555, name: "agent-platform-db-scripts" } },
        // backups.workVolume: 10Gi, 50Gi in prod (docs/data.md).
        { name: "work", emptyDir: { sizeLimit: s === "prod" ? "50Gi" : "10Gi" } },
        { name: "admin", secret: { defaultMode: 0o400, items: [{ key: "ADMIN_DATABASE_URL", path: "ADMIN_DATABASE_URL" }], secretName: "agent-platform-db-admin" } },
        { name: "aws-token", projected: { sources: [{ serviceAccountToken: { audience: "sts.amazonaws.com", expirationSeconds: 3600, path: "token" } }] } },
        { name: "db-ca", configMap: { defaultMode: 0o444, name: "agent-platform-db-ca" } },
      ];
      const pod = (serviceAccountName: string, steps: { initContainers: object[]; containers: object[] }) => ({
        automountServiceAccountToken: false,
        restartPolicy: "Never",
        securityContext: { fsGroup: 999, runAsGroup: 999, runAsNonRoot: true, runAsUser: 999, seccompProfile: { type: "RuntimeDefault" } },
        serviceAccountName,
        ...steps,
        volumes,
      });
      const meta = (name: string) => ({ labels: { "app.kubernetes.io/name": name, "app.kubernetes.io/part-of": "agent-platform" } });
      const checksum = { name: "REQUIRE_S3_CHECKSUM", value: "true" };
      // The restore: never scheduled (started by hand), the request ConfigMap optional for both steps.
      assert.deepEqual((one(r, "CronJob", "agent-platform-restore") as any).spec, {
        schedule: "0 0 1 1 *",
        timeZone: "Etc/UTC",
        suspend: true,
        concurrencyPolicy: "Forbid",
        successfulJobsHistoryLimit: 1,
        failedJobsHistoryLimit: 1,
        jobTemplate: {
          metadata: meta("agent-platform-restore"),
          spec: {
            backoffLimit: 0,
            activeDeadlineSeconds: 7200,
            template: {
              metadata: meta("agent-platform-restore"),
              spec: pod("agent-platform-restore", {
                initContainers: [aws("fetch", "fetch", "restore", [checksum], request)],
                containers: [db("restore", "restore", [{ name: "DEFAULT_TARGET_DATABASE", value: "memory_restore" }], request)],
              }),
            },
          },
        },
      });
      // The drill: no request ConfigMap (it always takes the newest export), into memory_drill, then prune.
      assert.deepEqual((one(r, "CronJob", "agent-platform-restore-drill") as any).spec, {
        schedule: "30 4 1 * *",
        timeZone: "Etc/UTC",
        concurrencyPolicy: "Forbid",
        startingDeadlineSeconds: 1800,
        successfulJobsHistoryLimit: 1,
        failedJobsHistoryLimit: 3,
        jobTemplate: {
          metadata: meta("agent-platform-restore-drill"),
          spec: {
            backoffLimit: 0,
            activeDeadlineSeconds: 7200,
            template: {
              metadata: meta("agent-platform-restore-drill"),
              spec: pod("agent-platform-restore-drill", {
                initContainers: [aws("fetch", "fetch", "drill", [checksum]), db("drill", "drill", [{ name: "TARGET_DATABASE", value: "memory_drill" }])],
                containers: [aws("prune", "prune", "drill", [{ name: "KEEP_NEWEST", value: "7" }, { name: "KEEP_DAYS", value: "30" }])],
              }),
            },
          },
        },
      });
    });

    it("R-WL-7, R-DATA-8: under default-deny, every Job pod that assumes an AWS role may reach HTTPS and every one that opens the database may reach it (the drill included)", async () => {
      const r = await stack(s);
      const policies = new Map(r.manifests.filter((m) => m.kind === "NetworkPolicy").map((m: any) => [m.metadata.name, m.spec]));
      const selects = (policy: string, labels: Record<string, string>) => {
        const sel = policies.get(policy)!.podSelector;
        return (sel.matchExpressions ?? []).every((e: any) => e.operator === "In" && e.values.includes(labels[e.key])) &&
          Object.entries(sel.matchLabels ?? {}).every(([k, v]) => labels[k] === v);
      };
      const pods = r.manifests
        .filter((m) => m.kind === "CronJob" || m.kind === "Job")
        .map((m: any) => (m.kind === "CronJob" ? m.spec.jobTemplate.spec.template : m.spec.template));
      const env = (p: any) => [...(p.spec.initContainers ?? []), ...p.spec.containers].flatMap((c: any) => (c.env ?? []).map((e: any) => e.name));
      const aws = pods.filter((p) => env(p).includes("AWS_ROLE_ARN"));
      const db = pods.filter((p) => env(p).some((n: string) => /DATABASE_URL/.test(n)));
      assert.ok(aws.some((p) => p.metadata.labels["app.kubernetes.io/name"] === "agent-platform-restore-drill"), "the drill assumes a role");
      assert.ok(db.some((p) => p.metadata.labels["app.kubernetes.io/name"] === "agent-platform-restore-drill"), "the drill opens the database");
      for (const p of aws) assert.ok(selects("allow-backup-egress", p.metadata.labels), `${p.metadata.labels["app.kubernetes.io/name"]} reaches S3`);
      for (const p of db) assert.ok(selects("allow-database-egress", p.metadata.labels), `${p.metadata.labels["app.kubernetes.io/name"]} reaches the database`);
    });
  });
}

describe("R-DATA-7, R-DATA-8: dev keeps no second region and runs no drill; the settings are refused where they would do harm", () => {
  it("R-DATA-8: dev declares no replication, replica, drill or lock (no backups there)", async () => {
    const r = await stack("dev");
    for (const type of ["aws:s3/bucketReplicationConfig:BucketReplicationConfig", "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration", "aws:rds/instanceAutomatedBackupsReplication:InstanceAutomatedBackupsReplication"]) {
      assert.deepEqual(of(r, type), [], type);
    }
    assert.equal(r.manifests.filter((m) => m.kind === "CronJob" && /drill/.test(m.metadata.name)).length, 0);
  });

  it("R-DATA-8: disasterRecovery.enabled false in staging: no second region, the drill stays", async () => {
    const r = await renderRaw("staging", stackRaw("staging", { backups: { disasterRecovery: { enabled: false } } }));
    assert.deepEqual(of(r, "aws:s3/bucketReplicationConfig:BucketReplicationConfig"), []);
    assert.equal(r.resources.some((x) => x.type === "pulumi:providers:aws" && x.name === "aws-recovery"), false);
    assert.equal(r.manifests.filter((m) => m.kind === "CronJob" && m.metadata.name === "agent-platform-restore-drill").length, 1);
  });

  it("R-DATA-8: drill.enabled false: no drill CronJob and no RestoreDrillStale", async () => {
    const r = await renderRaw("prod", stackRaw("prod", { backups: { drill: { enabled: false } } }));
    assert.equal(r.manifests.filter((m) => m.kind === "CronJob" && m.metadata.name === "agent-platform-restore-drill").length, 0);
    assert.doesNotMatch(r.files["prometheus/rules.yaml"], /RestoreDrillStale/);
    assert.match((await stack("prod")).files["prometheus/rules.yaml"], /RestoreDrillStale/);
  });

  it("R-DATA-8: a second region equal to aws.region is refused, naming both keys; another is accepted", () => {
    assert.deepEqual(problemsOf("prod", at("backups.disasterRecovery.region", "eu-central-1")), []);
    const p = problemsOf("prod", at("backups.disasterRecovery.region", "eu-west-1"));
    assert.equal(p.length, 1, p.join("\n"));
    assert.match(p[0], /backups\.disasterRecovery\.region.*must differ from .*aws\.region/);
  });

  it("R-DATA-8: a drill scratch database that is the memory store or the restore target is refused; another name is accepted", () => {
    assert.deepEqual(problemsOf("prod", at("backups.drill.scratchDatabase", "memory_check")), []);
    for (const [name, key] of [["memory", "memoryStore.databaseName"], ["memory_restore", "backups.restore.targetDatabase"]]) {
      const p = problemsOf("prod", at("backups.drill.scratchDatabase", name));
      assert.equal(p.length, 1, p.join("\n"));
      assert.match(p[0], new RegExp(`backups\\.drill\\.scratchDatabase.*must not be .*${key.replace(/\./g, "\\.")}.*drops its scratch database`));
    }
  });

  it("R-DATA-7: an Object Lock mode other than GOVERNANCE or COMPLIANCE is refused, naming the key", () => {
    const p = problemsOf("prod", at("backups.objectLock.mode", "LEGAL"));
    assert.equal(p.length, 1);
    assert.match(p[0], /backups\.objectLock\.mode/);
    assert.match(p[0], /GOVERNANCE/);
  });
});

describe("R-DATA-7: the replication role's policy, stated whole", () => {
  it("R-DATA-7: read the source's configuration and exports' versions, write replicas of exports/ only, each key through S3 in its own region", () => {
    const src = "arn:aws:s3:::agent-platform-prod-backups-0a1b2c3";
    const dst = "arn:aws:s3:::agent-platform-prod-replica-0a1b2c3";
    const srcKey = "arn:aws:kms:eu-west-1:123456789012:key/src";
    const dstKey = "arn:aws:kms:eu-central-1:123456789012:key/dst";
    const policy = replicationRolePolicy({ sourceBucketArn: src, sourceKeyArn: srcKey, sourceRegion: "eu-west-1", replicaBucketArn: dst, replicaKeyArn: dstKey, replicaRegion: "eu-central-1" });
    // "Setting up permissions for live replication" (S3 user guide), narrowed to exports/.
    assert.deepEqual(policy, {
      Version: "2012-10-17",
      Statement: [
        { Sid: "ReadTheSource", Effect: "Allow", Action: ["s3:GetReplicationConfiguration", "s3:ListBucket"], Resource: src },
        {
          Sid: "ReadExportVersions",
          Effect: "Allow",
          Action: ["s3:GetObjectVersionForReplication", "s3:GetObjectVersionAcl", "s3:GetObjectVersionTagging", "s3:GetObjectRetention", "s3:GetObjectLegalHold"],
          Resource: `${src}/exports/*`,
        },
        { Sid: "WriteReplicas", Effect: "Allow", Action: ["s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags", "s3:ObjectOwnerOverrideToBucketOwner"], Resource: `${dst}/exports/*` },
        { Sid: "DecryptTheSource", Effect: "Allow", Action: "kms:Decrypt", Resource: srcKey, Condition: { StringEquals: { "kms:ViaService": "s3.eu-west-1.amazonaws.com" } } },
        { Sid: "EncryptTheReplicas", Effect: "Allow", Action: ["kms:Encrypt", "kms:GenerateDataKey"], Resource: dstKey, Condition: { StringEquals: { "kms:ViaService": "s3.eu-central-1.amazonaws.com" } } },
      ],
    });
  });
});
