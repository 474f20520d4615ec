// The CrossGuard policies (R-CI-2): the rules of REQUIREMENTS that must never regress,
// as plain policy objects. policy/index.ts wraps them in a PolicyPack (whose constructor
// starts the policy server), so tests import this module and call each policy with the
// arguments the engine would pass.
//
// Every violation message names the resource, the requirement and how to fix it. Policies
// whose rule holds in prod only are named `prod-*`; policy/config/<stack>.json disables
// them elsewhere and sets the enforcement level per environment (mandatory in staging and
// prod, advisory in dev).
//
// @pulumi/awsguard (0.3.1, the newest) targets @pulumi/aws 4 and its inline bucket
// arguments; with @pulumi/aws 7 a bucket's encryption, versioning and public-access block
// are separate resources, so its rules would not see them. The AWS rules here are ours,
// written as stack policies that follow a bucket to the resources that configure it.
import type {
  PolicyResource,
  ReportViolation,
  ResourceValidationArgs,
  ResourceValidationPolicy,
  StackValidationArgs,
  StackValidationPolicy,
} from "@pulumi/policy";
import { parseFamiliarName } from "@swimlane/docker-reference";

type Props = Record<string, any>;

// ------------------------------------------------------------------- helpers ----

/** Kubernetes kinds that carry a pod template, and where it is. */
const POD_PATHS: Record<string, (p: Props) => Props | undefined> = {
  "kubernetes:apps/v1:Deployment": (p) => p.spec?.template?.spec,
  "kubernetes:apps/v1:StatefulSet": (p) => p.spec?.template?.spec,
  "kubernetes:apps/v1:DaemonSet": (p) => p.spec?.template?.spec,
  "kubernetes:argoproj.io/v1alpha1:Rollout": (p) => p.spec?.template?.spec,
  "kubernetes:batch/v1:Job": (p) => p.spec?.template?.spec,
  "kubernetes:batch/v1:CronJob": (p) => p.spec?.jobTemplate?.spec?.template?.spec,
};
/** Kinds whose pods serve and so need probes; Jobs run to completion. */
const LONG_RUNNING = new Set(["kubernetes:apps/v1:Deployment", "kubernetes:apps/v1:StatefulSet", "kubernetes:apps/v1:DaemonSet", "kubernetes:argoproj.io/v1alpha1:Rollout"]);
const WORKLOADS = ["kubernetes:apps/v1:Deployment", "kubernetes:argoproj.io/v1alpha1:Rollout"];

const kindOf = (type: string) => type.split(":").pop()!;

/** "Rollout agent-platform-prod/agent-platform", "aws:rds/instance:Instance agent-platform-prod-memory". */
export function describeResource(type: string, props: Props, name: string): string {
  if (type.startsWith("kubernetes:")) {
    const m = props.metadata ?? {};
    return `${kindOf(type)} ${m.namespace ? `${m.namespace}/` : ""}${m.name ?? name}`;
  }
  const id = props.identifier ?? props.bucket ?? (type === "aws:ecr/repository:Repository" ? props.name : undefined) ?? name;
  return `${type} ${id}`;
}

/** The value if it is a list, else no element (a field left out, or of the wrong type). */
const list = (v: unknown): any[] => (Array.isArray(v) ? v : []);

const containersOf = (pod: Props): Props[] => [...list(pod.initContainers), ...list(pod.containers)];

/** A resource validation over the kinds that carry pods. */
function forPods(check: (args: ResourceValidationArgs, pod: Props, what: string, report: ReportViolation) => void) {
  return (args: ResourceValidationArgs, report: ReportViolation) => {
    const at = POD_PATHS[args.type];
    const pod = at?.(args.props);
    if (!pod) return;
    check(args, pod, describeResource(args.type, args.props, args.name), report);
  };
}

function forType(type: string, check: (props: Props, what: string, report: ReportViolation, args: ResourceValidationArgs) => void) {
  return (args: ResourceValidationArgs, report: ReportViolation) => {
    if (args.type === type) check(args.props, describeResource(args.type, args.props, args.name), report, args);
  };
}

