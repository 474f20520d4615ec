// R-CI-2: the policy pack, without the Pulumi CLI. Each policy is called as the engine
// calls it, with a compliant and a violating resource, and must give exactly the expected
// message; then the whole pack runs over the recorded graph of dev, staging and prod (the
// recording the render uses) with each stack's policy config, and over a deliberately
// broken prod that must be caught with one message per fault.
import { strict as assert } from "assert";
import type { ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { POLICIES, REQUIRED_ALERTS } from "../../policy/policies";
import type { RecordedResource } from "../../render/mockRuntime";
import { renderRaw } from "../../render";
import { stack, stackRaw } from "../helpers/mocks";
import { checkResource, checkStack, policyResources, resolveConfig, resourceArgs, runPack } from "./harness";

const policy = <T extends ResourceValidationPolicy | StackValidationPolicy>(name: string) => {
  const p = POLICIES.find((x) => x.name === name);
  assert.ok(p, `policy ${name} exists`);
  return p as T;
};
const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v));

// ------------------------------------------------------------- fixtures ----
const hardenedContainer = (name = "api", image = "registry.example/agent-platform:1.4.2") => ({
  name,
  image,
  resources: { requests: { cpu: "1", memory: "2Gi" }, limits: { cpu: "1", memory: "2Gi" } },
  livenessProbe: { httpGet: { path: "/health", port: "http" } },
  readinessProbe: { httpGet: { path: "/health", port: "http" } },
  securityContext: {
    runAsNonRoot: true,
    runAsUser: 10001,
    allowPrivilegeEscalation: false,
    readOnlyRootFilesystem: true,
    capabilities: { drop: ["ALL"] },
    seccompProfile: { type: "RuntimeDefault" },
  },
});
const deployment = (mutate: (pod: any) => void = () => undefined) => {
  const pod: any = {
    automountServiceAccountToken: false,
    securityContext: { runAsNonRoot: true, runAsUser: 10001, seccompProfile: { type: "RuntimeDefault" } },
    containers: [hardenedContainer()],
  };
  mutate(pod);
  return {
    type: "kubernetes:apps/v1:Deployment",
    name: "agent-platform-deployment",
    inputs: { metadata: { name: "agent-platform", namespace: "agent-platform-prod" }, spec: { replicas: 3, template: { metadata: { labels: { app: "a" } }, spec: pod } } },
  };
};
const run = (name: string, r: { type: string; name: string; inputs: Record<string, unknown>; options?: RecordedResource["options"] }, config = {}) =>
  checkResource(policy<ResourceValidationPolicy>(name), resourceArgs(r, "prod", config));

