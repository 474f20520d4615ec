// R-CI-5: the corpus the policy pack is judged by: single-fault changes a later pull
// request could make to the prod graph, each theme in several shapes (another kind, a
// separate resource instead of an inline field, IPv6 as well as IPv4), and
// unusual-but-valid changes that must pass. pack-process.slow.test.ts runs it through the pack's own
// process and analyzer protocol; corpus-direct.test.ts through the direct calls (what
// mutation testing can see).
import { strict as assert } from "assert";
import type { RecordedResource } from "../../render/mockRuntime";

export type Graph = RecordedResource[];
export const NS = "agent-platform-prod";
export const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v));

/** A Kubernetes object as the provider records it. */
export const k8s = (type: string, name: string, body: Record<string, unknown>, namespace: string | undefined = NS): RecordedResource => {
  const inputs = { metadata: { name, ...(namespace ? { namespace } : {}) }, ...body };
  return { type: `kubernetes:${type}`, name: `corpus-${name}`, custom: true, inputs, outputs: clone(inputs), options: {} };
};
const aws = (type: string, name: string, inputs: Record<string, unknown>, protect = false): RecordedResource => ({
  type: `aws:${type}`,
  name: `corpus-${name}`,
  custom: true,
  inputs,
  outputs: clone(inputs),
  options: protect ? { protect: true } : {},
});

/** A change: the graph after it, and the resources it added or changed. */
export interface Change {
  graph: Graph;
  changed: Graph;
}
export const add = (g: Graph, ...rs: RecordedResource[]): Change => ({ graph: [...g, ...rs], changed: rs });
/** The graph with the one resource `pick` finds changed by `edit` (inputs and outputs alike). */
export function edit(g: Graph, pick: (r: RecordedResource) => boolean, change: (props: any) => void): Change {
  const found = g.filter(pick);
  assert.equal(found.length, 1, `the corpus edits exactly one resource (found ${found.map((r) => r.name)})`);
  const r = clone(found[0]);
  change(r.inputs);
  change(r.outputs);
  return { graph: g.map((x) => (x === found[0] ? r : x)), changed: [r] };
}
export const byType = (type: string, name?: string) => (r: RecordedResource) => r.type === type && (name === undefined || (r.inputs as any).metadata?.name === name || (r.inputs as any).name === name);
export const ROLLOUT = byType("kubernetes:argoproj.io/v1alpha1:Rollout", "agent-platform");
const KPS = byType("kubernetes:helm.sh/v3:Release", "kube-prometheus-stack");
/** A JSON policy document edited in place. */
const doc = (p: any, key: string, f: (d: any) => void) => {
  const d = JSON.parse(p[key]);
  f(d);
  p[key] = JSON.stringify(d);
};

export interface Fault {
  theme: string;
  what: string;
  policy: string;
  change: (g: Graph, pod: () => any) => Change;
}

