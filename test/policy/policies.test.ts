// R-CI-2: the policy pack, without the Pulumi CLI. Each policy is called as the engine
// calls it, with a compliant and a violating resource, and must give exactly the expected
// message; then the whole pack runs over the recorded graph of dev, staging and prod (the
// recording the render uses) with each stack's policy config, and over a deliberately
// broken prod that must be caught with one message per fault.
import { strict as assert } from "assert";
import type { ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { POLICIES, REQUIRED_ALERTS, describeResource } from "../../policy/policies";
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
describe("R-CI-2: what `pulumi preview` prints of each policy", () => {
  it("R-CI-2: each policy's description starts with the requirements it enforces, and its remediation names the fix", () => {
    // [policy, requirement IDs leading the description, a phrase of the remediation steps]
    const expected: Array<[string, string, string]> = [
      ["container-resources-and-probes", "R-ENV-3, R-ENV-4, R-WL-1", "resources.requests and resources.limits"],
      ["pod-hardening", "R-WL-3, R-CI-5", "hardenedPod()"],
      ["images-pinned", "R-DATA-4", "by digest"],
      ["prod-image-digests", "R-DATA-4", "@sha256:<digest>"],
      ["no-plaintext-secrets", "R-WL-6, R-CI-5", "Pulumi secret"],
      ["namespace-pod-security", "R-WL-7, R-WL-9", "pod-security.kubernetes.io/{enforce,audit,warn}"],
      ["no-external-services", "R-WL-7, R-CI-5", "allowedServices"],
      ["rds-encrypted-backed-up-private", "R-DATA-0, R-DATA-2", "backupRetentionDays 30"],
      ["prod-rds-multi-az", "R-DATA-0", "memoryStore.rds.multiAz true"],
      ["ecr-scanned-immutable-encrypted", "R-DATA-4", "imageTagMutability IMMUTABLE"],
      ["stateful-resources-protected", "R-DATA-0, R-DATA-1", "{ protect: true }"],
      ["prod-image-registry", "R-DATA-4, R-CI-5", "policy/config/prod.json"],
      ["helm-charts-pinned", "R-DATA-4, R-CI-5", "exact chart version"],
      ["grafana-no-anonymous-admin-from-secret", "R-MON-4, R-CI-5", "existingSecret"],
      ["ingress-tls", "R-WL-7, R-CI-5", "spec.tls"],
      ["network-policy-not-allow-all", "R-WL-7, R-CI-5", "Name the peers"],
      ["no-cluster-admin-or-cluster-wide-secret-reads", "R-WL-9, R-CI-5", "allowedClusterRoles"],
      ["no-world-open-data-or-ssh-ports", "R-DATA-0, R-CI-5", "cluster's security group"],
      ["s3-no-public-acl-or-policy", "R-DATA-1, R-CI-5", "BucketOwnerEnforced"],
      ["iam-least-privilege", "R-DATA-3, R-CI-5", "<provider>:sub"],
      ["kms-keys-rotate", "R-DATA-3, R-DATA-0, R-CI-5", "enableKeyRotation: true"],
      ["sns-topics-encrypted-cmk", "R-CI-5, R-OBS-6", "kmsMasterKeyId"],
      ["s3-buckets-encrypted-versioned-private-tls", "R-DATA-1", "BackupStore"],
      ["prod-workload-replicas", "R-ENV-1, R-ENV-2", "autoscaling.minReplicas 3"],
      ["pdb-for-replicated-workloads", "R-WL-5", "PodDisruptionBudget"],
      ["pdb-allows-disruption", "R-WL-5, R-CI-5", "maxUnavailable: 1"],
      ["prod-max-unavailable-zero", "R-WL-5, R-CI-5", "maxUnavailable 0"],
      ["alerts-for-golden-signals", "R-CI-2, R-AL, R-PD-5", "components/model/alerts"],
      ["alerts-carry-labels-and-runbooks", "R-AL-20", "docs/runbooks/<Alert>.md"],
      ["rollouts-plugin-pinned", "R-PD-2", "delivery.gatewayPlugin.sha256"],
    ];
    assert.deepEqual(POLICIES.map((p) => p.name), expected.map(([name]) => name));
    for (const [name, ids, fix] of expected) {
      const p = policy(name);
      assert.ok(p.description.startsWith(`${ids}: `), `${name}: description ${JSON.stringify(p.description)}`);
      assert.ok(p.description.length > ids.length + 30, `${name}: the description says what the rule is`);
      assert.ok(p.remediationSteps?.includes(fix), `${name}: remediation ${JSON.stringify(p.remediationSteps)}`);
    }
  });
});

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
        delete p.containers[0].securityContext.runAsNonRoot;
      })),
      ["Deployment agent-platform-prod/agent-platform: pod securityContext.runAsNonRoot is not true; automountServiceAccountToken is not false (a pod that needs the API states why in the annotation agent-platform/service-account-token-reason); hostNetwork is on (R-WL-3)"],
    );
    // R-WL-3 "unless needed": a token is accepted where the object states why, never on an empty reason.
    const withReason = (reason: string) => {
      const d = deployment((p) => (p.automountServiceAccountToken = true));
      (d.inputs.metadata as Record<string, unknown>).annotations = { "agent-platform/service-account-token-reason": reason };
      return run("pod-hardening", d);
    };
    assert.deepEqual(withReason("watches the Rollout through the API"), []);
    assert.deepEqual(withReason("  "), ["Deployment agent-platform-prod/agent-platform: automountServiceAccountToken is not false (a pod that needs the API states why in the annotation agent-platform/service-account-token-reason) (R-WL-3)"]);
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

  it("R-CI-5, R-OBS-6: sns-topics-encrypted-cmk", () => {
    const topic = (over: Record<string, unknown> = {}) => ({ type: "aws:sns/topic:Topic", name: "uptime-alarm", inputs: { name: "agent-platform-prod-uptime", ...over } });
    const T = "aws:sns/topic:Topic uptime-alarm";
    for (const key of ["arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab", "alias/agent-platform-prod-uptime", "arn:aws:kms:us-east-1:123456789012:alias/agent-platform-prod-uptime"]) {
      assert.deepEqual(run("sns-topics-encrypted-cmk", topic({ kmsMasterKeyId: key })), [], key);
    }
    for (const over of [{}, { kmsMasterKeyId: "" }]) {
      assert.deepEqual(run("sns-topics-encrypted-cmk", topic(over)), [`${T}: not encrypted; set kmsMasterKeyId to a customer-managed key (R-CI-5)`]);
    }
    for (const key of ["alias/aws/sns", "arn:aws:kms:us-east-1:123456789012:alias/aws/sns"]) {
      assert.deepEqual(run("sns-topics-encrypted-cmk", topic({ kmsMasterKeyId: key })), [
        `${T}: encrypted under the AWS-managed ${key}, which no publishing service can use; set kmsMasterKeyId to a customer-managed key (R-CI-5)`,
      ]);
    }
    // Only topics are judged.
    assert.deepEqual(run("sns-topics-encrypted-cmk", { type: "aws:sqs/queue:Queue", name: "q", inputs: {} }), []);
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

describe("R-CI-2: resource policies at their edges: where a pod is, what a field left out means", () => {
  const hardeningOf = (type: string, spec: unknown) =>
    run("pod-hardening", { type, name: "w", inputs: { metadata: { name: "w", namespace: "n" }, ...(spec === undefined ? {} : { spec }) } });
  const badPod = { securityContext: { runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } }, automountServiceAccountToken: true, containers: [] };

  it("R-WL-3, R-CI-5: every kind that carries a pod is checked at its pod spec; one without a pod spec is skipped, not an error", () => {
    const template = (pod: unknown) => ({ template: { spec: pod } });
    const jobMetric = (pod: unknown) => ({ metrics: [{ name: "m", provider: { job: { spec: { template: { spec: pod } } } } }] });
    // Metrics cut short at every level on the way to a job's pod: nothing to judge, and no error.
    const partialMetrics = { metrics: [null, {}, { name: "a", provider: {} }, { name: "b", provider: { job: {} } }, { name: "c", provider: { job: { spec: {} } } }, { name: "d", provider: { job: { spec: { template: {} } } } }] };
    const kinds: Array<[string, (pod: unknown) => unknown, unknown[]]> = [
      ["kubernetes:core/v1:Pod", (pod) => pod, []],
      ["kubernetes:core/v1:ReplicationController", template, [{}]],
      ["kubernetes:apps/v1:Deployment", template, [{}]],
      ["kubernetes:apps/v1:StatefulSet", template, [{}]],
      ["kubernetes:apps/v1:DaemonSet", template, [{}]],
      ["kubernetes:apps/v1:ReplicaSet", template, [{}]],
      ["kubernetes:argoproj.io/v1alpha1:Rollout", template, [{}, { workloadRef: { apiVersion: "apps/v1", kind: "Deployment", name: "w" } }]],
      ["kubernetes:batch/v1:Job", template, [{}]],
      ["kubernetes:batch/v1:CronJob", (pod) => ({ jobTemplate: { spec: { template: { spec: pod } } } }), [{}, { jobTemplate: {} }, { jobTemplate: { spec: {} } }]],
      ["kubernetes:argoproj.io/v1alpha1:AnalysisTemplate", jobMetric, [{}, { metrics: [{ name: "p", provider: { prometheus: {} } }] }, partialMetrics]],
      ["kubernetes:argoproj.io/v1alpha1:ClusterAnalysisTemplate", jobMetric, [{}, partialMetrics]],
      ["kubernetes:argoproj.io/v1alpha1:AnalysisRun", jobMetric, [{}, partialMetrics]],
      ["kubernetes:argoproj.io/v1alpha1:Experiment", (pod) => ({ templates: [{ name: "t", template: { spec: pod } }] }), [{}, { templates: [null, {}, { name: "t" }, { name: "t", template: {} }] }]],
    ];
    for (const [type, at, empty] of kinds) {
      const kind = type.split(":").pop();
      assert.deepEqual(hardeningOf(type, at(badPod)), [`${kind} n/w: automountServiceAccountToken is not false (a pod that needs the API states why in the annotation agent-platform/service-account-token-reason) (R-WL-3)`], type);
      for (const spec of [undefined, ...empty]) assert.deepEqual(hardeningOf(type, spec), [], `${type} with spec ${JSON.stringify(spec)}`);
    }
    // A PodTemplate holds its pod at template, not under spec.
    assert.deepEqual(run("pod-hardening", { type: "kubernetes:core/v1:PodTemplate", name: "w", inputs: { metadata: { name: "w", namespace: "n" }, template: { spec: badPod } } }).length, 1);
    for (const rest of [{}, { template: {} }]) assert.deepEqual(run("pod-hardening", { type: "kubernetes:core/v1:PodTemplate", name: "w", inputs: { metadata: { name: "w", namespace: "n" }, ...rest } }), [], JSON.stringify(rest));
    assert.deepEqual(hardeningOf("kubernetes:core/v1:ConfigMap", badPod), [], "a kind without pods is not judged");
  });

  it("R-ENV-3, R-WL-1, R-WL-3: init containers are held to resources and hardening, not to probes; a pod without containers has nothing to report", () => {
    const init = { ...hardenedContainer("migrate"), livenessProbe: undefined, readinessProbe: undefined, resources: { requests: { cpu: "100m" } } };
    const withInit = deployment((p) => (p.initContainers = [init]));
    assert.deepEqual(run("container-resources-and-probes", withInit), [
      "Deployment agent-platform-prod/agent-platform: container migrate has no requests.memory, limits.cpu, limits.memory; set them (R-ENV-3, R-ENV-4)",
    ]);
    const unhardenedInit = deployment((p) => (p.initContainers = [{ ...hardenedContainer("migrate"), securityContext: { capabilities: {} } }]));
    // The pod's seccomp profile (RuntimeDefault) covers the init container too.
    assert.deepEqual(run("pod-hardening", unhardenedInit), [
      "Deployment agent-platform-prod/agent-platform: migrate: allowPrivilegeEscalation is not false; migrate: readOnlyRootFilesystem is not true; " +
        "migrate: capabilities.drop does not include ALL (R-WL-3)",
    ]);
    const empty = deployment((p) => delete p.containers);
    assert.deepEqual(run("container-resources-and-probes", empty), []);
    assert.deepEqual(run("pod-hardening", empty), []);
    assert.deepEqual(run("no-plaintext-secrets", empty), []);
    // runAsNonRoot on the containers stands in for the pod's only when every container has it.
    const nonRoot = (...each: Array<boolean | undefined>) =>
      run("pod-hardening", deployment((p) => { delete p.securityContext.runAsNonRoot; p.containers = each.map((v, i) => ({ ...hardenedContainer(`c${i}`), securityContext: { ...hardenedContainer().securityContext, runAsNonRoot: v } })); }));
    const notTrue = ["Deployment agent-platform-prod/agent-platform: pod securityContext.runAsNonRoot is not true (R-WL-3)"];
    assert.deepEqual(nonRoot(true, true), []);
    assert.deepEqual(nonRoot(true, undefined), notTrue, "one container without it");
    assert.deepEqual(nonRoot(), notTrue, "no container to stand in");
    assert.deepEqual(run("pod-hardening", deployment((p) => { delete p.securityContext.runAsNonRoot; p.containers = [{ name: "bare" }]; })), [
      "Deployment agent-platform-prod/agent-platform: pod securityContext.runAsNonRoot is not true; bare: allowPrivilegeEscalation is not false; bare: readOnlyRootFilesystem is not true; bare: capabilities.drop does not include ALL (R-WL-3)",
    ], "a container without a securityContext stands in for nothing");
    // An object without metadata is named by its resource name.
    assert.deepEqual(run("pod-hardening", { type: "kubernetes:core/v1:Pod", name: "bare", inputs: { spec: { containers: [] } } }), [
      "Pod bare: pod securityContext.runAsNonRoot is not true; automountServiceAccountToken is not false (a pod that needs the API states why in the annotation agent-platform/service-account-token-reason) (R-WL-3)",
    ]);
  });

  it("R-WL-7, R-WL-9, R-DATA-4: an object without a spec, and the allowances the pack's configuration gives", () => {
    const k = (type: string, inputs: Record<string, unknown>) => ({ type: `kubernetes:${type}`, name: "x", inputs: { metadata: { name: "x", namespace: "n" }, ...inputs } });
    assert.deepEqual(run("ingress-tls", k("networking.k8s.io/v1:Ingress", {})), ["Ingress n/x: no TLS; traffic to it is plain HTTP (R-WL-7)"]);
    assert.deepEqual(run("network-policy-not-allow-all", k("networking.k8s.io/v1:NetworkPolicy", {})), [], "no rules, nothing allowed");
    // Empty entries where rules, peers and TLS blocks belong: read as nothing, never an error.
    assert.deepEqual(run("network-policy-not-allow-all", k("networking.k8s.io/v1:NetworkPolicy", { spec: { ingress: [null], egress: [{ to: [null, { podSelector: { matchLabels: { a: "b" } } }], ports: [{ port: 53 }] }] } })), [
      "NetworkPolicy n/x: an ingress rule allows every source on every port; name peers and ports (R-WL-7)",
    ], "an empty rule admits everyone on every port");
    assert.deepEqual(run("ingress-tls", k("networking.k8s.io/v1:Ingress", { spec: { tls: [null, { hosts: ["a.example.com"] }], rules: [null, { host: "a.example.com" }] } })), [
      "Ingress n/x: hosts * are served without TLS (R-WL-7)",
    ], "a rule without a host is every host");
    assert.deepEqual(run("no-external-services", k("core/v1:Service", {})), []);
    const lb = k("core/v1:Service", { spec: { type: "LoadBalancer" } });
    assert.deepEqual(run("no-external-services", lb, { allowedServices: ["n/x"] }), [], "a listed Service");
    assert.equal(run("no-external-services", lb, { allowedServices: ["m/x"] }).length, 1, "listed in another namespace");
    const reader = { type: "kubernetes:rbac.authorization.k8s.io/v1:ClusterRole", name: "r", inputs: { metadata: { name: "secrets-reader" }, rules: [{ apiGroups: [""], resources: ["secrets"], verbs: ["get"] }] } };
    assert.deepEqual(run("no-cluster-admin-or-cluster-wide-secret-reads", reader, { allowedClusterRoles: ["secrets-reader"] }), [], "a listed ClusterRole");
    assert.deepEqual(run("no-cluster-admin-or-cluster-wide-secret-reads", reader, { allowedClusterRoles: ["other"] }), ["ClusterRole secrets-reader: reads Secrets in every namespace; use a Role in the namespace that holds them (R-WL-9)"]);
    // The declared repositories are read by the same grammar as the images: "postgres" is docker.io/library/postgres.
    const postgres = deployment((p) => (p.containers[0].image = `docker.io/library/postgres@sha256:${"ab".repeat(32)}`));
    assert.deepEqual(run("prod-image-registry", postgres, { repositories: ["postgres"] }), []);
    assert.equal(run("prod-image-registry", postgres, { repositories: ["mysql"] }).length, 1);
  });

  it("R-DATA-4: images are read by the distribution/reference grammar: a registry port is not a tag, a digest pins whatever the tag, no image is reported", () => {
    const image = (img: string | undefined) => deployment((p) => (p.containers[0].image = img));
    const pinned = (img: string | undefined) => run("images-pinned", image(img));
    const digests = (img: string | undefined) => run("prod-image-digests", image(img));
    const D = `sha256:${"ab".repeat(32)}`;
    const at = "Deployment agent-platform-prod/agent-platform: container api runs";
    assert.deepEqual(pinned("registry.example:5000/agent-platform"), [`${at} registry.example:5000/agent-platform, untagged (latest); pin a tag or digest (R-DATA-4)`]);
    assert.deepEqual(pinned("registry.example:5000/agent-platform:latest"), [`${at} registry.example:5000/agent-platform:latest, the mutable tag latest; pin a tag or digest (R-DATA-4)`]);
    assert.deepEqual(pinned("registry.example:5000/agent-platform:1.4.2"), []);
    assert.deepEqual(pinned(`registry.example:5000/agent-platform:latest@${D}`), [], "the digest is what runs");
    assert.deepEqual(pinned(`registry.example:5000/agent-platform@${D}`), []);
    assert.deepEqual(pinned("Registry/Agent-Platform:1.4.2"), [
      'Deployment agent-platform-prod/agent-platform: container api runs "Registry/Agent-Platform:1.4.2", which is not an image reference; pin a tag or digest (R-DATA-4)',
    ]);
    assert.deepEqual(pinned(undefined), ['Deployment agent-platform-prod/agent-platform: container api runs "", which is not an image reference; pin a tag or digest (R-DATA-4)']);

    assert.deepEqual(digests("registry.example:5000/agent-platform:1.4.2"), [`${at} registry.example:5000/agent-platform:1.4.2 without a digest; prod pins images by digest (R-DATA-4)`]);
    assert.deepEqual(digests(`registry.example:5000/agent-platform:1.4.2@${D}`), []);
    for (const img of ["registry.example:5000/agent-platform", "registry.example:5000/agent-platform:latest", "Registry/Agent-Platform:1.4.2", undefined]) {
      assert.deepEqual(digests(img), [], `${img}: images-pinned's to report`);
    }
  });

  it("R-WL-6, R-WL-7, R-WL-9: secret-like ConfigMap keys with any separator; a namespace or Service without metadata or spec", () => {
    const cm = (data: Record<string, string>) => ({ type: "kubernetes:core/v1:ConfigMap", name: "c", inputs: { metadata: { name: "c", namespace: "n" }, data } });
    assert.deepEqual(run("no-plaintext-secrets", cm({ "database-url": "x", "log-level": "info" })), ["ConfigMap n/c: key database-url looks like a secret; move it to a Secret (R-WL-6)"]);
    assert.deepEqual(run("no-plaintext-secrets", { type: "kubernetes:core/v1:ConfigMap", name: "c", inputs: {} }), []);

    const nsType = "kubernetes:core/v1:Namespace";
    assert.deepEqual(run("namespace-pod-security", { type: nsType, name: "bare", inputs: {} }), ["Namespace bare: no Pod Security Admission enforce, audit, warn label; label it restricted (R-WL-7)"]);
    const privileged = { "pod-security.kubernetes.io/enforce": "privileged", "pod-security.kubernetes.io/audit": "privileged", "pod-security.kubernetes.io/warn": "privileged" };
    assert.deepEqual(run("namespace-pod-security", { type: nsType, name: "ns", inputs: { metadata: { name: "x", labels: privileged } } }), [
      "Namespace x: enforces privileged without an agent-platform/pod-security-reason annotation (R-WL-9)",
    ]);

    const svc = (inputs: Record<string, unknown>) => ({ type: "kubernetes:core/v1:Service", name: "s", inputs });
    assert.deepEqual(run("no-external-services", svc({})), []);
    assert.deepEqual(run("no-external-services", svc({ spec: { type: "NodePort" } })), ["Service s: type NodePort exposes it outside the cluster; use ClusterIP behind the Gateway (R-WL-7)"]);
  });

  it("R-DATA-0, R-DATA-4: a final snapshot is required; ECR needs a KMS configuration, and a repository without scanning settings does not scan", () => {
    const rds = { identifier: "m", storageEncrypted: true, kmsKeyId: "k", backupRetentionPeriod: 30, deletionProtection: true, skipFinalSnapshot: true, publiclyAccessible: false };
    assert.deepEqual(run("rds-encrypted-backed-up-private", { type: "aws:rds/instance:Instance", name: "db", inputs: rds }), ["aws:rds/instance:Instance m: no final snapshot (R-DATA-0, R-DATA-2)"]);
    const repo = (over: Record<string, unknown>) => ({ type: "aws:ecr/repository:Repository", name: "r", inputs: { name: "agent-platform", imageScanningConfiguration: { scanOnPush: true }, imageTagMutability: "IMMUTABLE", ...over } });
    assert.deepEqual(run("ecr-scanned-immutable-encrypted", repo({ encryptionConfigurations: [{ encryptionType: "AES256" }] })), ["aws:ecr/repository:Repository agent-platform: not encrypted with KMS (R-DATA-4)"]);
    assert.deepEqual(run("ecr-scanned-immutable-encrypted", repo({ encryptionConfigurations: [{ encryptionType: "AES256" }, { encryptionType: "KMS" }] })), []);
    assert.deepEqual(run("ecr-scanned-immutable-encrypted", repo({ imageScanningConfiguration: undefined, encryptionConfigurations: undefined })), [
      "aws:ecr/repository:Repository agent-platform: no scan on push; not encrypted with KMS (R-DATA-4)",
    ]);
  });

  it("R-CI-2: a resource is named by its Kubernetes namespace/name, its AWS identifier or bucket, an ECR repository by its name, else by its Pulumi name", () => {
    assert.equal(describeResource("kubernetes:apps/v1:Deployment", { metadata: { name: "api", namespace: "p" } }, "res"), "Deployment p/api");
    assert.equal(describeResource("kubernetes:core/v1:Namespace", { metadata: { name: "p" } }, "res"), "Namespace p");
    assert.equal(describeResource("kubernetes:core/v1:Namespace", {}, "res"), "Namespace res");
    assert.equal(describeResource("aws:rds/instance:Instance", { identifier: "db", name: "memory" }, "res"), "aws:rds/instance:Instance db");
    assert.equal(describeResource("aws:s3/bucket:Bucket", { bucket: "b-1" }, "res"), "aws:s3/bucket:Bucket b-1");
    assert.equal(describeResource("aws:ecr/repository:Repository", { name: "agent-platform" }, "res"), "aws:ecr/repository:Repository agent-platform");
    assert.equal(describeResource("aws:kms/alias:Alias", { name: "alias/agent-platform" }, "res"), "aws:kms/alias:Alias res", "only ECR is named by its name property");
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
/** A workload: the golden signals are asked of a stack that runs one. */
const WORKLOAD = res("kubernetes:apps/v1:Deployment", "w", { metadata: { name: "w", namespace: "p" } });
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
    assert.deepEqual(stackRun("alerts-for-golden-signals", [WORKLOAD, promRule(ALL)]), []);
    assert.deepEqual(stackRun("alerts-for-golden-signals", [WORKLOAD, promRule(ALL.filter((r) => r.alert !== "MemorySaturationSustained"))]), [
      "stack: no critical alert for memory > 90 % for 3 min (R-PD-5) (expected MemorySaturationSustained) in any PrometheusRule (R-CI-2)",
    ]);
    // A warning-only error alert covers the golden signal but not the R-PD-5 page.
    assert.deepEqual(stackRun("alerts-for-golden-signals", [WORKLOAD, promRule(ALL.map((r) => (r.alert === "HighErrorRate" ? rule("HighErrorRate", "warning") : r)))]), [
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
      "Release argo-rollouts: plugin argoproj-labs/gatewayAPI: no sha256 checksum (R-PD-2)",
    ]);
    assert.deepEqual(stackRun("rollouts-plugin-pinned", [release({ location: location.replace("download/v0.15.0", "latest/download"), sha256: "f".repeat(64) })]), [
      `Release argo-rollouts: plugin argoproj-labs/gatewayAPI: location ${location.replace("download/v0.15.0", "latest/download")} is not a versioned release over https (R-PD-2)`,
    ]);
  });
});

describe("R-WL-5: availability policies at their edges: which budget, which workload, which strategy", () => {
  const PDB = "pdb-allows-disruption";
  const ZERO = "prod-max-unavailable-zero";
  const labels = { app: "w" };
  const pdb = (ns: string, spec: Record<string, unknown>, type = "kubernetes:policy/v1:PodDisruptionBudget") => res(type, "b", { metadata: { name: "b", namespace: ns }, spec: { selector: { matchLabels: labels }, ...spec } });
  const workload = (ns: string, spec: Record<string, unknown> = {}) =>
    res("kubernetes:apps/v1:Deployment", "w", { metadata: { name: "w", namespace: ns }, spec: { selector: { matchLabels: labels }, template: { metadata: { labels } }, strategy: { rollingUpdate: { maxUnavailable: 0 } }, ...spec } });

  it("R-WL-5: a budget judges the workloads of its own namespace only, at their stated replicas or one", () => {
    assert.deepEqual(stackRun(PDB, [pdb("p", { minAvailable: 2 }), workload("p", { replicas: 2 })]), ["PodDisruptionBudget p/b: minAvailable 2 with Deployment p/w at 2 replica(s) lets no pod go; node drains hang (R-WL-5)"]);
    assert.deepEqual(stackRun(PDB, [pdb("p", { minAvailable: 2 }), workload("p", { replicas: 3 })]), [], "3 replicas keep one to spare");
    assert.deepEqual(stackRun(PDB, [pdb("q", { minAvailable: 2 }), workload("p", { replicas: 2 })]), [], "the same labels in another namespace are not its pods");
    assert.deepEqual(stackRun(PDB, [pdb("p", { minAvailable: 1 }), workload("p")]), ["PodDisruptionBudget p/b: minAvailable 1 with Deployment p/w at 1 replica(s) lets no pod go; node drains hang (R-WL-5)"], "no replicas stated: one");
    assert.deepEqual(stackRun(PDB, [pdb("p", { minAvailable: "50%" }), workload("p", { replicas: 2 })]), [], "50 % of 2 keeps 1");
    assert.deepEqual(stackRun(PDB, [pdb("p", { minAvailable: "51%" }), workload("p", { replicas: 2 })]), ["PodDisruptionBudget p/b: minAvailable 51% with Deployment p/w at 2 replica(s) lets no pod go; node drains hang (R-WL-5)"], "51 % of 2 rounds up to 2");
    assert.deepEqual(stackRun(PDB, [pdb("p", { minAvailable: "100%" })]), ["PodDisruptionBudget p/b: minAvailable 100% lets no pod go; node drains hang (R-WL-5)"], "100 % needs no workload to be wrong");
    assert.deepEqual(stackRun(PDB, [pdb("p", {})]), [], "a budget without either field");
    assert.deepEqual(stackRun(PDB, [pdb("p", { maxUnavailable: 0 }, "kubernetes:example.com/v1:Budget")]), [], "only PodDisruptionBudgets are budgets");
    // Objects cut short: a workload without metadata or spec, a budget without metadata.
    const bare = res("kubernetes:apps/v1:Deployment", "bare", {});
    assert.deepEqual(stackRun(PDB, [pdb("p", { minAvailable: 1 }), bare]), [], "a workload without metadata is in no namespace");
    const noMeta = res("kubernetes:policy/v1:PodDisruptionBudget", "nm", { spec: { selector: { matchLabels: labels }, minAvailable: 1 } });
    assert.deepEqual(stackRun(PDB, [noMeta, res("kubernetes:apps/v1:Deployment", "w", { spec: { template: { metadata: { labels } } } })]), [
      "PodDisruptionBudget nm: minAvailable 1 with Deployment w at 1 replica(s) lets no pod go; node drains hang (R-WL-5)",
    ], "neither in a namespace, so the same one; no spec.replicas: one");
    assert.deepEqual(stackRun(ZERO, [bare]), ["Deployment bare: maxUnavailable 25% (the default) takes pods away before their replacements are ready; set 0 (R-WL-5)"], "no spec: the default strategy");
  });

  it("R-WL-5: in prod, only rolling Deployments and canary Rollouts have a maxUnavailable to judge", () => {
    const rollout = (strategy: Record<string, unknown>) => res("kubernetes:argoproj.io/v1alpha1:Rollout", "r", { metadata: { name: "r", namespace: "p" }, spec: { strategy } });
    assert.deepEqual(stackRun(ZERO, [rollout({ blueGreen: { activeService: "a", previewService: "b" } })]), [], "blue/green replaces the whole set behind a switch");
    assert.deepEqual(stackRun(ZERO, [rollout({ canary: { maxUnavailable: 0 } }), workload("p")]), []);
    assert.deepEqual(stackRun(ZERO, [res("kubernetes:apps/v1:StatefulSet", "s", { metadata: { name: "s", namespace: "p" }, spec: { updateStrategy: { type: "RollingUpdate" } } })]), [], "a StatefulSet rolls one pod at a time by default");
  });
});

describe("R-CI-2: stack policies at their edges: which resource belongs to which, every clause of a rule", () => {
  const S3 = "s3-buckets-encrypted-versioned-private-tls";
  const B = "aws:s3/bucket:Bucket backups-0a1b2c3";

  it("R-DATA-1: a bucket's settings are found by property dependency or by name, never taken from another bucket", () => {
    // The engine links a sub-resource to its bucket by property dependency; the bucket
    // name it carries may still be unknown in a preview.
    const linked = policyResources("prod", bucketSet().map((r) => (r.type === "aws:s3/bucket:Bucket" ? r : { ...r, outputs: { ...r.outputs, bucket: "(unknown)" } })));
    const bucket = linked.find((r) => r.type === "aws:s3/bucket:Bucket")!;
    assert.equal(checkStack(policy<StackValidationPolicy>(S3), linked).length, 1, "without the dependency nothing configures the bucket");
    for (const r of linked) if (r !== bucket) r.propertyDependencies = { bucket: [bucket] };
    assert.deepEqual(checkStack(policy<StackValidationPolicy>(S3), linked), []);
    const other = policyResources("prod", [res("aws:s3/bucket:Bucket", "other", { bucket: "other-b", id: "other-b" })])[0];
    for (const r of linked) if (r !== bucket) r.propertyDependencies = { bucket: [other] };
    assert.deepEqual(checkStack(policy<StackValidationPolicy>(S3), linked), [
      `${B}: not encrypted with KMS; not versioned; public access not blocked (all four blocks); no policy denying requests without TLS (R-DATA-1)`,
    ]);
    for (const r of linked) if (r !== bucket) r.propertyDependencies = { bucket: [other, bucket] };
    assert.deepEqual(checkStack(policy<StackValidationPolicy>(S3), linked), [], "the bucket among several dependencies");
    for (const r of linked) if (r !== bucket) r.propertyDependencies = { bucket: [] };
    assert.equal(checkStack(policy<StackValidationPolicy>(S3), linked).length, 1, "an empty dependency list links nothing");

    // A second, bare bucket gets every problem, whatever the first one has.
    const two = [...bucketSet(), res("aws:s3/bucket:Bucket", "bare", { bucket: "bare-b", id: "bare-b" })];
    assert.deepEqual(stackRun(S3, two), [
      "aws:s3/bucket:Bucket bare-b: not encrypted with KMS; not versioned; public access not blocked (all four blocks); no policy denying requests without TLS (R-DATA-1)",
    ]);
    // Being some other bucket's log target does not allow SSE-S3 here.
    const logsElsewhere = [...bucketSet({ sse: "AES256" }), res("aws:s3/bucketLogging:BucketLogging", "logging", { bucket: "backups-0a1b2c3", targetBucket: "logs-b" })];
    assert.deepEqual(stackRun(S3, logsElsewhere), [`${B}: not encrypted with KMS (R-DATA-1)`]);
    // A rule without a default encryption, a versioning without a configuration.
    const partial = bucketSet({ versioning: null }).map((r) => (r.name === "enc" ? { ...r, outputs: { bucket: "backups-0a1b2c3", rules: [{}] } } : r));
    partial.push(res("aws:s3/bucketVersioning:BucketVersioning", "ver", { bucket: "backups-0a1b2c3" }));
    assert.deepEqual(stackRun(S3, partial), [`${B}: not encrypted with KMS; not versioned (R-DATA-1)`]);
    // One compliant resource of each kind is enough, beside a weaker one.
    const extra = [
      ...bucketSet(),
      res("aws:s3/bucketVersioning:BucketVersioning", "ver2", { bucket: "backups-0a1b2c3", versioningConfiguration: { status: "Suspended" } }),
      res("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "pab2", { bucket: "backups-0a1b2c3" }),
      res("aws:s3/bucketPolicy:BucketPolicy", "pol2", { bucket: "backups-0a1b2c3", policy: "{}" }),
    ];
    assert.deepEqual(stackRun(S3, extra), []);
    // A setting counts only on the resource type that carries it: the same fields on
    // another resource naming the bucket neither version it nor make it a log target.
    const lookalike = [
      ...bucketSet({ versioning: null, sse: "AES256" }),
      res("aws:s3/bucketOwnershipControls:BucketOwnershipControls", "own", { bucket: "backups-0a1b2c3", versioningConfiguration: { status: "Enabled" } }),
      res("aws:s3/bucketNotification:BucketNotification", "note", { bucket: "logs-b", targetBucket: "backups-0a1b2c3" }),
    ];
    assert.deepEqual(stackRun(S3, lookalike), [`${B}: not encrypted with KMS; not versioned (R-DATA-1)`]);
    // The same log target through a BucketLogging does allow SSE-S3 (S3 log delivery needs it).
    const logTarget = [...bucketSet({ sse: "AES256" }), res("aws:s3/bucketLogging:BucketLogging", "logging", { bucket: "other-b", targetBucket: "backups-0a1b2c3" })];
    assert.deepEqual(stackRun(S3, logTarget), []);
  });

  it("R-DATA-1: only a Deny of every S3 action when aws:SecureTransport is false makes a bucket TLS-only", () => {
    const arn = "arn:aws:s3:::backups-0a1b2c3";
    const st = (over: Record<string, unknown>) => ({ Effect: "Deny", Principal: "*", Action: "s3:*", Resource: [arn, `${arn}/*`], Condition: { Bool: { "aws:SecureTransport": "false" } }, ...over });
    const withPolicy = (policy: unknown) => bucketSet().map((r) => (r.name === "pol" ? { ...r, outputs: { bucket: "backups-0a1b2c3", policy } } : r));
    const noTls = [`${B}: no policy denying requests without TLS (R-DATA-1)`];
    assert.deepEqual(stackRun(S3, withPolicy({ Statement: [st({})] })), [], "the policy as an object, as the provider may return it");
    assert.deepEqual(stackRun(S3, withPolicy({ Statement: [st({ Action: "*" })] })), []);
    assert.deepEqual(stackRun(S3, withPolicy({ Statement: [st({ Action: ["s3:*"] })] })), []);
    assert.deepEqual(stackRun(S3, withPolicy({ Statement: [st({ Condition: { Bool: { "aws:SecureTransport": false } } })] })), []);
    assert.deepEqual(stackRun(S3, withPolicy({ Statement: [st({ Effect: "Allow" })] })), noTls);
    assert.deepEqual(stackRun(S3, withPolicy({ Statement: [st({ Action: "s3:PutObject" })] })), noTls);
    assert.deepEqual(stackRun(S3, withPolicy({ Statement: [st({ Action: "" })] })), noTls);
    assert.deepEqual(stackRun(S3, withPolicy({ Statement: [st({ Condition: { Bool: { "aws:SecureTransport": "true" } } })] })), noTls);
    assert.deepEqual(stackRun(S3, withPolicy({ Statement: [st({ Condition: { Bool: {} } })] })), noTls);
    assert.deepEqual(stackRun(S3, withPolicy({ Statement: [st({ Condition: {} })] })), noTls);
    assert.deepEqual(stackRun(S3, withPolicy({ Statement: [st({ Condition: undefined })] })), noTls);
    assert.deepEqual(stackRun(S3, withPolicy(JSON.stringify({ Version: "2012-10-17" }))), noTls);
    assert.deepEqual(stackRun(S3, withPolicy(undefined)), noTls, "a BucketPolicy without a policy document");
    assert.deepEqual(stackRun(S3, withPolicy("null")), noTls);
  });

  it("R-ENV-1, R-ENV-2, R-WL-5: an HPA counts for the workload it targets by namespace, name and kind; only Deployments and Rollouts are held to replicas and budgets", () => {
    const wl = (over: Record<string, unknown> = {}) => res("kubernetes:argoproj.io/v1alpha1:Rollout", "rollout", { metadata: { name: "agent-platform", namespace: "p" }, spec: { replicas: 1 }, ...over });
    const hpa = (ref: Record<string, unknown>, namespace = "p", spec: Record<string, unknown> = {}) =>
      res("kubernetes:autoscaling/v2:HorizontalPodAutoscaler", "hpa", { metadata: { name: "h", namespace }, spec: { minReplicas: 3, maxReplicas: 6, scaleTargetRef: { kind: "Rollout", name: "agent-platform", ...ref }, ...spec } });
    const one = ["Rollout p/agent-platform: 1 replica(s); prod runs at least 3 (R-ENV-1, R-ENV-2)"];
    assert.deepEqual(stackRun("prod-workload-replicas", [wl(), hpa({})]), []);
    assert.deepEqual(stackRun("prod-workload-replicas", [wl(), hpa({}, "q")]), one, "an HPA in another namespace");
    assert.deepEqual(stackRun("prod-workload-replicas", [wl(), hpa({ name: "other" })]), one, "an HPA of another workload");
    assert.deepEqual(stackRun("prod-workload-replicas", [wl(), hpa({ kind: "Deployment" })]), one, "an HPA of a Deployment of that name");
    assert.deepEqual(stackRun("prod-workload-replicas", [wl(), { ...hpa({}), type: "kubernetes:autoscaling/v1:Scale" }]), one, "not an HPA");
    assert.deepEqual(stackRun("prod-workload-replicas", [wl({ spec: undefined })]), one, "no replicas means one");
    assert.deepEqual(
      stackRun("prod-workload-replicas", [wl(), res("kubernetes:autoscaling/v2:HorizontalPodAutoscaler", "hpa", { metadata: { name: "h", namespace: "p" } })]),
      one,
      "an HPA without a target",
    );
    assert.deepEqual(stackRun("prod-workload-replicas", [res("kubernetes:apps/v1:StatefulSet", "s", { metadata: { name: "s", namespace: "p" }, spec: { replicas: 1 } })]), []);

    const PDB = "pdb-for-replicated-workloads";
    const labelled = (over: Record<string, unknown> = {}) => wl({ spec: { replicas: 1, template: { metadata: { labels: { app: "a", env: "x" } } } }, ...over });
    const pdb = (matchLabels: Record<string, string> | undefined, namespace = "p", type = "kubernetes:policy/v1:PodDisruptionBudget") =>
      res(type, "pdb", { metadata: { name: "b", namespace }, spec: matchLabels === undefined ? {} : { selector: { matchLabels } } });
    const none = ["Rollout p/agent-platform: up to 6 replicas and no PodDisruptionBudget selects its pods (R-WL-5)"];
    assert.deepEqual(stackRun(PDB, [labelled(), hpa({})]), none, "an HPA's maximum counts");
    assert.deepEqual(stackRun(PDB, [labelled(), hpa({}, "p", { maxReplicas: undefined })]), [], "an HPA without a maximum allows one");
    assert.deepEqual(stackRun(PDB, [labelled(), hpa({}), pdb({ app: "a", env: "x" })]), []);
    assert.deepEqual(stackRun(PDB, [labelled(), hpa({}), pdb({ app: "a", env: "y" })]), none, "every label must match");
    assert.deepEqual(stackRun(PDB, [labelled(), hpa({}), pdb({})]), none, "an empty selector is not a budget for these pods");
    assert.deepEqual(stackRun(PDB, [labelled(), hpa({}), pdb(undefined)]), none);
    assert.deepEqual(stackRun(PDB, [labelled(), hpa({}), pdb({ app: "a" }, "q")]), none, "a budget in another namespace");
    assert.deepEqual(stackRun(PDB, [labelled(), hpa({}), pdb({ app: "a" }, "p", "kubernetes:policy/v1beta1:PodDisruptionBudget")]), none, "only policy/v1");
    assert.deepEqual(stackRun(PDB, [wl({ spec: undefined })]), []);
    assert.deepEqual(stackRun(PDB, [wl({ spec: { replicas: 2 } }), pdb({ app: "a" })]), ["Rollout p/agent-platform: up to 2 replicas and no PodDisruptionBudget selects its pods (R-WL-5)"]);
    assert.deepEqual(stackRun(PDB, [res("kubernetes:apps/v1:StatefulSet", "s", { metadata: { name: "s", namespace: "p" }, spec: { replicas: 3 } })]), []);
  });

  const alert = (name: string, labels: Record<string, unknown> | undefined, annotations: Record<string, unknown> = { summary: "s", description: "d", runbook_url: `https://x/docs/runbooks/${name}.md` }) => ({
    alert: name,
    expr: "x > 1",
    ...(labels ? { labels } : {}),
    annotations,
  });
  const rules = (groups: unknown) => res("kubernetes:monitoring.coreos.com/v1:PrometheusRule", "rules", { metadata: { name: "r", namespace: "p" }, spec: { groups } });

  it("R-AL-20: each label and annotation is checked on its own; priority is exactly P0 to P3", () => {
    const AL = "alerts-carry-labels-and-runbooks";
    const at = "PrometheusRule p/r: alert A:";
    const ok = { severity: "warning", priority: "P2", service: "agent-platform" };
    assert.deepEqual(stackRun(AL, [rules([{ name: "g", rules: [alert("A", ok)] }])]), []);
    assert.deepEqual(stackRun(AL, [rules([{ name: "g", rules: [alert("A", { ...ok, severity: "page" })] }])]), [`${at} no severity (R-AL-20)`]);
    assert.deepEqual(stackRun(AL, [rules([{ name: "g", rules: [alert("A", { ...ok, priority: "XP1" })] }])]), [`${at} no priority P0-P3 (R-AL-20)`]);
    assert.deepEqual(stackRun(AL, [rules([{ name: "g", rules: [alert("A", { ...ok, priority: "P1X" })] }])]), [`${at} no priority P0-P3 (R-AL-20)`]);
    assert.deepEqual(stackRun(AL, [rules([{ name: "g", rules: [alert("A", ok, { description: "d", runbook_url: "https://x/docs/runbooks/A.md" })] }])]), [`${at} no summary (R-AL-20)`]);
    assert.deepEqual(stackRun(AL, [rules([{ name: "g", rules: [alert("A", undefined, {})] }])]), [
      `${at} no severity; no priority P0-P3; no service label; no summary; no description; no runbook_url to docs/runbooks (R-AL-20)`,
    ]);
    assert.deepEqual(stackRun(AL, [rules(undefined), rules([{ name: "g" }, { name: "h", rules: [{ record: "r", expr: "x" }] }])]), [], "no groups, no rules, recording rules only");
    const specless = res("kubernetes:monitoring.coreos.com/v1:PrometheusRule", "bare", { metadata: { name: "bare", namespace: "p" } });
    assert.deepEqual(stackRun(AL, [specless]), [], "a PrometheusRule without a spec has no alerts to judge");
  });

  it("R-CI-2: a missing golden signal is named without a severity; an alert without labels is no critical one", () => {
    const GS = "alerts-for-golden-signals";
    const critical = (name: string) => alert(name, { severity: "critical" });
    const all = ["HighLatencyP99", "TrafficAnomaly", "HighErrorRate", "CPUSaturation", "SyntheticProbeFailing", "MemorySaturationSustained", "AgentSpawnFailures"].map(critical);
    assert.deepEqual(stackRun(GS, [WORKLOAD, rules([{ name: "g", rules: all }])]), []);
    assert.deepEqual(stackRun(GS, [WORKLOAD, rules([{ name: "g", rules: all.filter((r) => r.alert !== "TrafficAnomaly") }])]), [
      "stack: no alert for traffic (golden signal) (expected TrafficAnomaly) in any PrometheusRule (R-CI-2)",
    ]);
    assert.deepEqual(stackRun(GS, [WORKLOAD, rules([{ name: "g", rules: all.map((r) => (r.alert === "AgentSpawnFailures" ? alert("AgentSpawnFailures", undefined) : r)) }])]), [
      "stack: no critical alert for agent-spawn failures > 50 % for 2 min (R-PD-5) (expected AgentSpawnFailures) in any PrometheusRule (R-CI-2)",
    ]);
    // Either latency alert stands for the signal; without both, the message names both.
    assert.deepEqual(stackRun(GS, [WORKLOAD, rules([{ name: "g", rules: [...all, critical("HighLatencyP95")].filter((r) => r.alert !== "HighLatencyP99") }])]), [
      "stack: no critical alert for p99 > 3000 ms for 5 min (R-PD-5) (expected HighLatencyP99) in any PrometheusRule (R-CI-2)",
    ]);
    assert.deepEqual(stackRun(GS, [WORKLOAD, rules([{ name: "g", rules: all.filter((r) => r.alert !== "HighLatencyP99") }])]), [
      "stack: no alert for latency (golden signal) (expected HighLatencyP99 or HighLatencyP95) in any PrometheusRule (R-CI-2)",
      "stack: no critical alert for p99 > 3000 ms for 5 min (R-PD-5) (expected HighLatencyP99) in any PrometheusRule (R-CI-2)",
    ]);
    const specless = res("kubernetes:monitoring.coreos.com/v1:PrometheusRule", "bare", { metadata: { name: "bare", namespace: "p" } });
    assert.equal(stackRun(GS, [WORKLOAD, specless]).length, 9, "a PrometheusRule without a spec holds none of the nine");
  });

  it("R-PD-2: the plugin checksum is exactly 64 hex digits and not all zeros; the location is a vX.Y.Z release over https; only the argo-rollouts chart is read", () => {
    const PP = "rollouts-plugin-pinned";
    const release = (plugin: Record<string, unknown>, chart = "argo-rollouts") =>
      res("kubernetes:helm.sh/v3:Release", "rollouts", { name: "argo-rollouts", chart, values: { controller: { trafficRouterPlugins: [{ name: "gw", ...plugin }] } } });
    const loc = "https://github.com/argoproj-labs/rollouts-plugin-trafficrouter-gatewayapi/releases/download/v0.10.12/gatewayapi-plugin-linux-amd64";
    const hex = "0f".repeat(32);
    const noSum = ["Release argo-rollouts: plugin gw: no sha256 checksum (R-PD-2)"];
    assert.deepEqual(stackRun(PP, [release({ location: loc, sha256: hex })]), [], "two-digit minor and patch versions");
    assert.deepEqual(stackRun(PP, [release({ location: loc, sha256: `0${"f".repeat(62)}0` })]), [], "zeros at either end are fine");
    assert.deepEqual(stackRun(PP, [release({ location: loc, sha256: `z${hex}` })]), noSum);
    assert.deepEqual(stackRun(PP, [release({ location: loc, sha256: `${hex}z` })]), noSum);
    assert.deepEqual(stackRun(PP, [release({ location: `http://mirror/${loc}`, sha256: hex })]), [
      `Release argo-rollouts: plugin gw: location http://mirror/${loc} is not a versioned release over https (R-PD-2)`,
    ]);
    assert.deepEqual(stackRun(PP, [release({})]), ["Release argo-rollouts: plugin gw: no sha256 checksum; location undefined is not a versioned release over https (R-PD-2)"]);
    assert.deepEqual(stackRun(PP, [release({}, "other-chart")]), [], "another chart's values are not plugins");
    assert.deepEqual(stackRun(PP, [{ ...release({}), type: "kubernetes:core/v1:ConfigMap" }]), [], "only a Helm release's values are read");
    assert.deepEqual(stackRun(PP, [res("kubernetes:helm.sh/v3:Release", "r", { name: "argo-rollouts", chart: "argo-rollouts" })]), [], "no plugins, nothing to pin");
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
      for (const name of ["prod-workload-replicas", "prod-image-digests", "prod-rds-multi-az", "prod-image-registry", "prod-max-unavailable-zero"]) assert.equal(l[name], "disabled", `${env} ${name}`);
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
        "mandatory rollouts-plugin-pinned: Release argo-rollouts/argo-rollouts: plugin argoproj-labs/gatewayAPI: no sha256 checksum (R-PD-2)",
        "mandatory s3-buckets-encrypted-versioned-private-tls: aws:s3/bucket:Bucket agent-platform-prod-backup-logs-0a1b2c3: public access not blocked (all four blocks) (R-DATA-1)",
        "mandatory s3-buckets-encrypted-versioned-private-tls: aws:s3/bucket:Bucket agent-platform-prod-backups-0a1b2c3: not encrypted with KMS (R-DATA-1)",
      ].sort(),
    );
  });
});