// ------------------------------------------------------ resource policies ----
describe("R-CI-2: each resource policy, compliant and violating, with its exact message", () => {
  it("R-ENV-3, R-ENV-4, R-WL-1: container-resources-and-probes", () => {
    assert.deepEqual(run("container-resources-and-probes", deployment()), []);
    assert.deepEqual(run("container-resources-and-probes", deployment((p) => delete p.containers[0].resources.limits)), [
      "Deployment agent-platform-prod/agent-platform: container api has no limits.cpu, limits.memory; set them (R-ENV-3, R-ENV-4)",
    ]);
    assert.deepEqual(run("container-resources-and-probes", deployment((p) => delete p.containers[0].readinessProbe)), [
      "Deployment agent-platform-prod/agent-platform: container api has no readinessProbe; add it (R-WL-1)",
    ]);
    assert.deepEqual(
      run("container-resources-and-probes", deployment((p) => {
        delete p.containers[0].readinessProbe;
        delete p.containers[0].livenessProbe;
      })),
      ["Deployment agent-platform-prod/agent-platform: container api has no livenessProbe or readinessProbe; add it (R-WL-1)"],
    );
    // A Job runs to completion: no probes needed, resources still are.
    const job = { type: "kubernetes:batch/v1:Job", name: "j", inputs: { metadata: { name: "migrate", namespace: "n" }, spec: { template: { spec: { containers: [{ ...hardenedContainer("m"), livenessProbe: undefined, readinessProbe: undefined }] } } } } };
    assert.deepEqual(run("container-resources-and-probes", job), []);
  });

  it("R-WL-3: pod-hardening", () => {
    assert.deepEqual(run("pod-hardening", deployment()), []);
    assert.deepEqual(
      run("pod-hardening", deployment((p) => {
        p.containers[0].securityContext.readOnlyRootFilesystem = false;
        p.containers[0].securityContext.capabilities = { drop: ["NET_RAW"], add: ["NET_ADMIN"] };
      })),
      ["Deployment agent-platform-prod/agent-platform: api: readOnlyRootFilesystem is not true; api: capabilities.drop does not include ALL; api: adds capabilities NET_ADMIN (R-WL-3)"],
    );
    assert.deepEqual(
      run("pod-hardening", deployment((p) => {
        p.automountServiceAccountToken = true;
        p.hostNetwork = true;
        delete p.securityContext.runAsNonRoot;
      })),
      ["Deployment agent-platform-prod/agent-platform: pod securityContext.runAsNonRoot is not true; automountServiceAccountToken is not false; hostNetwork is on (R-WL-3)"],
    );
    // Every other check, each named: host namespaces, hostPath, seccomp, escalation,
    // privileged, capabilities absent or added, root.
    assert.deepEqual(
      run("pod-hardening", deployment((p) => {
        p.hostPID = true;
        p.hostIPC = true;
        p.volumes = [{ name: "tmp", emptyDir: {} }, { name: "host", hostPath: { path: "/var/run" } }];
        delete p.securityContext.seccompProfile;
        const cs = p.containers[0].securityContext;
        delete cs.seccompProfile;
        delete cs.allowPrivilegeEscalation;
        delete cs.capabilities;
        cs.privileged = true;
        cs.runAsUser = 0;
        p.containers.push({ ...hardenedContainer("sidecar"), securityContext: { ...hardenedContainer().securityContext, capabilities: { drop: ["ALL"], add: ["NET_ADMIN", "SYS_TIME"] } } });
      })),
      [
        "Deployment agent-platform-prod/agent-platform: hostPID is on; hostIPC is on; a hostPath volume is mounted; " +
          "api: seccompProfile is not RuntimeDefault; api: allowPrivilegeEscalation is not false; api: privileged; " +
          "api: capabilities.drop does not include ALL; api: runAsUser 0; sidecar: adds capabilities NET_ADMIN, SYS_TIME (R-WL-3)",
      ],
    );
    // seccomp may be set once for the pod, or per container; Localhost profiles are fine.
    assert.deepEqual(run("pod-hardening", deployment((p) => delete p.containers[0].securityContext.seccompProfile)), []);
    assert.deepEqual(
      run("pod-hardening", deployment((p) => {
        delete p.securityContext.seccompProfile;
        p.containers[0].securityContext.seccompProfile = { type: "Localhost", localhostProfile: "profiles/api.json" };
      })),
      [],
    );
    assert.deepEqual(run("pod-hardening", deployment((p) => (p.volumes = [{ name: "tmp", emptyDir: {} }]))), []);
  });

  it("R-DATA-4: images-pinned and prod-image-digests", () => {
    assert.deepEqual(run("images-pinned", deployment()), []);
    assert.deepEqual(run("images-pinned", deployment((p) => (p.containers[0].image = "registry.example/agent-platform:latest"))), [
      "Deployment agent-platform-prod/agent-platform: container api runs registry.example/agent-platform:latest, the mutable tag latest; pin a tag or digest (R-DATA-4)",
    ]);
    assert.deepEqual(run("images-pinned", deployment((p) => (p.containers[0].image = "registry.example:5000/agent-platform"))), [
      "Deployment agent-platform-prod/agent-platform: container api runs registry.example:5000/agent-platform, untagged (latest); pin a tag or digest (R-DATA-4)",
    ]);
    const digest = "registry.example/agent-platform:1.4.2@sha256:" + "a".repeat(64);
    assert.deepEqual(run("prod-image-digests", deployment((p) => (p.containers[0].image = digest))), []);
    assert.deepEqual(run("prod-image-digests", deployment()), [
      "Deployment agent-platform-prod/agent-platform: container api runs registry.example/agent-platform:1.4.2 without a digest; prod pins images by digest (R-DATA-4)",
    ]);
  });

  it("R-WL-6: no-plaintext-secrets", () => {
    const withEnv = (env: unknown[]) => deployment((p) => (p.containers[0].env = env));
    assert.deepEqual(run("no-plaintext-secrets", withEnv([{ name: "DATABASE_URL_FILE", value: "/app/secrets/DATABASE_URL" }, { name: "LOG_LEVEL", value: "info" }])), []);
    assert.deepEqual(run("no-plaintext-secrets", withEnv([{ name: "LLM_API_KEY", value: "sk-123" }])), [
      "Deployment agent-platform-prod/agent-platform: container api sets LLM_API_KEY to a literal value; deliver it from a Secret (R-WL-6)",
    ]);
    assert.deepEqual(run("no-plaintext-secrets", withEnv([{ name: "LLM_API_KEY", valueFrom: { secretKeyRef: { name: "s", key: "k" } } }])), []);
    const cm = (data: Record<string, string>) => ({ type: "kubernetes:core/v1:ConfigMap", name: "cm", inputs: { metadata: { name: "agent-platform-config", namespace: "n" }, data } });
    assert.deepEqual(run("no-plaintext-secrets", cm({ LOG_LEVEL: "info", "flags.json": "{}" })), []);
    assert.deepEqual(run("no-plaintext-secrets", cm({ "jwt-secret": "x" })), [
      "ConfigMap n/agent-platform-config: key jwt-secret looks like a secret; move it to a Secret (R-WL-6)",
    ]);
  });

  it("R-WL-7, R-WL-9: namespace-pod-security", () => {
    const ns = (labels: Record<string, string>, annotations: Record<string, string> = {}) => ({
      type: "kubernetes:core/v1:Namespace",
      name: "ns",
      inputs: { metadata: { name: "monitoring-node-exporter", labels, annotations } },
    });
    const psa = (level: string) => ({
      "pod-security.kubernetes.io/enforce": level,
      "pod-security.kubernetes.io/audit": level,
      "pod-security.kubernetes.io/warn": level,
    });
    assert.deepEqual(run("namespace-pod-security", ns(psa("restricted"))), []);
    assert.deepEqual(run("namespace-pod-security", ns({ "pod-security.kubernetes.io/enforce": "restricted" })), [
      "Namespace monitoring-node-exporter: no Pod Security Admission audit, warn label; label it restricted (R-WL-7)",
    ]);
    assert.deepEqual(run("namespace-pod-security", ns(psa("privileged"))), [
      "Namespace monitoring-node-exporter: enforces privileged without an agent-platform/pod-security-reason annotation (R-WL-9)",
    ]);
    assert.deepEqual(run("namespace-pod-security", ns(psa("privileged"), { "agent-platform/pod-security-reason": "node-exporter" })), []);
  });

  it("R-WL-7: no-external-services, with the allowance from policy config", () => {
    const svc = (type: string) => ({ type: "kubernetes:core/v1:Service", name: "s", inputs: { metadata: { name: "agent-platform", namespace: "agent-platform-prod" }, spec: { type } } });
    assert.deepEqual(run("no-external-services", svc("ClusterIP")), []);
    assert.deepEqual(run("no-external-services", svc("LoadBalancer")), [
      "Service agent-platform-prod/agent-platform: type LoadBalancer exposes it outside the cluster; use ClusterIP behind the Gateway (R-WL-7)",
    ]);
    assert.deepEqual(run("no-external-services", svc("NodePort"), { allowedServices: ["agent-platform-prod/agent-platform"] }), []);
  });

  it("R-DATA-0, R-DATA-2: rds-encrypted-backed-up-private and prod-rds-multi-az", () => {
    const good = {
      identifier: "agent-platform-prod-memory",
      storageEncrypted: true,
      kmsKeyId: "arn:aws:kms:eu-west-1:123456789012:key/k",
      backupRetentionPeriod: 30,
      deletionProtection: true,
      skipFinalSnapshot: false,
      publiclyAccessible: false,
      multiAz: true,
    };
    const rds = (over: Record<string, unknown> = {}) => ({ type: "aws:rds/instance:Instance", name: "db", inputs: { ...good, ...over } });
    assert.deepEqual(run("rds-encrypted-backed-up-private", rds()), []);
    assert.deepEqual(run("rds-encrypted-backed-up-private", rds({ backupRetentionPeriod: 29 })), [
      "aws:rds/instance:Instance agent-platform-prod-memory: backups kept 29 days, not 30 (R-DATA-0, R-DATA-2)",
    ]);
    assert.deepEqual(run("rds-encrypted-backed-up-private", rds({ storageEncrypted: false, kmsKeyId: undefined, publiclyAccessible: true, deletionProtection: false })), [
      "aws:rds/instance:Instance agent-platform-prod-memory: storage is not encrypted; no customer-managed KMS key; deletion protection is off; publicly accessible (R-DATA-0, R-DATA-2)",
    ]);
    assert.deepEqual(run("prod-rds-multi-az", rds()), []);
    assert.deepEqual(run("prod-rds-multi-az", rds({ multiAz: false })), [
      "aws:rds/instance:Instance agent-platform-prod-memory: not Multi-AZ; prod runs a standby in a second zone (R-DATA-0)",
    ]);
  });

  it("R-DATA-4: ecr-scanned-immutable-encrypted", () => {
    const repo = (over: Record<string, unknown> = {}) => ({
      type: "aws:ecr/repository:Repository",
      name: "r",
      inputs: { name: "agent-platform", imageScanningConfiguration: { scanOnPush: true }, imageTagMutability: "IMMUTABLE", encryptionConfigurations: [{ encryptionType: "KMS" }], ...over },
    });
    assert.deepEqual(run("ecr-scanned-immutable-encrypted", repo()), []);
    assert.deepEqual(run("ecr-scanned-immutable-encrypted", repo({ imageTagMutability: "MUTABLE", imageScanningConfiguration: { scanOnPush: false } })), [
      "aws:ecr/repository:Repository agent-platform: no scan on push; tags are mutable (R-DATA-4)",
    ]);
  });

  it("R-DATA-0, R-DATA-1: stateful-resources-protected", () => {
    const key = (protect: boolean) => ({ type: "aws:kms/key:Key", name: "data-key-key", inputs: {}, options: { protect } });
    assert.deepEqual(run("stateful-resources-protected", key(true)), []);
    assert.deepEqual(run("stateful-resources-protected", key(false)), [
      "aws:kms/key:Key data-key-key: holds data but is not protected; declare it with protect: true (R-DATA-0, R-DATA-1)",
    ]);
    assert.deepEqual(run("stateful-resources-protected", { type: "aws:iam/role:Role", name: "r", inputs: {}, options: {} }), [], "a role holds no data");
  });
});