export const FAULTS: Fault[] = [
  // Pod hardening on every kind, every field restricted forbids, container overrides.
  { theme: "pod hardening", what: "a bare Pod with a hostPort", policy: "pod-hardening", change: (g, pod) => add(g, k8s("core/v1:Pod", "debug", { spec: ((p) => ((p.containers[0].ports = [{ containerPort: 8080, hostPort: 8080 }]), p))(pod()) })) },
  { theme: "pod hardening", what: "a StatefulSet whose container sets runAsNonRoot false over the pod's true", policy: "pod-hardening", change: (g, pod) => add(g, k8s("apps/v1:StatefulSet", "cache", { spec: { replicas: 1, template: { spec: ((p) => ((p.containers[0].securityContext.runAsNonRoot = false), p))(pod()) } } })) },
  { theme: "pod hardening", what: "a DaemonSet on the host's network", policy: "pod-hardening", change: (g, pod) => add(g, k8s("apps/v1:DaemonSet", "agent", { spec: { template: { spec: { ...pod(), hostNetwork: true } } } })) },
  { theme: "pod hardening", what: "a CronJob with a privileged container", policy: "pod-hardening", change: (g, pod) => add(g, k8s("batch/v1:CronJob", "sweep", { spec: { schedule: "0 * * * *", jobTemplate: { spec: { template: { spec: ((p) => ((p.containers[0].securityContext.privileged = true), p))(pod()) } } } } })) },
  { theme: "pod hardening", what: "an AnalysisTemplate job metric with a writable root filesystem", policy: "pod-hardening", change: (g, pod) => add(g, k8s("argoproj.io/v1alpha1:AnalysisTemplate", "smoke", { spec: { metrics: [{ name: "smoke", provider: { job: { spec: { template: { spec: ((p) => ((p.containers[0].securityContext.readOnlyRootFilesystem = false), p))(pod()) } } } } }] } })) },
  { theme: "pod hardening", what: "a DeploymentPatch that makes a container privileged", policy: "pod-hardening", change: (g) => add(g, k8s("apps/v1:DeploymentPatch", "coredns", { spec: { template: { spec: { containers: [{ name: "coredns", securityContext: { privileged: true } }] } } } }, "kube-system")) },
  { theme: "pod hardening", what: "a Job whose container is seccomp Unconfined", policy: "pod-hardening", change: (g, pod) => add(g, k8s("batch/v1:Job", "once", { spec: { template: { spec: ((p) => ((p.containers[0].securityContext.seccompProfile = { type: "Unconfined" }), p))(pod()) } } })) },
  { theme: "pod hardening", what: "a Pod with an unsafe sysctl", policy: "pod-hardening", change: (g, pod) => add(g, k8s("core/v1:Pod", "tuned", { spec: ((p) => ((p.securityContext.sysctls = [{ name: "kernel.msgmax", value: "65536" }]), p))(pod()) })) },
  { theme: "pod hardening", what: "an Experiment whose template adds SYS_ADMIN", policy: "pod-hardening", change: (g, pod) => add(g, k8s("argoproj.io/v1alpha1:Experiment", "try", { spec: { templates: [{ name: "a", template: { spec: ((p) => ((p.containers[0].securityContext.capabilities = { drop: ["ALL"], add: ["SYS_ADMIN"] }), p))(pod()) } }] } })) },
  { theme: "pod hardening", what: "the Rollout's container allowing privilege escalation", policy: "pod-hardening", change: (g) => edit(g, ROLLOUT, (p) => (p.spec.template.spec.containers[0].securityContext.allowPrivilegeEscalation = true)) },
  { theme: "pod hardening", what: "a Pod with a hostPath volume", policy: "pod-hardening", change: (g, pod) => add(g, k8s("core/v1:Pod", "logs", { spec: { ...pod(), volumes: [{ name: "var", hostPath: { path: "/var/log" } }] } })) },
  // Availability by value.
  { theme: "availability", what: "the PodDisruptionBudget at maxUnavailable 0", policy: "pdb-allows-disruption", change: (g) => edit(g, byType("kubernetes:policy/v1:PodDisruptionBudget", "agent-platform"), (p) => (p.spec.maxUnavailable = 0)) },
  { theme: "availability", what: "the PodDisruptionBudget at minAvailable 100%", policy: "pdb-allows-disruption", change: (g) => edit(g, byType("kubernetes:policy/v1:PodDisruptionBudget", "agent-platform"), (p) => ((p.spec = { selector: p.spec.selector, minAvailable: "100%" }), p)) },
  { theme: "availability", what: "the PodDisruptionBudget at minAvailable 3 with the HPA's minimum at 3", policy: "pdb-allows-disruption", change: (g) => edit(g, byType("kubernetes:policy/v1:PodDisruptionBudget", "agent-platform"), (p) => ((p.spec = { selector: p.spec.selector, minAvailable: 3 }), p)) },
  { theme: "availability", what: "the canary at maxUnavailable 1", policy: "prod-max-unavailable-zero", change: (g) => edit(g, ROLLOUT, (p) => (p.spec.strategy.canary.maxUnavailable = 1)) },
  { theme: "availability", what: "the canary at maxUnavailable \"25%\"", policy: "prod-max-unavailable-zero", change: (g) => edit(g, ROLLOUT, (p) => (p.spec.strategy.canary.maxUnavailable = "25%")) },
  // Exposure and isolation.
  { theme: "exposure", what: "the Service as NodePort", policy: "no-external-services", change: (g) => edit(g, byType("kubernetes:core/v1:Service", "agent-platform"), (p) => (p.spec.type = "NodePort")) },
  { theme: "exposure", what: "a Service with externalIPs", policy: "no-external-services", change: (g) => add(g, k8s("core/v1:Service", "direct", { spec: { ports: [{ port: 80 }], externalIPs: ["203.0.113.10"] } })) },
  { theme: "exposure", what: "a LoadBalancer Service in another namespace", policy: "no-external-services", change: (g) => add(g, k8s("core/v1:Service", "grafana-lb", { spec: { type: "LoadBalancer", ports: [{ port: 80 }] } }, "monitoring")) },
  { theme: "exposure", what: "an Ingress without TLS", policy: "ingress-tls", change: (g) => add(g, k8s("networking.k8s.io/v1:Ingress", "web", { spec: { rules: [{ host: "agents.example.com", http: { paths: [] } }] } })) },
  { theme: "exposure", what: "an Ingress whose TLS covers another host", policy: "ingress-tls", change: (g) => add(g, k8s("networking.k8s.io/v1:Ingress", "web2", { spec: { tls: [{ hosts: ["a.example.com"], secretName: "a" }], rules: [{ host: "b.example.com" }] } })) },
  { theme: "exposure", what: "a NetworkPolicy allowing all ingress", policy: "network-policy-not-allow-all", change: (g) => add(g, k8s("networking.k8s.io/v1:NetworkPolicy", "open", { spec: { podSelector: {}, policyTypes: ["Ingress"], ingress: [{}] } })) },
  { theme: "exposure", what: "a NetworkPolicy allowing egress to ::/0 on every port", policy: "network-policy-not-allow-all", change: (g) => add(g, k8s("networking.k8s.io/v1:NetworkPolicy", "out", { spec: { podSelector: {}, policyTypes: ["Egress"], egress: [{ to: [{ ipBlock: { cidr: "::/0" } }] }] } })) },
  { theme: "exposure", what: "the platform namespace enforcing baseline without a reason", policy: "namespace-pod-security", change: (g) => edit(g, byType("kubernetes:core/v1:Namespace", NS), (p) => (p.metadata.labels["pod-security.kubernetes.io/enforce"] = "baseline")) },
  { theme: "exposure", what: "the monitoring namespace warning at privileged without a reason", policy: "namespace-pod-security", change: (g) => edit(g, byType("kubernetes:core/v1:Namespace", "monitoring"), (p) => (p.metadata.labels["pod-security.kubernetes.io/warn"] = "privileged")) },
  // Cluster access.
  { theme: "cluster access", what: "a ClusterRoleBinding to cluster-admin", policy: "no-cluster-admin-or-cluster-wide-secret-reads", change: (g) => add(g, k8s("rbac.authorization.k8s.io/v1:ClusterRoleBinding", "ops", { roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "cluster-admin" }, subjects: [{ kind: "Group", name: "ops" }] }, undefined)) },
  { theme: "cluster access", what: "a RoleBinding to the cluster-admin ClusterRole", policy: "no-cluster-admin-or-cluster-wide-secret-reads", change: (g) => add(g, k8s("rbac.authorization.k8s.io/v1:RoleBinding", "ops-ns", { roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "cluster-admin" }, subjects: [{ kind: "ServiceAccount", name: "x", namespace: NS }] })) },
  { theme: "cluster access", what: "a ClusterRole that lists Secrets", policy: "no-cluster-admin-or-cluster-wide-secret-reads", change: (g) => add(g, k8s("rbac.authorization.k8s.io/v1:ClusterRole", "reader", { rules: [{ apiGroups: [""], resources: ["configmaps", "secrets"], verbs: ["get", "list"] }] }, undefined)) },
  { theme: "cluster access", what: "a ClusterRole with every resource of the core group", policy: "no-cluster-admin-or-cluster-wide-secret-reads", change: (g) => add(g, k8s("rbac.authorization.k8s.io/v1:ClusterRole", "wide", { rules: [{ apiGroups: ["*"], resources: ["*"], verbs: ["watch"] }] }, undefined)) },
  // Secrets by value.
  { theme: "secrets", what: "a password in a ConfigMap's file content", policy: "no-plaintext-secrets", change: (g) => add(g, k8s("core/v1:ConfigMap", "settings", { data: { "settings.yaml": "database:\n  host: db\n  password: hunter2hunter2\n" } })) },
  { theme: "secrets", what: "a Slack webhook URL in a ConfigMap", policy: "no-plaintext-secrets", change: (g) => add(g, k8s("core/v1:ConfigMap", "notify", { data: { "notify.json": '{"url":"https://hooks.slack.com/services/T0000/B0000/XXXXXXXXXXXXXXXXXXXXXXXX"}' } })) },
  { theme: "secrets", what: "a JWT in a variable with an innocent name", policy: "no-plaintext-secrets", change: (g) => edit(g, ROLLOUT, (p) => p.spec.template.spec.containers[0].env.push({ name: "SIGNING", value: "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhZ2VudCJ9.c2lnbmF0dXJlLXNpZ25hdHVyZQ" })) },
  { theme: "secrets", what: "a connection URL with its password in a ConfigMap", policy: "no-plaintext-secrets", change: (g) => add(g, k8s("core/v1:ConfigMap", "db", { data: { url: "postgres://agent_app:s3cr3tpass@db.internal:5432/memory" } })) },
  { theme: "secrets", what: "Grafana's admin password in the release's values", policy: "no-plaintext-secrets", change: (g) => edit(g, KPS, (p) => (p.values.grafana.adminPassword = "correct-horse-battery")) },
  { theme: "secrets", what: "anonymous Grafana", policy: "grafana-no-anonymous-admin-from-secret", change: (g) => edit(g, KPS, (p) => (p.values.grafana["grafana.ini"]["auth.anonymous"] = { enabled: true })) },
  // AWS network path to data.
  { theme: "aws network", what: "the database's security group open to 0.0.0.0/0 on 5432 (inline)", policy: "no-world-open-data-or-ssh-ports", change: (g) => edit(g, byType("aws:ec2/securityGroup:SecurityGroup"), (p) => p.ingress.push({ protocol: "tcp", fromPort: 5432, toPort: 5432, cidrBlocks: ["0.0.0.0/0"] })) },
  { theme: "aws network", what: "SSH from ::/0 (inline, IPv6)", policy: "no-world-open-data-or-ssh-ports", change: (g) => edit(g, byType("aws:ec2/securityGroup:SecurityGroup"), (p) => p.ingress.push({ protocol: "tcp", fromPort: 22, toPort: 22, ipv6CidrBlocks: ["::/0"] })) },
  { theme: "aws network", what: "a SecurityGroupRule opening every TCP port to 0.0.0.0/0", policy: "no-world-open-data-or-ssh-ports", change: (g) => add(g, aws("ec2/securityGroupRule:SecurityGroupRule", "all-tcp", { type: "ingress", securityGroupId: "sg-1", protocol: "tcp", fromPort: 0, toPort: 65535, cidrBlocks: ["0.0.0.0/0"] })) },
  { theme: "aws network", what: "a vpc.SecurityGroupIngressRule for all protocols from ::/0", policy: "no-world-open-data-or-ssh-ports", change: (g) => add(g, aws("vpc/securityGroupIngressRule:SecurityGroupIngressRule", "all-v6", { securityGroupId: "sg-1", ipProtocol: "-1", cidrIpv6: "::/0" })) },
  { theme: "aws network", what: "an Aurora cluster unencrypted, without deletion protection", policy: "rds-encrypted-backed-up-private", change: (g) => add(g, aws("rds/cluster:Cluster", "aurora", { engine: "aurora-postgresql", storageEncrypted: false, backupRetentionPeriod: 30, deletionProtection: false }, true)) },
  { theme: "aws network", what: "a public Aurora instance", policy: "rds-encrypted-backed-up-private", change: (g) => add(g, aws("rds/clusterInstance:ClusterInstance", "aurora-1", { clusterIdentifier: "aurora", instanceClass: "db.r6g.large", publiclyAccessible: true })) },
  { theme: "aws network", what: "an Aurora cluster not protected", policy: "stateful-resources-protected", change: (g) => add(g, aws("rds/cluster:Cluster", "aurora-2", { engine: "aurora-postgresql", storageEncrypted: true, kmsKeyId: "k", backupRetentionPeriod: 30, deletionProtection: true })) },
  // S3 beyond the public-access block.
  { theme: "s3", what: "a public-read BucketAcl", policy: "s3-no-public-acl-or-policy", change: (g) => add(g, aws("s3/bucketAcl:BucketAcl", "acl", { bucket: "agent-platform-prod-backups-0a1b2c3", acl: "public-read" })) },
  { theme: "s3", what: "an ACL grant to AllUsers", policy: "s3-no-public-acl-or-policy", change: (g) => add(g, aws("s3/bucketAcl:BucketAcl", "grant", { bucket: "agent-platform-prod-backups-0a1b2c3", accessControlPolicy: { owner: { id: "o" }, grants: [{ permission: "READ", grantee: { type: "Group", uri: "http://acs.amazonaws.com/groups/global/AllUsers" } }] } })) },
  { theme: "s3", what: "the bucket policy allowing GetObject to \"*\"", policy: "s3-no-public-acl-or-policy", change: (g) => edit(g, (r) => r.type === "aws:s3/bucketPolicy:BucketPolicy" && (r.inputs as any).bucket === "agent-platform-prod-backups-0a1b2c3", (p) => doc(p, "policy", (d) => d.Statement.push({ Sid: "Share", Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: "arn:aws:s3:::agent-platform-prod-backups-0a1b2c3/*" }))) },
  { theme: "s3", what: "a bucket policy allowing {AWS: \"*\"}", policy: "s3-no-public-acl-or-policy", change: (g) => add(g, aws("s3/bucketPolicy:BucketPolicy", "share", { bucket: "x", policy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { AWS: ["*"] }, Action: "s3:ListBucket", Resource: "arn:aws:s3:::x" }] }) })) },
  // IAM and KMS.
  { theme: "iam", what: "an inline policy allowing every action", policy: "iam-least-privilege", change: (g) => edit(g, (r) => r.type === "aws:iam/rolePolicy:RolePolicy" && /-export$/.test(r.name), (p) => doc(p, "policy", (d) => d.Statement.push({ Effect: "Allow", Action: "*", Resource: "arn:aws:s3:::x" }))) },
  { theme: "iam", what: "s3:* on the bucket", policy: "iam-least-privilege", change: (g) => edit(g, (r) => r.type === "aws:iam/rolePolicy:RolePolicy" && /-restore$/.test(r.name), (p) => doc(p, "policy", (d) => (d.Statement[0].Action = "s3:*"))) },
  { theme: "iam", what: "GetSecretValue on every resource (a standalone policy)", policy: "iam-least-privilege", change: (g) => add(g, aws("iam/policy:Policy", "reader", { policy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: ["secretsmanager:GetSecretValue"], Resource: "*" }] }) })) },
  { theme: "iam", what: "AdministratorAccess attached", policy: "iam-least-privilege", change: (g) => add(g, aws("iam/rolePolicyAttachment:RolePolicyAttachment", "admin", { role: "r", policyArn: "arn:aws:iam::aws:policy/AdministratorAccess" })) },
  { theme: "iam", what: "PowerUserAccess in a role's managedPolicyArns", policy: "iam-least-privilege", change: (g) => add(g, aws("iam/role:Role", "power", { assumeRolePolicy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }] }), managedPolicyArns: ["arn:aws:iam::aws:policy/PowerUserAccess"] })) },
  { theme: "iam", what: "the export role's IRSA trust without its sub condition", policy: "iam-least-privilege", change: (g) => edit(g, (r) => r.type === "aws:iam/role:Role" && /-export$/.test(r.name), (p) => doc(p, "assumeRolePolicy", (d) => { const c = d.Statement[0].Condition.StringEquals; for (const k of Object.keys(c)) if (k.endsWith(":sub")) delete c[k]; })) },
  { theme: "iam", what: "a trust policy trusting \"*\"", policy: "iam-least-privilege", change: (g) => add(g, aws("iam/role:Role", "anyone", { assumeRolePolicy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { AWS: "*" }, Action: "sts:AssumeRole" }] }) })) },
  { theme: "iam", what: "the data key without rotation", policy: "kms-keys-rotate", change: (g) => edit(g, (r) => r.type === "aws:kms/key:Key" && r.name === "data-key-key", (p) => (p.enableKeyRotation = false)) },
  { theme: "iam", what: "the uptime alarm's topic without its key", policy: "sns-topics-encrypted-cmk", change: (g) => edit(g, byType("aws:sns/topic:Topic"), (p) => delete p.kmsMasterKeyId) },
  { theme: "iam", what: "a topic under the AWS-managed aws/sns key", policy: "sns-topics-encrypted-cmk", change: (g) => add(g, aws("sns/topic:Topic", "events", { name: "agent-platform-prod-events", kmsMasterKeyId: "alias/aws/sns" })) },
  // Supply chain.
  { theme: "supply chain", what: "kube-prometheus-stack without a chart version", policy: "helm-charts-pinned", change: (g) => edit(g, KPS, (p) => delete p.version) },
  { theme: "supply chain", what: "a chart version range", policy: "helm-charts-pinned", change: (g) => edit(g, KPS, (p) => (p.version = "^79.5.0")) },
  { theme: "supply chain", what: "the platform image from another registry, even pinned", policy: "prod-image-registry", change: (g) => edit(g, ROLLOUT, (p) => (p.spec.template.spec.containers[0].image = `ghcr.io/acme/agent-platform@sha256:${"a".repeat(64)}`)) },
  { theme: "supply chain", what: "a Job image outside the declared repositories", policy: "prod-image-registry", change: (g, pod) => add(g, k8s("batch/v1:Job", "tool", { spec: { template: { spec: ((p) => ((p.containers[0].image = `busybox@sha256:${"b".repeat(64)}`), p))(pod()) } } })) },
];