/** Tag and digest of an image reference, by the distribution/reference grammar; undefined if it does not parse. */
const parseImage = (image: string): { tag?: string; digest?: string } | undefined => {
  try {
    const ref = parseFamiliarName(image);
    return { tag: ref.tag, digest: ref.digest };
  } catch {
    return undefined;
  }
};

// ------------------------------------------------------ workload resources ----

const resourcesAndProbes: ResourceValidationPolicy = {
  name: "container-resources-and-probes",
  description: "R-ENV-3, R-ENV-4, R-WL-1: every container states CPU and memory requests and limits; serving containers have liveness and readiness probes.",
  remediationSteps: "Set resources.requests and resources.limits (cpu, memory) on the container; give Deployments, Rollouts and StatefulSets livenessProbe and readinessProbe.",
  validateResource: forPods((args, pod, what, report) => {
    for (const c of containersOf(pod)) {
      const r = c.resources ?? {};
      const missing = ["requests", "limits"].flatMap((k) => ["cpu", "memory"].filter((x) => !r[k]?.[x]).map((x) => `${k}.${x}`));
      if (missing.length) report(`${what}: container ${c.name} has no ${missing.join(", ")}; set them (R-ENV-3, R-ENV-4)`);
    }
    if (LONG_RUNNING.has(args.type)) {
      for (const c of list(pod.containers)) {
        const probes = ["livenessProbe", "readinessProbe"].filter((p) => !c[p]);
        if (probes.length) report(`${what}: container ${c.name} has no ${probes.join(" or ")}; add it (R-WL-1)`);
      }
    }
  }),
};

/** The annotation with which an object whose pods need a service-account token states why (R-WL-3: "unless needed"). */
export const TOKEN_REASON = "agent-platform/service-account-token-reason";

const podHardening: ResourceValidationPolicy = {
  name: "pod-hardening",
  description: "R-WL-3: pods run as non-root with seccomp RuntimeDefault and no host namespaces, and without a service-account token unless their owner states why it needs one; containers drop all capabilities, cannot escalate and have a read-only root filesystem.",
  remediationSteps: "Use the pod template's hardenedPod()/hardenedContainer() (components/model/workload.ts) or set the same fields.",
  validateResource: forPods((args, pod, what, report) => {
    const problems: string[] = [];
    const sc = pod.securityContext ?? {};
    if (sc.runAsNonRoot !== true) problems.push("pod securityContext.runAsNonRoot is not true");
    // A pod that must talk to the API (the rollout-verdict Job) says why on its owner.
    const tokenReason = String(args.props?.metadata?.annotations?.[TOKEN_REASON] ?? "").trim();
    if (pod.automountServiceAccountToken !== false && !tokenReason) {
      problems.push(`automountServiceAccountToken is not false (a pod that needs the API states why in the annotation ${TOKEN_REASON})`);
    }
    for (const h of ["hostNetwork", "hostPID", "hostIPC"]) if (pod[h] === true) problems.push(`${h} is on`);
    if (list(pod.volumes).some((v) => v.hostPath)) problems.push("a hostPath volume is mounted");
    for (const c of containersOf(pod)) {
      const cs = c.securityContext ?? {};
      const seccomp = cs.seccompProfile?.type ?? sc.seccompProfile?.type;
      if (seccomp !== "RuntimeDefault" && seccomp !== "Localhost") problems.push(`${c.name}: seccompProfile is not RuntimeDefault`);
      if (cs.allowPrivilegeEscalation !== false) problems.push(`${c.name}: allowPrivilegeEscalation is not false`);
      if (cs.readOnlyRootFilesystem !== true) problems.push(`${c.name}: readOnlyRootFilesystem is not true`);
      if (cs.privileged === true) problems.push(`${c.name}: privileged`);
      if (!list(cs.capabilities?.drop).includes("ALL")) problems.push(`${c.name}: capabilities.drop does not include ALL`);
      const added = list(cs.capabilities?.add);
      if (added.length) problems.push(`${c.name}: adds capabilities ${added.join(", ")}`);
      if (cs.runAsUser === 0) problems.push(`${c.name}: runAsUser 0`);
    }
    if (problems.length) report(`${what}: ${problems.join("; ")} (R-WL-3)`);
  }),
};