// --------------------------------------------------------- stack policies ----
const res = (type: string, name: string, outputs: Record<string, unknown>, options: RecordedResource["options"] = {}) => ({ type, name, outputs, options });

function bucketSet(over: { sse?: string | null; versioning?: string | null; blocks?: boolean | null; policy?: unknown } = {}) {
  const b = "backups-0a1b2c3";
  const arn = `arn:aws:s3:::${b}`;
  const out = [res("aws:s3/bucket:Bucket", "backups", { bucket: b, id: b, arn })];
  if (over.sse !== null) {
    out.push(res("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", "enc", { bucket: b, rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: over.sse ?? "aws:kms" } }] }));
  }
  if (over.versioning !== null) out.push(res("aws:s3/bucketVersioning:BucketVersioning", "ver", { bucket: b, versioningConfiguration: { status: over.versioning ?? "Enabled" } }));
  if (over.blocks !== null) {
    const v = over.blocks ?? true;
    out.push(res("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "pab", { bucket: b, blockPublicAcls: true, blockPublicPolicy: v, ignorePublicAcls: true, restrictPublicBuckets: true }));
  }
  const policyDoc = over.policy ?? {
    Version: "2012-10-17",
    Statement: [{ Effect: "Deny", Principal: "*", Action: "s3:*", Resource: [arn, `${arn}/*`], Condition: { Bool: { "aws:SecureTransport": "false" } } }],
  };
  out.push(res("aws:s3/bucketPolicy:BucketPolicy", "pol", { bucket: b, policy: JSON.stringify(policyDoc) }));
  return out;
}
const stackRun = (name: string, resources: Array<ReturnType<typeof res>>, config = {}) =>
  checkStack(policy<StackValidationPolicy>(name), policyResources("prod", resources), config);

describe("R-CI-2: each stack policy, compliant and violating, with its exact message", () => {
  const S3 = "s3-buckets-encrypted-versioned-private-tls";

  it("R-DATA-1: a bucket is KMS-encrypted, versioned, private and TLS-only, each part checked", () => {
    assert.deepEqual(stackRun(S3, bucketSet()), []);
    const msg = (what: string) => [`aws:s3/bucket:Bucket backups-0a1b2c3: ${what} (R-DATA-1)`];
    assert.deepEqual(stackRun(S3, bucketSet({ sse: null })), msg("not encrypted with KMS"));
    assert.deepEqual(stackRun(S3, bucketSet({ sse: "AES256" })), msg("not encrypted with KMS"), "SSE-S3 only for a log target");
    assert.deepEqual(stackRun(S3, bucketSet({ versioning: "Suspended" })), msg("not versioned"));
    assert.deepEqual(stackRun(S3, bucketSet({ blocks: false })), msg("public access not blocked (all four blocks)"));
    assert.deepEqual(stackRun(S3, bucketSet({ policy: { Version: "2012-10-17", Statement: [] } })), msg("no policy denying requests without TLS"));
    // An access-log target may use SSE-S3 (S3 log delivery requires it).
    const logs = bucketSet({ sse: "AES256" });
    logs.push(res("aws:s3/bucketLogging:BucketLogging", "logging", { bucket: "other", targetBucket: "backups-0a1b2c3" }));
    assert.deepEqual(stackRun(S3, logs), []);
  });

  it("R-ENV-1, R-ENV-2: prod-workload-replicas: 3 replicas, or an HPA minimum of 3", () => {
    const wl = (replicas?: number) => res("kubernetes:argoproj.io/v1alpha1:Rollout", "rollout", { metadata: { name: "agent-platform", namespace: "p" }, spec: { ...(replicas ? { replicas } : {}) } });
    const hpa = (min: number) => res("kubernetes:autoscaling/v2:HorizontalPodAutoscaler", "hpa", { metadata: { name: "agent-platform", namespace: "p" }, spec: { minReplicas: min, maxReplicas: 10, scaleTargetRef: { kind: "Rollout", name: "agent-platform" } } });
    assert.deepEqual(stackRun("prod-workload-replicas", [wl(3)]), []);
    assert.deepEqual(stackRun("prod-workload-replicas", [wl(2)]), ["Rollout p/agent-platform: 2 replica(s); prod runs at least 3 (R-ENV-1, R-ENV-2)"]);
    assert.deepEqual(stackRun("prod-workload-replicas", [wl(), hpa(3)]), []);
    assert.deepEqual(stackRun("prod-workload-replicas", [wl(), hpa(2)]), ["Rollout p/agent-platform: HPA minimum 2; prod runs at least 3 (R-ENV-1, R-ENV-2)"]);
  });

  it("R-WL-5: pdb-for-replicated-workloads", () => {
    const wl = (replicas: number) =>
      res("kubernetes:apps/v1:Deployment", "d", { metadata: { name: "agent-platform", namespace: "p" }, spec: { replicas, template: { metadata: { labels: { app: "a", env: "x" } } } } });
    const pdb = (labels: Record<string, string>) => res("kubernetes:policy/v1:PodDisruptionBudget", "pdb", { metadata: { name: "agent-platform", namespace: "p" }, spec: { selector: { matchLabels: labels } } });
    assert.deepEqual(stackRun("pdb-for-replicated-workloads", [wl(1)]), [], "one replica needs no budget");
    assert.deepEqual(stackRun("pdb-for-replicated-workloads", [wl(2), pdb({ app: "a" })]), []);
    assert.deepEqual(stackRun("pdb-for-replicated-workloads", [wl(2), pdb({ app: "other" })]), [
      "Deployment p/agent-platform: up to 2 replicas and no PodDisruptionBudget selects its pods (R-WL-5)",
    ]);
  });

  const rule = (alert: string, severity: string, extra: Record<string, unknown> = {}) => ({
    alert,
    expr: "x > 1",
    labels: { severity, priority: "P1", service: "agent-platform" },
    annotations: { summary: "s", description: "d {{ $value }}", runbook_url: `https://example/docs/runbooks/${alert}.md` },
    ...extra,
  });
  const promRule = (rules: unknown[]) => res("kubernetes:monitoring.coreos.com/v1:PrometheusRule", "rules", { metadata: { name: "agent-platform-rules", namespace: "p" }, spec: { groups: [{ name: "g", rules }] } });
  const ALL = [
    rule("HighLatencyP99", "critical"),
    rule("TrafficAnomaly", "warning"),
    rule("HighErrorRate", "critical"),
    rule("CPUSaturation", "warning"),
    rule("SyntheticProbeFailing", "critical"),
    rule("MemorySaturationSustained", "critical"),
    rule("AgentSpawnFailures", "critical"),
  ];

  it("R-CI-2, R-PD-5: alerts-for-golden-signals names each missing signal and condition", () => {
    assert.equal(REQUIRED_ALERTS.length, 9, "four golden signals and the five R-PD-5 conditions");
    assert.deepEqual(stackRun("alerts-for-golden-signals", [promRule(ALL)]), []);
    assert.deepEqual(stackRun("alerts-for-golden-signals", [promRule(ALL.filter((r) => r.alert !== "MemorySaturationSustained"))]), [
      "stack: no critical alert for memory > 90 % for 3 min (R-PD-5) (expected MemorySaturationSustained) in any PrometheusRule (R-CI-2)",
    ]);
    // A warning-only error alert covers the golden signal but not the R-PD-5 page.
    assert.deepEqual(stackRun("alerts-for-golden-signals", [promRule(ALL.map((r) => (r.alert === "HighErrorRate" ? rule("HighErrorRate", "warning") : r)))]), [
      "stack: no critical alert for error rate > 5 % for 2 min (R-PD-5) (expected HighErrorRate) in any PrometheusRule (R-CI-2)",
    ]);
  });

  it("R-AL-20: alerts-carry-labels-and-runbooks", () => {
    assert.deepEqual(stackRun("alerts-carry-labels-and-runbooks", [promRule([rule("HighErrorRate", "critical")])]), []);
    const bad = rule("HighErrorRate", "critical", { labels: { severity: "critical", priority: "P5" }, annotations: { summary: "s", runbook_url: "https://wiki/x" } });
    assert.deepEqual(stackRun("alerts-carry-labels-and-runbooks", [promRule([bad])]), [
      "PrometheusRule p/agent-platform-rules: alert HighErrorRate: no priority P0-P3; no service label; no description; no runbook_url to docs/runbooks (R-AL-20)",
    ]);
    const fromRecording = rule("HighErrorRate", "critical", { expr: "service:http_errors:ratio_rate1m > 0.05", labels: { severity: "critical", priority: "P0" } });
    assert.deepEqual(stackRun("alerts-carry-labels-and-runbooks", [promRule([fromRecording])]), [], "the service label comes with the recorded series");
  });

  it("R-PD-2: rollouts-plugin-pinned", () => {
    const release = (plugin: Record<string, unknown>) =>
      res("kubernetes:helm.sh/v3:Release", "rollouts", { name: "argo-rollouts", chart: "argo-rollouts", values: { controller: { trafficRouterPlugins: [{ name: "argoproj-labs/gatewayAPI", ...plugin }] } } });
    const location = "https://github.com/argoproj-labs/rollouts-plugin-trafficrouter-gatewayapi/releases/download/v0.15.0/gatewayapi-plugin-linux-amd64";
    assert.deepEqual(stackRun("rollouts-plugin-pinned", [release({ location, sha256: "f".repeat(64) })]), []);
    assert.deepEqual(stackRun("rollouts-plugin-pinned", [release({ location, sha256: "0".repeat(64) })]), [
      "helm release argo-rollouts: plugin argoproj-labs/gatewayAPI: no sha256 checksum (R-PD-2)",
    ]);
    assert.deepEqual(stackRun("rollouts-plugin-pinned", [release({ location: location.replace("download/v0.15.0", "latest/download"), sha256: "f".repeat(64) })]), [
      `helm release argo-rollouts: plugin argoproj-labs/gatewayAPI: location ${location.replace("download/v0.15.0", "latest/download")} is not a versioned release over https (R-PD-2)`,
    ]);
  });
});

// --------------------------------------------------------- the stacks ----
describe("R-CI-2: the pack over the recorded graph of each stack", () => {
  it("R-CI-2: enforcement per environment: mandatory in staging and prod, advisory in dev; the prod-* policies only in prod", () => {
    const levels = (env: string) => Object.fromEntries([...resolveConfig(env)].map(([k, v]) => [k, v.level]));
    const prod = levels("prod");
    assert.ok(Object.values(prod).every((l) => l === "mandatory"), JSON.stringify(prod));
    for (const env of ["dev", "staging"]) {
      const l = levels(env);
      for (const name of ["prod-workload-replicas", "prod-image-digests", "prod-rds-multi-az"]) assert.equal(l[name], "disabled", `${env} ${name}`);
      const others = Object.entries(l).filter(([k]) => !k.startsWith("prod-"));
      assert.ok(others.every(([, v]) => v === (env === "dev" ? "advisory" : "mandatory")), `${env}: ${JSON.stringify(l)}`);
    }
    assert.equal(POLICIES.length, Object.keys(prod).length);
  });

  for (const s of ["dev", "staging", "prod"] as const) {
    it(`R-CI-2: ${s}: no violation at all, so nothing mandatory`, async () => {
      const r = await stack(s);
      assert.deepEqual(runPack(s, r.resources), []);
    });
  }

  it("R-CI-2: a broken prod (1 replica, no limits, :latest, an unencrypted and a public bucket, an unpinned plugin) gives one message per fault, each naming resource and requirement", async () => {
    const r = await renderRaw("prod", stackRaw("prod", { autoscaling: { minReplicas: 1 } }));
    const resources = clone(r.resources) as RecordedResource[];
    const find = (type: string, name: RegExp) => resources.find((x) => x.type === type && name.test(x.name))!;
    const rollout = find("kubernetes:argoproj.io/v1alpha1:Rollout", /./);
    const api = (rollout.inputs as any).spec.template.spec.containers[0];
    delete api.resources.limits;
    const exportJob = find("kubernetes:batch/v1:CronJob", /-export$/);
    // The CronJob's spec is an output of the bucket and role: as recorded, its inputs hold the resolved spec.
    (exportJob.inputs as any).spec.jobTemplate.spec.template.spec.containers[0].image = "amazon/aws-cli:latest";
    const idx = resources.findIndex((x) => x.type === "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration" && x.name === "backups-encryption");
    resources.splice(idx, 1);
    (find("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", /logs-public-access$/).outputs as any).blockPublicPolicy = false;
    const release = find("kubernetes:helm.sh/v3:Release", /argo-rollouts|rollouts/);
    delete (release.outputs as any).values.controller.trafficRouterPlugins[0].sha256;

    const v = runPack("prod", resources);
    assert.deepEqual(
      v.map((x) => `${x.level} ${x.policy}: ${x.message}`).sort(),
      [
        "mandatory container-resources-and-probes: Rollout agent-platform-prod/agent-platform: container api has no limits.cpu, limits.memory; set them (R-ENV-3, R-ENV-4)",
        "mandatory images-pinned: CronJob agent-platform-prod/agent-platform-export: container upload runs amazon/aws-cli:latest, the mutable tag latest; pin a tag or digest (R-DATA-4)",
        "mandatory prod-workload-replicas: Rollout agent-platform-prod/agent-platform: HPA minimum 1; prod runs at least 3 (R-ENV-1, R-ENV-2)",
        "mandatory rollouts-plugin-pinned: helm release argo-rollouts: plugin argoproj-labs/gatewayAPI: no sha256 checksum (R-PD-2)",
        "mandatory s3-buckets-encrypted-versioned-private-tls: aws:s3/bucket:Bucket agent-platform-prod-backup-logs-0a1b2c3: public access not blocked (all four blocks) (R-DATA-1)",
        "mandatory s3-buckets-encrypted-versioned-private-tls: aws:s3/bucket:Bucket agent-platform-prod-backups-0a1b2c3: not encrypted with KMS (R-DATA-1)",
      ].sort(),
    );
  });
});