describe("R-CI-2: what links a resource to a bucket, and where alerts count", () => {
  const S3 = "s3-buckets-encrypted-versioned-private-tls";

  it("R-DATA-1: in a preview, a bucket and settings whose names are both unknown are not linked by the missing names", () => {
    // Names unknown on both sides and no property dependency: nothing says these settings are the bucket's.
    const unnamed = bucketSet().map((r) => {
      const props = { ...(r.outputs as Record<string, unknown>) };
      delete props.bucket;
      delete props.id;
      return { ...r, outputs: props };
    });
    assert.deepEqual(stackRun(S3, unnamed), [
      "aws:s3/bucket:Bucket backups: not encrypted with KMS; not versioned; public access not blocked (all four blocks); no policy denying requests without TLS (R-DATA-1)",
    ]);
  });

  it("R-CI-2: alert rules count only in a PrometheusRule (the operator loads no other kind)", () => {
    const GS = "alerts-for-golden-signals";
    const names = ["HighLatencyP99", "TrafficAnomaly", "HighErrorRate", "CPUSaturation", "SyntheticProbeFailing", "MemorySaturationSustained", "AgentSpawnFailures"];
    const spec = { groups: [{ name: "g", rules: names.map((alert) => ({ alert, expr: "vector(1)", labels: { severity: "critical" } })) }] };
    const elsewhere = res("kubernetes:operator.victoriametrics.com/v1beta1:VMRule", "vm", { spec });
    assert.equal(stackRun(GS, [WORKLOAD, elsewhere]).length, 9, "all nine missing");
    assert.deepEqual(stackRun(GS, [WORKLOAD, elsewhere, res("kubernetes:monitoring.coreos.com/v1:PrometheusRule", "rules", { spec })]), []);
  });

  it("R-PD-2: a plugin release with a two-digit major version is a versioned release", () => {
    const plugin = (version: string) =>
      res("kubernetes:helm.sh/v3:Release", "rollouts", {
        name: "argo-rollouts",
        chart: "argo-rollouts",
        values: { controller: { trafficRouterPlugins: [{ name: "gw", sha256: "ab".repeat(32), location: `https://github.com/o/p/releases/download/${version}/plugin` }] } },
      });
    assert.deepEqual(stackRun("rollouts-plugin-pinned", [plugin("v10.0.1")]), []);
    assert.deepEqual(stackRun("rollouts-plugin-pinned", [plugin("v10.0")]), [
      "Release argo-rollouts: plugin gw: location https://github.com/o/p/releases/download/v10.0/plugin is not a versioned release over https (R-PD-2)",
    ]);
    const bare = (values: unknown) => res("kubernetes:helm.sh/v3:Release", "rollouts", { name: "argo-rollouts", chart: "argo-rollouts", ...(values === undefined ? {} : { values }) });
    assert.deepEqual(stackRun("rollouts-plugin-pinned", [bare(undefined), bare({}), bare({ controller: {} })]), [], "a release without plugins downloads none");
  });

  it("R-ENV-1, R-ENV-2, R-WL-5: workloads, HPAs and budgets declared without metadata or spec (the provider names them) are judged, not crashed on", () => {
    // Kubernetes resources may leave out metadata (the provider auto-names them) and a spec
    // may be partial; the stack policies must still give their verdict instead of throwing.
    const wl = (spec: unknown) => res("kubernetes:argoproj.io/v1alpha1:Rollout", "rollout", spec === undefined ? {} : { spec });
    const hpa = (spec: unknown) => res("kubernetes:autoscaling/v2:HorizontalPodAutoscaler", "hpa", spec === undefined ? {} : { spec });
    const pdb = (spec: unknown) => res("kubernetes:policy/v1:PodDisruptionBudget", "pdb", spec === undefined ? {} : { spec });
    const REPLICAS = "prod-workload-replicas";
    const PDB = "pdb-for-replicated-workloads";
    const one = ["Rollout rollout: 1 replica(s); prod runs at least 3 (R-ENV-1, R-ENV-2)"];
    assert.deepEqual(stackRun(REPLICAS, [wl(undefined), hpa(undefined)]), one, "neither has metadata, the HPA no spec");
    assert.deepEqual(stackRun(REPLICAS, [wl(undefined), hpa({ minReplicas: 3 })]), one, "an HPA spec without scaleTargetRef targets nothing");
    assert.deepEqual(stackRun(REPLICAS, [wl(undefined), hpa({ minReplicas: 3, scaleTargetRef: { kind: "Rollout" } })]), [], "a target without a name matches a workload without one");
    const unbudgeted = ["Rollout rollout: up to 2 replicas and no PodDisruptionBudget selects its pods (R-WL-5)"];
    assert.deepEqual(stackRun(PDB, [wl({ replicas: 2 }), pdb(undefined)]), unbudgeted, "a budget without a spec selects nothing; the pods have no template");
    assert.deepEqual(stackRun(PDB, [wl({ replicas: 2, template: {} }), pdb({ selector: { matchLabels: { app: "a" } } })]), unbudgeted, "a template without metadata has no labels");
    assert.deepEqual(stackRun(PDB, [wl({ replicas: 2, template: { metadata: { labels: { app: "a" } } } }), pdb({ selector: { matchLabels: { app: "a" } } })]), []);
    const scaled = hpa({ maxReplicas: 6, scaleTargetRef: { kind: "Rollout" } });
    assert.deepEqual(stackRun(PDB, [wl(undefined), scaled, pdb({ selector: { matchLabels: { app: "a" } } })]), ["Rollout rollout: up to 6 replicas and no PodDisruptionBudget selects its pods (R-WL-5)"], "an HPA scales a workload without a spec");
  });
});