const imagesPinned: ResourceValidationPolicy = {
  name: "images-pinned",
  description: "R-DATA-4: no container image is untagged or `latest`: every image names a fixed tag or a digest.",
  remediationSteps: "Pin the image by a release tag, or better by digest (…@sha256:<digest>).",
  validateResource: forPods((_args, pod, what, report) => {
    for (const c of containersOf(pod)) {
      // Stryker disable next-line StringLiteral: any default that is no reference reads the same (String(undefined) would be one)
      const ref = parseImage(String(c.image ?? ""));
      if (ref === undefined) {
        report(`${what}: container ${c.name} runs ${JSON.stringify(c.image ?? "")}, which is not an image reference; pin a tag or digest (R-DATA-4)`);
        continue;
      }
      const { tag, digest } = ref;
      if (!digest && (!tag || tag === "latest")) report(`${what}: container ${c.name} runs ${c.image}, ${tag ? "the mutable tag latest" : "untagged (latest)"}; pin a tag or digest (R-DATA-4)`);
    }
  }),
};

const prodImageDigests: ResourceValidationPolicy = {
  name: "prod-image-digests",
  description: "R-DATA-4: prod deploys images pinned by digest (an untagged or latest image is images-pinned's to report).",
  remediationSteps: "Set the image to …@sha256:<digest> (docs/data.md: how to read the digest).",
  validateResource: forPods((_args, pod, what, report) => {
    for (const c of containersOf(pod)) {
      // An unparseable, untagged or latest image is images-pinned's to report.
      // Stryker disable next-line StringLiteral: any default that is no reference reads the same (String(undefined) would be one)
      const { tag, digest } = parseImage(String(c.image ?? "")) ?? {};
      if (!digest && tag && tag !== "latest") report(`${what}: container ${c.name} runs ${c.image} without a digest; prod pins images by digest (R-DATA-4)`);
    }
  }),
};

const SECRET_NAME = /(PASSWORD|PASSWD|SECRET|TOKEN|API_?KEY|PRIVATE_?KEY|CREDENTIALS?|DATABASE_URL)$/i;

const noPlaintextSecrets: ResourceValidationPolicy = {
  name: "no-plaintext-secrets",
  description:
    "R-WL-6: secrets travel only in Kubernetes Secrets: no container has a secret-named variable with a literal value, and no ConfigMap a secret-named key. (Policies see secret values unwrapped, so that they come from `--secret` config is checked by the config parser.)",
  remediationSteps: "Put the value in a Pulumi secret, deliver it through the platform Secret (mounted as a file, read through <NAME>_FILE).",
  validateResource: [
    forPods((_args, pod, what, report) => {
      for (const c of containersOf(pod)) {
        for (const e of list(c.env)) {
          if (SECRET_NAME.test(e.name) && e.value !== undefined) report(`${what}: container ${c.name} sets ${e.name} to a literal value; deliver it from a Secret (R-WL-6)`);
        }
      }
    }),
    forType("kubernetes:core/v1:ConfigMap", (props, what, report) => {
      for (const key of Object.keys(props.data ?? {})) {
        if (SECRET_NAME.test(key.replace(/[^A-Za-z0-9]/g, "_"))) report(`${what}: key ${key} looks like a secret; move it to a Secret (R-WL-6)`);
      }
    }),
  ],
};