export interface Valid {
  what: string;
  change: (g: Graph, pod: () => any) => Change;
}

export const VALID: Valid[] = [
  { what: "a digest-only image from the declared repository", change: (g) => edit(g, ROLLOUT, (p) => (p.spec.template.spec.containers[0].image = `123456789012.dkr.ecr.eu-west-1.amazonaws.com/agent-platform@sha256:${"c".repeat(64)}`)) },
  {
    what: "a second bucket configured by separate resources (versioning, SSE-KMS, public-access block, TLS-only policy), protected",
    change: (g) => {
      const b = "agent-platform-prod-extra-0a1b2c3";
      return add(
        g,
        aws("s3/bucket:Bucket", "extra", { bucket: b, forceDestroy: false }, true),
        aws("s3/bucketVersioning:BucketVersioning", "extra-v", { bucket: b, versioningConfiguration: { status: "Enabled" } }),
        aws("s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", "extra-sse", { bucket: b, rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: "k" } }] }),
        aws("s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "extra-pab", { bucket: b, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true }),
        aws("s3/bucketPolicy:BucketPolicy", "extra-policy", { bucket: b, policy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Deny", Principal: "*", Action: "s3:*", Resource: [`arn:aws:s3:::${b}`, `arn:aws:s3:::${b}/*`], Condition: { Bool: { "aws:SecureTransport": "false" } } }] }) }),
      );
    },
  },
  { what: "a privileged namespace that states why", change: (g) => add(g, k8s("core/v1:Namespace", "csi", { metadata: { name: "csi", labels: { "pod-security.kubernetes.io/enforce": "privileged", "pod-security.kubernetes.io/audit": "privileged", "pod-security.kubernetes.io/warn": "privileged" }, annotations: { "agent-platform/pod-security-reason": "the CSI node plugin mounts host paths" } } }, undefined)) },
  { what: "a PodDisruptionBudget as a percentage (maxUnavailable 25%)", change: (g) => edit(g, byType("kubernetes:policy/v1:PodDisruptionBudget", "agent-platform"), (p) => (p.spec.maxUnavailable = "25%")) },
  { what: "a PodDisruptionBudget at minAvailable 50%", change: (g) => edit(g, byType("kubernetes:policy/v1:PodDisruptionBudget", "agent-platform"), (p) => ((p.spec = { selector: p.spec.selector, minAvailable: "50%" }), p)) },
  { what: "a PodDisruptionBudget at minAvailable 2 with the HPA's minimum at 3", change: (g) => edit(g, byType("kubernetes:policy/v1:PodDisruptionBudget", "agent-platform"), (p) => ((p.spec = { selector: p.spec.selector, minAvailable: 2 }), p)) },
  { what: "the HPA-managed Rollout without replicas, canary maxUnavailable \"0%\"", change: (g) => edit(g, ROLLOUT, (p) => { delete p.spec.replicas; p.spec.strategy.canary.maxUnavailable = "0%"; }) },
  { what: "runAsNonRoot set on every container instead of the pod", change: (g) => edit(g, ROLLOUT, (p) => { const s = p.spec.template.spec; delete s.securityContext.runAsNonRoot; for (const c of [...(s.initContainers ?? []), ...s.containers]) c.securityContext.runAsNonRoot = true; }) },
  { what: "a Localhost seccomp profile on the container", change: (g) => edit(g, ROLLOUT, (p) => (p.spec.template.spec.containers[0].securityContext.seccompProfile = { type: "Localhost", localhostProfile: "profiles/api.json" })) },
  { what: "egress to the internet but the private ranges, on 8443 only", change: (g) => add(g, k8s("networking.k8s.io/v1:NetworkPolicy", "partner", { spec: { podSelector: {}, policyTypes: ["Egress"], egress: [{ to: [{ ipBlock: { cidr: "0.0.0.0/0", except: ["10.0.0.0/8"] } }], ports: [{ protocol: "TCP", port: 8443 }] }] } })) },
  { what: "ingress from every namespace, on one port", change: (g) => add(g, k8s("networking.k8s.io/v1:NetworkPolicy", "metrics", { spec: { podSelector: {}, policyTypes: ["Ingress"], ingress: [{ from: [{ namespaceSelector: {} }], ports: [{ protocol: "TCP", port: 9090 }] }] } })) },
  { what: "a headless ClusterIP Service", change: (g) => add(g, k8s("core/v1:Service", "peers", { spec: { clusterIP: "None", ports: [{ port: 7946 }] } })) },
  { what: "an Ingress with TLS for every host", change: (g) => add(g, k8s("networking.k8s.io/v1:Ingress", "tls", { spec: { tls: [{ hosts: ["a.example.com", "b.example.com"], secretName: "t" }], rules: [{ host: "a.example.com" }, { host: "b.example.com" }] } })) },
  { what: "a ClusterRole that reads ConfigMaps (not Secrets) cluster-wide, bound to view in one namespace", change: (g) => add(g, k8s("rbac.authorization.k8s.io/v1:ClusterRole", "dashboards", { rules: [{ apiGroups: [""], resources: ["configmaps"], verbs: ["get", "list", "watch"] }] }, undefined), k8s("rbac.authorization.k8s.io/v1:RoleBinding", "viewers", { roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "view" }, subjects: [{ kind: "Group", name: "devs" }] })) },
  { what: "HTTPS (443) open to the world and 5432 from a private range", change: (g) => edit(g, byType("aws:ec2/securityGroup:SecurityGroup"), (p) => p.ingress.push({ protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["0.0.0.0/0"], ipv6CidrBlocks: ["::/0"] }, { protocol: "tcp", fromPort: 5432, toPort: 5432, cidrBlocks: ["10.0.0.0/8"] })) },
  { what: "a read-only Describe on every resource", change: (g) => add(g, aws("iam/policy:Policy", "describe", { policy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: ["ec2:DescribeInstances", "rds:DescribeDBClusters"], Resource: "*" }] }) })) },
  { what: "an IRSA trust on a StringLike sub of one namespace", change: (g) => edit(g, (r) => r.type === "aws:iam/role:Role" && /-export$/.test(r.name), (p) => doc(p, "assumeRolePolicy", (d) => { const c = d.Statement[0].Condition; const sub = Object.keys(c.StringEquals).find((k) => k.endsWith(":sub"))!; c.StringLike = { [sub]: `system:serviceaccount:${NS}:*` }; delete c.StringEquals[sub]; })) },
  { what: "a bucket policy allowing \"*\" only within the organisation", change: (g) => add(g, aws("s3/bucketPolicy:BucketPolicy", "org", { bucket: "x", policy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: "arn:aws:s3:::x/*", Condition: { StringEquals: { "aws:PrincipalOrgID": "o-abc123" } } }] }) })) },
  { what: "an asymmetric signing key (no rotation exists for it), protected", change: (g) => add(g, aws("kms/key:Key", "signing", { keySpec: "RSA_2048", keyUsage: "SIGN_VERIFY" }, true)) },
  { what: "a chart pinned as v-prefixed exact version", change: (g) => edit(g, KPS, (p) => (p.version = "v79.5.0")) },
  { what: "a ConfigMap that points at password files and placeholders", change: (g) => add(g, k8s("core/v1:ConfigMap", "refs", { data: { "app.yaml": "database:\n  password_file: /run/secrets/db\n  password: ${DB_PASSWORD}\n  token: \"\"\n", DB_PASSWORD_FILE: "/run/secrets/db" } })) },
  { what: "a DeploymentPatch that changes only replicas and a digest-pinned image", change: (g) => add(g, k8s("apps/v1:DeploymentPatch", "coredns", { spec: { replicas: 3, template: { spec: { containers: [{ name: "coredns", image: `123456789012.dkr.ecr.eu-west-1.amazonaws.com/agent-platform@sha256:${"d".repeat(64)}` }] } } } }, "kube-system")) },
  { what: "an AnalysisTemplate with Prometheus metrics only", change: (g) => add(g, k8s("argoproj.io/v1alpha1:AnalysisTemplate", "prom-only", { spec: { metrics: [{ name: "m", provider: { prometheus: { query: "vector(1)" } } }] } })) },
];

/** The pod of prod's Rollout: a hardened pod to build new kinds from. */
export const hardenedPodOf = (prod: Graph) => clone((prod.find(ROLLOUT)!.inputs as any).spec.template.spec);