const namespacePsa: ResourceValidationPolicy = {
  name: "namespace-pod-security",
  description: "R-WL-7, R-WL-9: every namespace we declare states Pod Security Admission enforce, audit and warn levels; privileged only with a stated reason.",
  remediationSteps: "Label the namespace pod-security.kubernetes.io/{enforce,audit,warn}; a privileged one also carries the annotation agent-platform/pod-security-reason.",
  validateResource: forType("kubernetes:core/v1:Namespace", (props, what, report) => {
    const labels = props.metadata?.labels ?? {};
    const missing = ["enforce", "audit", "warn"].filter((m) => !labels[`pod-security.kubernetes.io/${m}`]);
    if (missing.length) report(`${what}: no Pod Security Admission ${missing.join(", ")} label; label it restricted (R-WL-7)`);
    // A privileged label means metadata exists.
    if (labels["pod-security.kubernetes.io/enforce"] === "privileged" && !props.metadata.annotations?.["agent-platform/pod-security-reason"]) {
      report(`${what}: enforces privileged without an agent-platform/pod-security-reason annotation (R-WL-9)`);
    }
  }),
};

const noExternalServices: ResourceValidationPolicy = {
  name: "no-external-services",
  description: "R-WL-7: no Service of type LoadBalancer or NodePort (traffic enters through the Gateway), unless listed in this policy's allowedServices config.",
  remediationSteps: "Use a ClusterIP Service behind the Gateway API HTTPRoute, or list namespace/name in allowedServices in policy/config/<stack>.json.",
  configSchema: { properties: { allowedServices: { type: "array", items: { type: "string" }, default: [] } } },
  validateResource: forType("kubernetes:core/v1:Service", (props, what, report, args) => {
    const type = props.spec?.type;
    if (type !== "LoadBalancer" && type !== "NodePort") return;
    const allowedServices = list(args.getConfig<{ allowedServices?: string[] }>().allowedServices);
    const id = `${props.metadata?.namespace}/${props.metadata?.name}`;
    if (!allowedServices.includes(id)) report(`${what}: type ${type} exposes it outside the cluster; use ClusterIP behind the Gateway (R-WL-7)`);
  }),
};

// ---------------------------------------------------------------- AWS data ----

const rdsSafety: ResourceValidationPolicy = {
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

const prodRdsMultiAz: ResourceValidationPolicy = {
  name: "prod-rds-multi-az",
  description: "R-DATA-0: the prod memory store runs Multi-AZ.",
  remediationSteps: "Keep memoryStore.rds.multiAz true in prod.",
  validateResource: forType("aws:rds/instance:Instance", (p, what, report) => {
    if (p.multiAz !== true) report(`${what}: not Multi-AZ; prod runs a standby in a second zone (R-DATA-0)`);
  }),
};

const ecrRepository: ResourceValidationPolicy = {
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

const statefulProtected: ResourceValidationPolicy = {
  name: "stateful-resources-protected",
  description: "R-DATA-0, R-DATA-1: resources that hold data (RDS instances, S3 buckets, KMS keys, ECR repositories) are declared with protect, so no destroy or replacement removes them.",
  remediationSteps: "Declare the resource with { protect: true } (components/data.ts does).",
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

const s3Buckets: StackValidationPolicy = {
  name: "s3-buckets-encrypted-versioned-private-tls",
  description:
    "R-DATA-1: every S3 bucket is encrypted (SSE-KMS; SSE-S3 only for a server-access-log target, which S3 log delivery requires), versioned, has all four public-access blocks, and a policy that denies requests without TLS.",
  remediationSteps: "Declare the bucket through BackupStore (components/data.ts), which adds each of these resources.",
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

const podLabels = (r: PolicyResource): Props => r.props.spec?.template?.metadata?.labels ?? {};
const matches = (selector: Props | undefined, labels: Props) =>
  !!selector && Object.entries(selector.matchLabels ?? {}).every(([k, v]) => labels[k] === v) && Object.keys(selector.matchLabels ?? {}).length > 0;
/** The HPA scaling `w`; one is found only with a spec (its scaleTargetRef matched). */
const hpaFor = (all: PolicyResource[], w: PolicyResource) =>
  all.find(
    (r) =>
      r.type === "kubernetes:autoscaling/v2:HorizontalPodAutoscaler" &&
      r.props.metadata?.namespace === w.props.metadata?.namespace &&
      r.props.spec?.scaleTargetRef?.name === w.props.metadata?.name &&
      r.props.spec?.scaleTargetRef?.kind === kindOf(w.type),
  );

const prodReplicas: StackValidationPolicy = {
  name: "prod-workload-replicas",
  description: "R-ENV-1, R-ENV-2: prod workloads (Deployment or Rollout) run at least 3 replicas, or an HPA keeps at least 3.",
  remediationSteps: "Keep the prod profile's replicas 3 / autoscaling.minReplicas 3.",
  validateStack: (args, report) => {
    for (const w of args.resources.filter((r) => WORKLOADS.includes(r.type))) {
      const hpa = hpaFor(args.resources, w);
      const min = hpa ? Number(hpa.props.spec.minReplicas ?? 1) : Number(w.props.spec?.replicas ?? 1);
      if (min < 3) {
        report(
          `${describeResource(w.type, w.props, w.name)}: ${hpa ? `HPA minimum ${min}` : `${min} replica(s)`}; prod runs at least 3 (R-ENV-1, R-ENV-2)`,
          w.urn,
        );
      }
    }
  },
};

const pdbs: StackValidationPolicy = {
  name: "pdb-for-replicated-workloads",
  description: "R-WL-5: every workload that may run more than one replica has a PodDisruptionBudget selecting its pods.",
  remediationSteps: "Declare a policy/v1 PodDisruptionBudget with the workload's selector (AgentPlatform does).",
  validateStack: (args, report) => {
    for (const w of args.resources.filter((r) => WORKLOADS.includes(r.type))) {
      const hpa = hpaFor(args.resources, w);
      const max = hpa ? Number(hpa.props.spec.maxReplicas ?? 1) : Number(w.props.spec?.replicas ?? 1);
      if (max <= 1) continue;
      const covered = args.resources.some(
        (r) =>
          r.type === "kubernetes:policy/v1:PodDisruptionBudget" &&
          r.props.metadata?.namespace === w.props.metadata?.namespace &&
          matches(r.props.spec?.selector, podLabels(w)),
      );
      if (!covered) report(`${describeResource(w.type, w.props, w.name)}: up to ${max} replicas and no PodDisruptionBudget selects its pods (R-WL-5)`, w.urn);
    }
  },
};

/** The alerts that stand for each golden signal and each R-PD-5 condition. */
export const REQUIRED_ALERTS: Array<{ what: string; alerts: string[]; severity?: string }> = [
  { what: "latency (golden signal)", alerts: ["HighLatencyP99", "HighLatencyP95"] },
  { what: "traffic (golden signal)", alerts: ["TrafficAnomaly"] },
  { what: "errors (golden signal)", alerts: ["HighErrorRate"] },
  { what: "saturation (golden signal)", alerts: ["CPUSaturation", "MemorySaturation"] },
  { what: "health-check failures > 3 in a row (R-PD-5)", alerts: ["SyntheticProbeFailing"], severity: "critical" },
  { what: "error rate > 5 % for 2 min (R-PD-5)", alerts: ["HighErrorRate"], severity: "critical" },
  { what: "p99 > 3000 ms for 5 min (R-PD-5)", alerts: ["HighLatencyP99"], severity: "critical" },
  { what: "memory > 90 % for 3 min (R-PD-5)", alerts: ["MemorySaturationSustained"], severity: "critical" },
  { what: "agent-spawn failures > 50 % for 2 min (R-PD-5)", alerts: ["AgentSpawnFailures"], severity: "critical" },
];

const alertRules = (all: PolicyResource[]) =>
  all
    .filter((r) => r.type === "kubernetes:monitoring.coreos.com/v1:PrometheusRule")
    .flatMap((r) => list(r.props.spec?.groups).flatMap((g) => list(g.rules).filter((x) => x.alert).map((rule) => ({ r, rule }))));

const goldenSignals: StackValidationPolicy = {
  name: "alerts-for-golden-signals",
  description: "R-CI-2, R-AL, R-PD-5: the stack declares a PrometheusRule with an alert for each golden signal (latency, traffic, errors, saturation) and a critical alert for each R-PD-5 condition.",
  remediationSteps: "Keep the catalogue of components/model/alerts (AlertRules declares it); do not disable these rules.",
  validateStack: (args, report) => {
    const rules = alertRules(args.resources);
    for (const need of REQUIRED_ALERTS) {
      const found = rules.some(({ rule }) => need.alerts.includes(rule.alert) && (!need.severity || rule.labels?.severity === need.severity));
      if (!found) report(`stack: no ${need.severity ? `${need.severity} ` : ""}alert for ${need.what} (expected ${need.alerts.join(" or ")}) in any PrometheusRule (R-CI-2)`);
    }
  },
};

const alertMetadata: StackValidationPolicy = {
  name: "alerts-carry-labels-and-runbooks",
  description: "R-AL-20: every alert carries severity, priority P0-P3 and service, a summary, a description and a runbook_url to a runbook in this repository.",
  remediationSteps: "Build alerts through AlertBuilder (components/model/alerts/common.ts) and add docs/runbooks/<Alert>.md.",
  validateStack: (args, report) => {
    for (const { r, rule } of alertRules(args.resources)) {
      const l = rule.labels ?? {};
      const a = rule.annotations ?? {};
      const problems: string[] = [];
      if (!["critical", "warning", "info"].includes(l.severity)) problems.push("no severity");
      if (!/^P[0-3]$/.test(String(l.priority))) problems.push("no priority P0-P3");
      // The label is static, or comes with the series: aggregated `by (…, service)` or read
      // from a recording rule named after its aggregation level (service:…, slo:…).
      if (!l.service && !/\b(service|slo):|\bby \([^)]*\bservice\b/.test(String(rule.expr))) problems.push("no service label");
      if (!a.summary) problems.push("no summary");
      if (!a.description) problems.push("no description");
      if (!new RegExp(`/docs/runbooks/${rule.alert}\\.md$`).test(String(a.runbook_url))) problems.push("no runbook_url to docs/runbooks");
      if (problems.length) report(`${describeResource(r.type, r.props, r.name)}: alert ${rule.alert}: ${problems.join("; ")} (R-AL-20)`, r.urn);
    }
  },
};

const pluginPinned: StackValidationPolicy = {
  name: "rollouts-plugin-pinned",
  description: "R-PD-2: the Argo Rollouts controller downloads its traffic-router plugins from a versioned release and verifies them by SHA-256.",
  remediationSteps: "Set delivery.gatewayPlugin.version and delivery.gatewayPlugin.sha256 (docs/delivery.md: how to read the checksum).",
  validateStack: (args, report) => {
    for (const rel of args.resources.filter((r) => r.type === "kubernetes:helm.sh/v3:Release" && r.props.chart === "argo-rollouts")) {
      for (const p of list(rel.props.values?.controller?.trafficRouterPlugins)) {
        const problems: string[] = [];
        if (!/^[a-f0-9]{64}$/.test(String(p.sha256)) || /^0+$/.test(String(p.sha256))) problems.push("no sha256 checksum");
        if (!/^https:\/\/.+\/releases\/download\/v\d+\.\d+\.\d+\//.test(String(p.location))) problems.push(`location ${p.location} is not a versioned release over https`);
        if (problems.length) report(`helm release ${rel.props.name ?? rel.name}: plugin ${p.name}: ${problems.join("; ")} (R-PD-2)`, rel.urn);
      }
    }
  },
};

/** Every policy of the pack, resource policies first. */
export const POLICIES: Array<ResourceValidationPolicy | StackValidationPolicy> = [
  resourcesAndProbes,
  podHardening,
  imagesPinned,
  prodImageDigests,
  noPlaintextSecrets,
  namespacePsa,
  noExternalServices,
  rdsSafety,
  prodRdsMultiAz,
  ecrRepository,
  statefulProtected,
  s3Buckets,
  prodReplicas,
  pdbs,
  goldenSignals,
  alertMetadata,
  pluginPinned,
];

export const PACK_NAME = "agent-platform";
