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

/** A Kubernetes object as the provider records it; `null` for a cluster-scoped one (`undefined` would take the default). */
export const k8s = (type: string, name: string, body: Record<string, unknown>, namespace: string | null = NS): RecordedResource => {
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
  /** Every new violation the fault raises, as "policy: message", whole. */
  says: string[];
  change: (g: Graph, pod: () => any) => Change;
}

/** A copy of the hardened pod with `f` applied. */
const podWith = (pod: () => any, f: (p: any) => void) => {
  const p = pod();
  f(p);
  return p;
};
/** A one-replica Deployment in the platform namespace with the hardened pod and the given strategy. */
const deployment = (name: string, pod: () => any, strategy?: Record<string, unknown>) =>
  k8s("apps/v1:Deployment", name, { spec: { replicas: 1, selector: { matchLabels: { app: name } }, ...(strategy ? { strategy } : {}), template: { metadata: { labels: { app: name } }, spec: pod() } } });

export const FAULTS: Fault[] = [
  // Pod hardening on every kind, every field restricted forbids, container overrides.
  { theme: "pod hardening", what: "a bare Pod with two hostPorts", policy: "pod-hardening",
    says: [
      "pod-hardening: Pod agent-platform-prod/debug: api: hostPort 8080, 8443 (R-WL-3)",
    ],
    change: (g, pod) => add(g, k8s("core/v1:Pod", "debug", { spec: ((p) => ((p.containers[0].ports = [{ containerPort: 8080, hostPort: 8080 }, { containerPort: 8443, hostPort: 8443 }]), p))(pod()) })) },
  { theme: "pod hardening", what: "a StatefulSet whose container sets runAsNonRoot false over the pod's true", policy: "pod-hardening",
    says: [
      "pod-hardening: StatefulSet agent-platform-prod/cache: api: runAsNonRoot is false, overriding the pod (R-WL-3)",
    ],
    change: (g, pod) => add(g, k8s("apps/v1:StatefulSet", "cache", { spec: { replicas: 1, template: { spec: ((p) => ((p.containers[0].securityContext.runAsNonRoot = false), p))(pod()) } } })) },
  { theme: "pod hardening", what: "a DaemonSet on the host's network", policy: "pod-hardening",
    says: [
      "pod-hardening: DaemonSet agent-platform-prod/agent: hostNetwork is on (R-WL-3)",
    ],
    change: (g, pod) => add(g, k8s("apps/v1:DaemonSet", "agent", { spec: { template: { spec: { ...pod(), hostNetwork: true } } } })) },
  { theme: "pod hardening", what: "a CronJob with a privileged container", policy: "pod-hardening",
    says: [
      "pod-hardening: CronJob agent-platform-prod/sweep: api: privileged (R-WL-3)",
    ],
    change: (g, pod) => add(g, k8s("batch/v1:CronJob", "sweep", { spec: { schedule: "0 * * * *", jobTemplate: { spec: { template: { spec: ((p) => ((p.containers[0].securityContext.privileged = true), p))(pod()) } } } } })) },
  { theme: "pod hardening", what: "an AnalysisTemplate job metric with a writable root filesystem", policy: "pod-hardening",
    says: [
      "pod-hardening: AnalysisTemplate agent-platform-prod/smoke: api: readOnlyRootFilesystem is not true (R-WL-3)",
    ],
    change: (g, pod) => add(g, k8s("argoproj.io/v1alpha1:AnalysisTemplate", "smoke", { spec: { metrics: [{ name: "smoke", provider: { job: { spec: { template: { spec: ((p) => ((p.containers[0].securityContext.readOnlyRootFilesystem = false), p))(pod()) } } } } }] } })) },
  { theme: "pod hardening", what: "a DeploymentPatch that makes a container privileged", policy: "pod-hardening",
    says: [
      "pod-hardening: DeploymentPatch kube-system/coredns: coredns: privileged (R-WL-3)",
    ],
    change: (g) => add(g, k8s("apps/v1:DeploymentPatch", "coredns", { spec: { template: { spec: { containers: [{ name: "coredns", securityContext: { privileged: true } }] } } } }, "kube-system")) },
  { theme: "pod hardening", what: "a Job whose container is seccomp Unconfined", policy: "pod-hardening",
    says: [
      "pod-hardening: Job agent-platform-prod/once: api: seccompProfile is Unconfined (R-WL-3)",
    ],
    change: (g, pod) => add(g, k8s("batch/v1:Job", "once", { spec: { template: { spec: ((p) => ((p.containers[0].securityContext.seccompProfile = { type: "Unconfined" }), p))(pod()) } } })) },
  { theme: "pod hardening", what: "a Pod with two unsafe sysctls beside a safe one", policy: "pod-hardening",
    says: [
      "pod-hardening: Pod agent-platform-prod/tuned: pod sets sysctls kernel.msgmax, kernel.shmmax, which restricted forbids (R-WL-3)",
    ],
    change: (g, pod) => add(g, k8s("core/v1:Pod", "tuned", { spec: ((p) => ((p.securityContext.sysctls = [{ name: "net.ipv4.tcp_syncookies", value: "1" }, { name: "kernel.msgmax", value: "65536" }, { name: "kernel.shmmax", value: "68719476736" }]), p))(pod()) })) },
  { theme: "pod hardening", what: "an Experiment whose template adds SYS_ADMIN", policy: "pod-hardening",
    says: [
      "pod-hardening: Experiment agent-platform-prod/try: api: adds capabilities SYS_ADMIN (R-WL-3)",
    ],
    change: (g, pod) => add(g, k8s("argoproj.io/v1alpha1:Experiment", "try", { spec: { templates: [{ name: "a", template: { spec: ((p) => ((p.containers[0].securityContext.capabilities = { drop: ["ALL"], add: ["SYS_ADMIN"] }), p))(pod()) } }] } })) },
  { theme: "pod hardening", what: "the Rollout's container allowing privilege escalation", policy: "pod-hardening",
    says: [
      "pod-hardening: Rollout agent-platform-prod/agent-platform: api: allowPrivilegeEscalation is not false (R-WL-3)",
    ],
    change: (g) => edit(g, ROLLOUT, (p) => (p.spec.template.spec.containers[0].securityContext.allowPrivilegeEscalation = true)) },
  { theme: "pod hardening", what: "a Pod with a hostPath volume", policy: "pod-hardening",
    says: [
      "pod-hardening: Pod agent-platform-prod/logs: a hostPath volume is mounted (R-WL-3)",
    ],
    change: (g, pod) => add(g, k8s("core/v1:Pod", "logs", { spec: { ...pod(), volumes: [{ name: "var", hostPath: { path: "/var/log" } }] } })) },
  { theme: "pod hardening", what: "a Pod running as root at the pod level (runAsUser 0)", policy: "pod-hardening",
    says: [
      "pod-hardening: Pod agent-platform-prod/root: pod securityContext.runAsUser is 0 (R-WL-3)",
    ],
    change: (g, pod) => add(g, k8s("core/v1:Pod", "root", { spec: podWith(pod, (p) => (p.securityContext.runAsUser = 0)) })) },
  { theme: "pod hardening", what: "a Pod whose pod-level seccomp is Unconfined, its container stating none", policy: "pod-hardening",
    says: [
      "pod-hardening: Pod agent-platform-prod/unconfined: pod seccompProfile is Unconfined (R-WL-3)",
    ],
    change: (g, pod) => add(g, k8s("core/v1:Pod", "unconfined", { spec: podWith(pod, (p) => { p.securityContext.seccompProfile = { type: "Unconfined" }; delete p.containers[0].securityContext.seccompProfile; }) })) },
  { theme: "pod hardening", what: "a Pod with AppArmor Unconfined for the pod and its container", policy: "pod-hardening",
    says: [
      "pod-hardening: Pod agent-platform-prod/apparmor: pod appArmorProfile is Unconfined; api: appArmorProfile is Unconfined (R-WL-3)",
    ],
    change: (g, pod) => add(g, k8s("core/v1:Pod", "apparmor", { spec: podWith(pod, (p) => { p.securityContext.appArmorProfile = { type: "Unconfined" }; p.containers[0].securityContext.appArmorProfile = { type: "Unconfined" }; }) })) },
  { theme: "pod hardening", what: "a Pod with the SELinux type spc_t, and a container with an SELinux role", policy: "pod-hardening",
    says: [
      "pod-hardening: Pod agent-platform-prod/selinux: pod seLinuxOptions go beyond the container types; api: seLinuxOptions go beyond the container types (R-WL-3)",
    ],
    change: (g, pod) => add(g, k8s("core/v1:Pod", "selinux", { spec: podWith(pod, (p) => { p.securityContext.seLinuxOptions = { type: "spc_t" }; p.containers[0].securityContext.seLinuxOptions = { role: "sysadm_r" }; }) })) },
  { theme: "pod hardening", what: "a container with an SELinux user", policy: "pod-hardening",
    says: [
      "pod-hardening: Pod agent-platform-prod/selinux-user: api: seLinuxOptions go beyond the container types (R-WL-3)",
    ],
    change: (g, pod) => add(g, k8s("core/v1:Pod", "selinux-user", { spec: podWith(pod, (p) => (p.containers[0].securityContext.seLinuxOptions = { type: "container_t", user: "system_u" })) })) },
  { theme: "pod hardening", what: "a Windows HostProcess pod and container", policy: "pod-hardening",
    says: [
      "pod-hardening: Pod agent-platform-prod/windows: pod windowsOptions.hostProcess is on; api: windowsOptions.hostProcess is on (R-WL-3)",
    ],
    change: (g, pod) => add(g, k8s("core/v1:Pod", "windows", { spec: podWith(pod, (p) => { p.securityContext.windowsOptions = { hostProcess: true }; p.containers[0].securityContext.windowsOptions = { hostProcess: true }; }) })) },
  { theme: "pod hardening", what: "a container with procMount Unmasked", policy: "pod-hardening",
    says: [
      "pod-hardening: Pod agent-platform-prod/proc: api: procMount Unmasked (R-WL-3)",
    ],
    change: (g, pod) => add(g, k8s("core/v1:Pod", "proc", { spec: podWith(pod, (p) => (p.containers[0].securityContext.procMount = "Unmasked")) })) },
  { theme: "pod hardening", what: "a Pod with an NFS volume", policy: "pod-hardening",
    says: [
      "pod-hardening: Pod agent-platform-prod/nfs: volume share: nfs is not a volume type restricted allows (R-WL-3)",
    ],
    change: (g, pod) => add(g, k8s("core/v1:Pod", "nfs", { spec: podWith(pod, (p) => p.volumes.push({ name: "share", nfs: { server: "10.0.0.5", path: "/exports" } })) })) },
  { theme: "pod hardening", what: "a Pod at runAsNonRoot false", policy: "pod-hardening",
    says: [
      "pod-hardening: Pod agent-platform-prod/maybe-root: pod securityContext.runAsNonRoot is false (R-WL-3)",
    ],
    change: (g, pod) => add(g, k8s("core/v1:Pod", "maybe-root", { spec: podWith(pod, (p) => (p.securityContext.runAsNonRoot = false)) })) },
  { theme: "pod hardening", what: "a Pod that states runAsNonRoot nowhere", policy: "pod-hardening",
    says: [
      "pod-hardening: Pod agent-platform-prod/unstated: pod securityContext.runAsNonRoot is not true (R-WL-3)",
    ],
    change: (g, pod) => add(g, k8s("core/v1:Pod", "unstated", { spec: podWith(pod, (p) => { delete p.securityContext.runAsNonRoot; delete p.containers[0].securityContext.runAsNonRoot; }) })) },
  { theme: "pod hardening", what: "a ReplicaSet whose container runs as root", policy: "pod-hardening",
    says: [
      "pod-hardening: ReplicaSet agent-platform-prod/rs: api: runAsUser 0 (R-WL-3)",
    ],
    change: (g, pod) => add(g, k8s("apps/v1:ReplicaSet", "rs", { spec: { replicas: 1, template: { spec: podWith(pod, (p) => (p.containers[0].securityContext.runAsUser = 0)) } } })) },
  { theme: "pod hardening", what: "a ReplicationController with no seccomp profile anywhere", policy: "pod-hardening",
    says: [
      "pod-hardening: ReplicationController agent-platform-prod/rc: api: seccompProfile is not RuntimeDefault (R-WL-3)",
    ],
    change: (g, pod) => add(g, k8s("core/v1:ReplicationController", "rc", { spec: { replicas: 1, template: { spec: podWith(pod, (p) => { delete p.securityContext.seccompProfile; delete p.containers[0].securityContext.seccompProfile; }) } } })) },
  { theme: "pod hardening", what: "a PodTemplate whose container keeps its capabilities", policy: "pod-hardening",
    says: [
      "pod-hardening: PodTemplate agent-platform-prod/tpl: api: capabilities.drop does not include ALL (R-WL-3)",
    ],
    change: (g, pod) => add(g, k8s("core/v1:PodTemplate", "tpl", { template: { spec: podWith(pod, (p) => delete p.containers[0].securityContext.capabilities) } })) },
  { theme: "pod hardening", what: "a ClusterAnalysisTemplate job with a service-account token and no reason", policy: "pod-hardening",
    says: [
      "pod-hardening: ClusterAnalysisTemplate shared: automountServiceAccountToken is not false (a pod that needs the API states why in the annotation agent-platform/service-account-token-reason) (R-WL-3)",
    ],
    change: (g, pod) => add(g, k8s("argoproj.io/v1alpha1:ClusterAnalysisTemplate", "shared", { spec: { metrics: [{ name: "m", provider: { job: { spec: { template: { spec: podWith(pod, (p) => delete p.automountServiceAccountToken) } } } } }] } }, null)) },
  { theme: "pod hardening", what: "an AnalysisRun job in the host's PID namespace", policy: "pod-hardening",
    says: [
      "pod-hardening: AnalysisRun agent-platform-prod/run: hostPID is on (R-WL-3)",
    ],
    change: (g, pod) => add(g, k8s("argoproj.io/v1alpha1:AnalysisRun", "run", { spec: { metrics: [{ name: "m", provider: { job: { spec: { template: { spec: podWith(pod, (p) => (p.hostPID = true)) } } } } }] } })) },
  { theme: "pod hardening", what: "the second of two job metrics sharing the host's IPC namespace", policy: "pod-hardening",
    says: [
      "pod-hardening: AnalysisTemplate agent-platform-prod/two, pod 2: hostIPC is on (R-WL-3)",
    ],
    change: (g, pod) => add(g, k8s("argoproj.io/v1alpha1:AnalysisTemplate", "two", { spec: { metrics: [{ name: "a", provider: { job: { spec: { template: { spec: pod() } } } } }, { name: "b", provider: { job: { spec: { template: { spec: podWith(pod, (p) => (p.hostIPC = true)) } } } } }] } })) },
  { theme: "pod hardening", what: "a StatefulSetPatch that allows escalation, makes the root filesystem writable and drops no capability", policy: "pod-hardening",
    says: [
      "pod-hardening: StatefulSetPatch agent-platform-prod/db: db: allowPrivilegeEscalation is not false; db: readOnlyRootFilesystem is not true; db: capabilities.drop does not include ALL (R-WL-3)",
    ],
    change: (g) => add(g, k8s("apps/v1:StatefulSetPatch", "db", { spec: { template: { spec: { containers: [{ name: "db", securityContext: { allowPrivilegeEscalation: true, readOnlyRootFilesystem: false, capabilities: { drop: [] } } }] } } } })) },
  // Availability by value.
  { theme: "availability", what: "the PodDisruptionBudget at maxUnavailable 0", policy: "pdb-allows-disruption",
    says: [
      "pdb-allows-disruption: PodDisruptionBudget agent-platform-prod/agent-platform: maxUnavailable 0 lets no pod go; node drains hang (R-WL-5)",
    ],
    change: (g) => edit(g, byType("kubernetes:policy/v1:PodDisruptionBudget", "agent-platform"), (p) => (p.spec.maxUnavailable = 0)) },
  { theme: "availability", what: "the PodDisruptionBudget at minAvailable 100%", policy: "pdb-allows-disruption",
    says: [
      "pdb-allows-disruption: PodDisruptionBudget agent-platform-prod/agent-platform: minAvailable 100% lets no pod go; node drains hang (R-WL-5)",
    ],
    change: (g) => edit(g, byType("kubernetes:policy/v1:PodDisruptionBudget", "agent-platform"), (p) => ((p.spec = { selector: p.spec.selector, minAvailable: "100%" }), p)) },
  { theme: "availability", what: "the PodDisruptionBudget at minAvailable 3 with the HPA's minimum at 3", policy: "pdb-allows-disruption",
    says: [
      "pdb-allows-disruption: PodDisruptionBudget agent-platform-prod/agent-platform: minAvailable 3 with Rollout agent-platform-prod/agent-platform at 3 replica(s) lets no pod go; node drains hang (R-WL-5)",
    ],
    change: (g) => edit(g, byType("kubernetes:policy/v1:PodDisruptionBudget", "agent-platform"), (p) => ((p.spec = { selector: p.spec.selector, minAvailable: 3 }), p)) },
  { theme: "availability", what: "the canary at maxUnavailable 1", policy: "prod-max-unavailable-zero",
    says: [
      "prod-max-unavailable-zero: Rollout agent-platform-prod/agent-platform: maxUnavailable 1 takes pods away before their replacements are ready; set 0 (R-WL-5)",
    ],
    change: (g) => edit(g, ROLLOUT, (p) => (p.spec.strategy.canary.maxUnavailable = 1)) },
  { theme: "availability", what: "the canary at maxUnavailable \"25%\"", policy: "prod-max-unavailable-zero",
    says: [
      "prod-max-unavailable-zero: Rollout agent-platform-prod/agent-platform: maxUnavailable 25% takes pods away before their replacements are ready; set 0 (R-WL-5)",
    ],
    change: (g) => edit(g, ROLLOUT, (p) => (p.spec.strategy.canary.maxUnavailable = "25%")) },
  { theme: "availability", what: "the PodDisruptionBudget at maxUnavailable \"0%\"", policy: "pdb-allows-disruption",
    says: [
      "pdb-allows-disruption: PodDisruptionBudget agent-platform-prod/agent-platform: maxUnavailable 0% lets no pod go; node drains hang (R-WL-5)",
    ],
    change: (g) => edit(g, byType("kubernetes:policy/v1:PodDisruptionBudget", "agent-platform"), (p) => (p.spec.maxUnavailable = "0%")) },
  { theme: "availability", what: "the PodDisruptionBudget at minAvailable 90% with the HPA's minimum at 3 (rounded up: 3)", policy: "pdb-allows-disruption",
    says: [
      "pdb-allows-disruption: PodDisruptionBudget agent-platform-prod/agent-platform: minAvailable 90% with Rollout agent-platform-prod/agent-platform at 3 replica(s) lets no pod go; node drains hang (R-WL-5)",
    ],
    change: (g) => edit(g, byType("kubernetes:policy/v1:PodDisruptionBudget", "agent-platform"), (p) => ((p.spec = { selector: p.spec.selector, minAvailable: "90%" }), p)) },
  { theme: "availability", what: "the canary without maxUnavailable (Argo's default, 25 %)", policy: "prod-max-unavailable-zero",
    says: [
      "prod-max-unavailable-zero: Rollout agent-platform-prod/agent-platform: maxUnavailable 25% (the default) takes pods away before their replacements are ready; set 0 (R-WL-5)",
    ],
    change: (g) => edit(g, ROLLOUT, (p) => delete p.spec.strategy.canary.maxUnavailable) },
  { theme: "availability", what: "a Deployment with strategy Recreate", policy: "prod-max-unavailable-zero",
    says: [
      "prod-workload-replicas: Deployment agent-platform-prod/worker: 1 replica(s); prod runs at least 3 (R-ENV-1, R-ENV-2)",
      "prod-max-unavailable-zero: Deployment agent-platform-prod/worker: strategy Recreate stops every pod before starting the new ones; use RollingUpdate with maxUnavailable 0 (R-WL-5)",
    ],
    change: (g, pod) => add(g, deployment("worker", pod, { type: "Recreate" })) },
  { theme: "availability", what: "a Deployment with Kubernetes' default rolling update (25 %)", policy: "prod-max-unavailable-zero",
    says: [
      "prod-workload-replicas: Deployment agent-platform-prod/sidecar: 1 replica(s); prod runs at least 3 (R-ENV-1, R-ENV-2)",
      "prod-max-unavailable-zero: Deployment agent-platform-prod/sidecar: maxUnavailable 25% (the default) takes pods away before their replacements are ready; set 0 (R-WL-5)",
    ],
    change: (g, pod) => add(g, deployment("sidecar", pod)) },
  { theme: "availability", what: "a Deployment rolling at maxUnavailable 1", policy: "prod-max-unavailable-zero",
    says: [
      "prod-workload-replicas: Deployment agent-platform-prod/batcher: 1 replica(s); prod runs at least 3 (R-ENV-1, R-ENV-2)",
      "prod-max-unavailable-zero: Deployment agent-platform-prod/batcher: maxUnavailable 1 takes pods away before their replacements are ready; set 0 (R-WL-5)",
    ],
    change: (g, pod) => add(g, deployment("batcher", pod, { type: "RollingUpdate", rollingUpdate: { maxSurge: 1, maxUnavailable: 1 } })) },
  // Exposure and isolation.
  { theme: "exposure", what: "the Service as NodePort", policy: "no-external-services",
    says: [
      "no-external-services: Service agent-platform-prod/agent-platform: type NodePort exposes it outside the cluster; use ClusterIP behind the Gateway (R-WL-7)",
    ],
    change: (g) => edit(g, byType("kubernetes:core/v1:Service", "agent-platform"), (p) => (p.spec.type = "NodePort")) },
  { theme: "exposure", what: "a Service with externalIPs", policy: "no-external-services",
    says: [
      "no-external-services: Service agent-platform-prod/direct: externalIPs 203.0.113.10 expose it outside the cluster; remove them and route through the Gateway (R-WL-7)",
    ],
    change: (g) => add(g, k8s("core/v1:Service", "direct", { spec: { ports: [{ port: 80 }], externalIPs: ["203.0.113.10"] } })) },
  { theme: "exposure", what: "a LoadBalancer Service in another namespace", policy: "no-external-services",
    says: [
      "no-external-services: Service monitoring/grafana-lb: type LoadBalancer exposes it outside the cluster; use ClusterIP behind the Gateway (R-WL-7)",
    ],
    change: (g) => add(g, k8s("core/v1:Service", "grafana-lb", { spec: { type: "LoadBalancer", ports: [{ port: 80 }] } }, "monitoring")) },
  { theme: "exposure", what: "an Ingress without TLS", policy: "ingress-tls",
    says: [
      "ingress-tls: Ingress agent-platform-prod/web: no TLS; traffic to it is plain HTTP (R-WL-7)",
    ],
    change: (g) => add(g, k8s("networking.k8s.io/v1:Ingress", "web", { spec: { rules: [{ host: "agents.example.com", http: { paths: [] } }] } })) },
  { theme: "exposure", what: "an Ingress whose TLS covers another host", policy: "ingress-tls",
    says: [
      "ingress-tls: Ingress agent-platform-prod/web2: hosts b.example.com, c.example.com are served without TLS (R-WL-7)",
    ],
    change: (g) => add(g, k8s("networking.k8s.io/v1:Ingress", "web2", { spec: { tls: [{ hosts: ["a.example.com"], secretName: "a" }], rules: [{ host: "a.example.com" }, { host: "b.example.com" }, { host: "c.example.com" }] } })) },
  { theme: "exposure", what: "a NetworkPolicy allowing all ingress", policy: "network-policy-not-allow-all",
    says: [
      "network-policy-not-allow-all: NetworkPolicy agent-platform-prod/open: an ingress rule allows every source on every port; name peers and ports (R-WL-7)",
    ],
    change: (g) => add(g, k8s("networking.k8s.io/v1:NetworkPolicy", "open", { spec: { podSelector: {}, policyTypes: ["Ingress"], ingress: [{}] } })) },
  { theme: "exposure", what: "a NetworkPolicy allowing egress to ::/0 on every port", policy: "network-policy-not-allow-all",
    says: [
      "network-policy-not-allow-all: NetworkPolicy agent-platform-prod/out: an egress rule allows every destination on every port; name peers and ports (R-WL-7)",
    ],
    change: (g) => add(g, k8s("networking.k8s.io/v1:NetworkPolicy", "out", { spec: { podSelector: {}, policyTypes: ["Egress"], egress: [{ to: [{ ipBlock: { cidr: "::/0" } }] }] } })) },
  { theme: "exposure", what: "the platform namespace enforcing baseline without a reason", policy: "namespace-pod-security",
    says: [
      "namespace-pod-security: Namespace agent-platform-prod: enforce baseline, weaker than restricted without an agent-platform/pod-security-reason annotation (R-WL-7, R-WL-9)",
    ],
    change: (g) => edit(g, byType("kubernetes:core/v1:Namespace", NS), (p) => (p.metadata.labels["pod-security.kubernetes.io/enforce"] = "baseline")) },
  { theme: "exposure", what: "the monitoring namespace warning at privileged without a reason", policy: "namespace-pod-security",
    says: [
      "namespace-pod-security: Namespace monitoring: warn privileged, weaker than restricted without an agent-platform/pod-security-reason annotation (R-WL-7, R-WL-9)",
    ],
    change: (g) => edit(g, byType("kubernetes:core/v1:Namespace", "monitoring"), (p) => (p.metadata.labels["pod-security.kubernetes.io/warn"] = "privileged")) },
  { theme: "exposure", what: "a LoadBalancer Service with externalIPs", policy: "no-external-services",
    says: [
      "no-external-services: Service agent-platform-prod/both: type LoadBalancer exposes it outside the cluster; use ClusterIP behind the Gateway (R-WL-7)",
      "no-external-services: Service agent-platform-prod/both: externalIPs 203.0.113.11, 203.0.113.12 expose it outside the cluster; remove them and route through the Gateway (R-WL-7)",
    ],
    change: (g) => add(g, k8s("core/v1:Service", "both", { spec: { type: "LoadBalancer", ports: [{ port: 80 }], externalIPs: ["203.0.113.11", "203.0.113.12"] } })) },
  { theme: "exposure", what: "an Ingress rule without a host beside a TLS host", policy: "ingress-tls",
    says: [
      "ingress-tls: Ingress agent-platform-prod/catchall: hosts * are served without TLS (R-WL-7)",
    ],
    change: (g) => add(g, k8s("networking.k8s.io/v1:Ingress", "catchall", { spec: { tls: [{ hosts: ["a.example.com"], secretName: "a" }], rules: [{ host: "a.example.com" }, { http: { paths: [] } }] } })) },
  { theme: "exposure", what: "a NetworkPolicy ingress rule from an empty peer", policy: "network-policy-not-allow-all",
    says: [
      "network-policy-not-allow-all: NetworkPolicy agent-platform-prod/empty-peer: an ingress rule allows every source on every port; name peers and ports (R-WL-7)",
    ],
    change: (g) => add(g, k8s("networking.k8s.io/v1:NetworkPolicy", "empty-peer", { spec: { podSelector: {}, policyTypes: ["Ingress"], ingress: [{ from: [{ podSelector: { matchLabels: { app: "x" } } }, {}] }] } })) },
  { theme: "exposure", what: "a NetworkPolicy egress rule with an empty destination list", policy: "network-policy-not-allow-all",
    says: [
      "network-policy-not-allow-all: NetworkPolicy agent-platform-prod/empty-to: an egress rule allows every destination on every port; name peers and ports (R-WL-7)",
    ],
    change: (g) => add(g, k8s("networking.k8s.io/v1:NetworkPolicy", "empty-to", { spec: { podSelector: {}, policyTypes: ["Egress"], egress: [{ to: [] }] } })) },
  { theme: "exposure", what: "a NetworkPolicy egress to 0.0.0.0/0 with an empty exception list", policy: "network-policy-not-allow-all",
    says: [
      "network-policy-not-allow-all: NetworkPolicy agent-platform-prod/no-except: an egress rule allows every destination on every port; name peers and ports (R-WL-7)",
    ],
    change: (g) => add(g, k8s("networking.k8s.io/v1:NetworkPolicy", "no-except", { spec: { podSelector: {}, policyTypes: ["Egress"], egress: [{ to: [{ ipBlock: { cidr: "0.0.0.0/0", except: [] } }] }] } })) },
  { theme: "exposure", what: "a namespace auditing and warning at baseline with a blank reason", policy: "namespace-pod-security",
    says: [
      "namespace-pod-security: Namespace tools: audit baseline, warn baseline, weaker than restricted without an agent-platform/pod-security-reason annotation (R-WL-7, R-WL-9)",
    ],
    change: (g) => add(g, k8s("core/v1:Namespace", "tools", { metadata: { name: "tools", labels: { "pod-security.kubernetes.io/enforce": "restricted", "pod-security.kubernetes.io/audit": "baseline", "pod-security.kubernetes.io/warn": "baseline" }, annotations: { "agent-platform/pod-security-reason": "  " } } }, null)) },
  { theme: "exposure", what: "a namespace enforcing privileged without a reason", policy: "namespace-pod-security",
    says: [
      "namespace-pod-security: Namespace host: enforces privileged without an agent-platform/pod-security-reason annotation (R-WL-9)",
    ],
    change: (g) => add(g, k8s("core/v1:Namespace", "host", { metadata: { name: "host", labels: { "pod-security.kubernetes.io/enforce": "privileged", "pod-security.kubernetes.io/audit": "privileged", "pod-security.kubernetes.io/warn": "privileged" } } }, null)) },
  { theme: "exposure", what: "a namespace without Pod Security labels", policy: "namespace-pod-security",
    says: [
      "namespace-pod-security: Namespace bare: no Pod Security Admission audit, warn label; label it restricted (R-WL-7)",
    ],
    change: (g) => add(g, k8s("core/v1:Namespace", "bare", { metadata: { name: "bare", labels: { "pod-security.kubernetes.io/enforce": "restricted" } } }, null)) },
  // Cluster access.
  { theme: "cluster access", what: "a ClusterRoleBinding to cluster-admin", policy: "no-cluster-admin-or-cluster-wide-secret-reads",
    says: [
      "no-cluster-admin-or-cluster-wide-secret-reads: ClusterRoleBinding ops: binds cluster-admin; bind a Role with only what is needed (R-WL-9)",
    ],
    change: (g) => add(g, k8s("rbac.authorization.k8s.io/v1:ClusterRoleBinding", "ops", { roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "cluster-admin" }, subjects: [{ kind: "Group", name: "ops" }] }, null)) },
  { theme: "cluster access", what: "a RoleBinding to the cluster-admin ClusterRole", policy: "no-cluster-admin-or-cluster-wide-secret-reads",
    says: [
      "no-cluster-admin-or-cluster-wide-secret-reads: RoleBinding agent-platform-prod/ops-ns: binds cluster-admin; bind a Role with only what is needed (R-WL-9)",
    ],
    change: (g) => add(g, k8s("rbac.authorization.k8s.io/v1:RoleBinding", "ops-ns", { roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "cluster-admin" }, subjects: [{ kind: "ServiceAccount", name: "x", namespace: NS }] })) },
  { theme: "cluster access", what: "a ClusterRole that lists Secrets", policy: "no-cluster-admin-or-cluster-wide-secret-reads",
    says: [
      "no-cluster-admin-or-cluster-wide-secret-reads: ClusterRole reader: reads Secrets in every namespace; use a Role in the namespace that holds them (R-WL-9)",
    ],
    change: (g) => add(g, k8s("rbac.authorization.k8s.io/v1:ClusterRole", "reader", { rules: [{ apiGroups: [""], resources: ["configmaps", "secrets"], verbs: ["list"] }] }, null)) },
  { theme: "cluster access", what: "a ClusterRole with every resource of the core group", policy: "no-cluster-admin-or-cluster-wide-secret-reads",
    says: [
      "no-cluster-admin-or-cluster-wide-secret-reads: ClusterRole wide: reads Secrets in every namespace; use a Role in the namespace that holds them (R-WL-9)",
    ],
    change: (g) => add(g, k8s("rbac.authorization.k8s.io/v1:ClusterRole", "wide", { rules: [{ apiGroups: ["*"], resources: ["*"], verbs: ["watch"] }] }, null)) },
  { theme: "cluster access", what: "a ClusterRole that only gets Secrets, among the apps group's resources", policy: "no-cluster-admin-or-cluster-wide-secret-reads",
    says: [
      "no-cluster-admin-or-cluster-wide-secret-reads: ClusterRole getter: reads Secrets in every namespace; use a Role in the namespace that holds them (R-WL-9)",
    ],
    change: (g) => add(g, k8s("rbac.authorization.k8s.io/v1:ClusterRole", "getter", { rules: [{ apiGroups: ["apps", ""], resources: ["deployments", "secrets"], verbs: ["get", "create"] }] }, null)) },
  { theme: "cluster access", what: "a ClusterRole with every verb on Secrets", policy: "no-cluster-admin-or-cluster-wide-secret-reads",
    says: [
      "no-cluster-admin-or-cluster-wide-secret-reads: ClusterRole all-verbs: reads Secrets in every namespace; use a Role in the namespace that holds them (R-WL-9)",
    ],
    change: (g) => add(g, k8s("rbac.authorization.k8s.io/v1:ClusterRole", "all-verbs", { rules: [{ apiGroups: [""], resources: ["pods"], verbs: ["get"] }, { apiGroups: [""], resources: ["secrets"], verbs: ["*"] }] }, null)) },
  // Secrets by value.
  { theme: "secrets", what: "a password in a ConfigMap's file content", policy: "no-plaintext-secrets",
    says: [
      "no-plaintext-secrets: ConfigMap agent-platform-prod/settings: key settings.yaml holds a password in a configuration file; move it to a Secret (R-WL-6)",
    ],
    change: (g) => add(g, k8s("core/v1:ConfigMap", "settings", { data: { "settings.yaml": "database:\n  host: db\n  password: hunter2hunter2\n" } })) },
  { theme: "secrets", what: "a Slack webhook URL in a ConfigMap", policy: "no-plaintext-secrets",
    says: [
      "no-plaintext-secrets: ConfigMap agent-platform-prod/notify: key notify.json holds a Slack webhook URL; move it to a Secret (R-WL-6)",
    ],
    change: (g) => add(g, k8s("core/v1:ConfigMap", "notify", { data: { "notify.json": '{"url":"https://hooks.slack.com/services/T0000/B0000/XXXXXXXXXXXXXXXXXXXXXXXX"}' } })) },
  { theme: "secrets", what: "a JWT in a variable with an innocent name", policy: "no-plaintext-secrets",
    says: [
      "no-plaintext-secrets: Rollout agent-platform-prod/agent-platform: container api sets SIGNING to a JSON Web Token; deliver it from a Secret (R-WL-6)",
    ],
    change: (g) => edit(g, ROLLOUT, (p) => p.spec.template.spec.containers[0].env.push({ name: "SIGNING", value: "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhZ2VudCJ9.c2lnbmF0dXJlLXNpZ25hdHVyZQ" })) },
  { theme: "secrets", what: "a connection URL with its password in a ConfigMap", policy: "no-plaintext-secrets",
    says: [
      "no-plaintext-secrets: ConfigMap agent-platform-prod/db: key url holds a connection URL with a password; move it to a Secret (R-WL-6)",
    ],
    change: (g) => add(g, k8s("core/v1:ConfigMap", "db", { data: { url: "postgres://agent_app:s3cr3tpass@db.internal:5432/memory" } })) },
  { theme: "secrets", what: "Grafana's admin password in the release's values", policy: "no-plaintext-secrets",
    says: [
      "no-plaintext-secrets: Release monitoring/kube-prometheus-stack: values.grafana.adminPassword is a password in the release's values; give the chart an existing Secret instead (R-WL-6, R-MON-4)",
    ],
    change: (g) => edit(g, KPS, (p) => (p.values.grafana.adminPassword = "correct-horse-battery")) },
  { theme: "secrets", what: "anonymous Grafana", policy: "grafana-no-anonymous-admin-from-secret",
    says: [
      "grafana-no-anonymous-admin-from-secret: Release monitoring/kube-prometheus-stack: Grafana: anonymous access is on (grafana.ini auth.anonymous.enabled) (R-MON-4)",
    ],
    change: (g) => edit(g, KPS, (p) => (p.values.grafana["grafana.ini"]["auth.anonymous"] = { enabled: true })) },
  { theme: "secrets", what: "a connection URL with its password in a Job's arguments", policy: "no-plaintext-secrets",
    says: [
      "no-plaintext-secrets: Job agent-platform-prod/migrate: container api has a connection URL with a password in its command line (word 3); deliver it from a Secret (R-WL-6)",
    ],
    change: (g, pod) => add(g, k8s("batch/v1:Job", "migrate", { spec: { template: { spec: podWith(pod, (p) => { p.containers[0].command = ["migrate"]; p.containers[0].args = ["--url", "postgres://agent_app:s3cr3tpass@db.internal:5432/memory"]; }) } } })) },
  { theme: "secrets", what: "a connection URL in a chart's list values", policy: "no-plaintext-secrets",
    says: [
      "no-plaintext-secrets: Release monitoring/kube-prometheus-stack: values.grafana.env[0].value holds a connection URL with a password; give the chart an existing Secret instead (R-WL-6)",
    ],
    change: (g) => edit(g, KPS, (p) => (p.values.grafana.env = [{ name: "GF_DATABASE_URL", value: "postgres://grafana:s3cr3tpass@db.internal:5432/grafana" }])) },
  { theme: "secrets", what: "Grafana's own chart with a password and no existing Secret", policy: "grafana-no-anonymous-admin-from-secret",
    says: [
      "no-plaintext-secrets: Release monitoring/grafana: values.adminPassword is a password in the release's values; give the chart an existing Secret instead (R-WL-6, R-MON-4)",
      "grafana-no-anonymous-admin-from-secret: Release monitoring/grafana: Grafana: the admin credentials do not come from an existing Secret (admin.existingSecret); anonymous access is on (grafana.ini auth.anonymous.enabled) (R-MON-4)",
    ],
    change: (g) => add(g, k8s("helm.sh/v3:Release", "grafana", { name: "grafana", namespace: "monitoring", chart: "grafana", version: "10.1.4", values: { adminPassword: "correct-horse-battery", "grafana.ini": { auth: { anonymous: { enabled: "true" } } } } }, null)) },
  { theme: "secrets", what: "kube-prometheus-stack's Grafana without its existing Secret", policy: "grafana-no-anonymous-admin-from-secret",
    says: [
      "grafana-no-anonymous-admin-from-secret: Release monitoring/kube-prometheus-stack: Grafana: the admin credentials do not come from an existing Secret (admin.existingSecret) (R-MON-4)",
    ],
    change: (g) => edit(g, KPS, (p) => delete p.values.grafana.admin) },
  { theme: "secrets", what: "a database password in a chart's values (auth.password)", policy: "no-plaintext-secrets",
    says: [
      "no-plaintext-secrets: Release monitoring/kube-prometheus-stack: values.grafana.database.password is a password in the release's values; give the chart an existing Secret instead (R-WL-6, R-MON-4)",
    ],
    change: (g) => edit(g, KPS, (p) => (p.values.grafana.database = { user: "grafana", password: "s3cr3tpass" })) },
  { theme: "secrets", what: "kube-prometheus-stack with the chart's default values (Grafana's admin from the chart's own password)", policy: "grafana-no-anonymous-admin-from-secret",
    says: [
      "grafana-no-anonymous-admin-from-secret: Release monitoring/kube-prometheus-stack: Grafana: the admin credentials do not come from an existing Secret (admin.existingSecret) (R-MON-4)",
    ],
    change: (g) => edit(g, KPS, (p) => delete p.values) },
  // AWS network path to data.
  { theme: "aws network", what: "the database's security group open to 0.0.0.0/0 on 5432 (inline)", policy: "no-world-open-data-or-ssh-ports",
    says: [
      "no-world-open-data-or-ssh-ports: aws:ec2/securityGroup:SecurityGroup memory-store-sg: 0.0.0.0/0 may reach port 5432; admit only the cluster's security group or a private range (R-DATA-0)",
    ],
    change: (g) => edit(g, byType("aws:ec2/securityGroup:SecurityGroup"), (p) => p.ingress.push({ protocol: "tcp", fromPort: 5432, toPort: 5432, cidrBlocks: ["0.0.0.0/0"] })) },
  { theme: "aws network", what: "SSH from ::/0 (inline, IPv6)", policy: "no-world-open-data-or-ssh-ports",
    says: [
      "no-world-open-data-or-ssh-ports: aws:ec2/securityGroup:SecurityGroup memory-store-sg: ::/0 may reach port 22; admit only the cluster's security group or a private range (R-DATA-0)",
    ],
    change: (g) => edit(g, byType("aws:ec2/securityGroup:SecurityGroup"), (p) => p.ingress.push({ protocol: "tcp", fromPort: 22, toPort: 22, ipv6CidrBlocks: ["::/0"] })) },
  { theme: "aws network", what: "a SecurityGroupRule opening every TCP port to 0.0.0.0/0", policy: "no-world-open-data-or-ssh-ports",
    says: [
      "no-world-open-data-or-ssh-ports: aws:ec2/securityGroupRule:SecurityGroupRule corpus-all-tcp: 0.0.0.0/0 may reach port 22, 3389, 5432, 3306, 1433, 1521, 6379, 27017, 9200; admit only the cluster's security group or a private range (R-DATA-0)",
    ],
    change: (g) => add(g, aws("ec2/securityGroupRule:SecurityGroupRule", "all-tcp", { type: "ingress", securityGroupId: "sg-1", protocol: "tcp", fromPort: 0, toPort: 65535, cidrBlocks: ["0.0.0.0/0"] })) },
  { theme: "aws network", what: "a vpc.SecurityGroupIngressRule for all protocols from ::/0", policy: "no-world-open-data-or-ssh-ports",
    says: [
      "no-world-open-data-or-ssh-ports: aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule corpus-all-v6: ::/0 may reach port 22, 3389, 5432, 3306, 1433, 1521, 6379, 27017, 9200; admit only the cluster's security group or a private range (R-DATA-0)",
    ],
    change: (g) => add(g, aws("vpc/securityGroupIngressRule:SecurityGroupIngressRule", "all-v6", { securityGroupId: "sg-1", ipProtocol: "-1", cidrIpv6: "::/0" })) },
  { theme: "aws network", what: "an Aurora cluster unencrypted, without deletion protection", policy: "rds-encrypted-backed-up-private",
    says: [
      "rds-encrypted-backed-up-private: aws:rds/cluster:Cluster corpus-aurora: storage is not encrypted; no customer-managed KMS key; deletion protection is off (R-DATA-0, R-DATA-2)",
    ],
    change: (g) => add(g, aws("rds/cluster:Cluster", "aurora", { engine: "aurora-postgresql", storageEncrypted: false, backupRetentionPeriod: 30, deletionProtection: false }, true)) },
  { theme: "aws network", what: "a public Aurora instance", policy: "rds-encrypted-backed-up-private",
    says: [
      "rds-encrypted-backed-up-private: aws:rds/clusterInstance:ClusterInstance corpus-aurora-1: publicly accessible (R-DATA-0)",
    ],
    change: (g) => add(g, aws("rds/clusterInstance:ClusterInstance", "aurora-1", { clusterIdentifier: "aurora", instanceClass: "db.r6g.large", publiclyAccessible: true })) },
  { theme: "aws network", what: "an Aurora cluster not protected", policy: "stateful-resources-protected",
    says: [
      "stateful-resources-protected: aws:rds/cluster:Cluster corpus-aurora-2: holds data but is not protected; declare it with protect: true (R-DATA-0, R-DATA-1)",
    ],
    change: (g) => add(g, aws("rds/cluster:Cluster", "aurora-2", { engine: "aurora-postgresql", storageEncrypted: true, kmsKeyId: "k", backupRetentionPeriod: 30, deletionProtection: true })) },
  // S3 beyond the public-access block.
  { theme: "s3", what: "a public-read BucketAcl", policy: "s3-no-public-acl-or-policy",
    says: [
      "s3-no-public-acl-or-policy: aws:s3/bucketAcl:BucketAcl agent-platform-prod-backups-0a1b2c3: ACL public-read makes it public; remove the ACL (R-DATA-1)",
    ],
    change: (g) => add(g, aws("s3/bucketAcl:BucketAcl", "acl", { bucket: "agent-platform-prod-backups-0a1b2c3", acl: "public-read" })) },
  { theme: "s3", what: "an ACL grant to AllUsers", policy: "s3-no-public-acl-or-policy",
    says: [
      "s3-no-public-acl-or-policy: aws:s3/bucketAcl:BucketAcl agent-platform-prod-backups-0a1b2c3: its ACL grants READ to AllUsers; remove the grant (R-DATA-1)",
    ],
    change: (g) => add(g, aws("s3/bucketAcl:BucketAcl", "grant", { bucket: "agent-platform-prod-backups-0a1b2c3", accessControlPolicy: { owner: { id: "o" }, grants: [{ permission: "READ", grantee: { type: "Group", uri: "http://acs.amazonaws.com/groups/global/AllUsers" } }] } })) },
  { theme: "s3", what: "the bucket policy allowing GetObject to \"*\"", policy: "s3-no-public-acl-or-policy",
    says: [
      "s3-no-public-acl-or-policy: aws:s3/bucketPolicy:BucketPolicy agent-platform-prod-backups-0a1b2c3: statement Share allows everyone (\"*\"); name the principals (R-DATA-1)",
    ],
    change: (g) => edit(g, (r) => r.type === "aws:s3/bucketPolicy:BucketPolicy" && (r.inputs as any).bucket === "agent-platform-prod-backups-0a1b2c3", (p) => doc(p, "policy", (d) => d.Statement.push({ Sid: "Share", Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: "arn:aws:s3:::agent-platform-prod-backups-0a1b2c3/*" }))) },
  { theme: "s3", what: "a bucket policy allowing {AWS: \"*\"}", policy: "s3-no-public-acl-or-policy",
    says: [
      "s3-no-public-acl-or-policy: aws:s3/bucketPolicy:BucketPolicy x: statement 1 allows everyone (\"*\"); name the principals (R-DATA-1)",
    ],
    change: (g) => add(g, aws("s3/bucketPolicy:BucketPolicy", "share", { bucket: "x", policy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { AWS: ["*"] }, Action: "s3:ListBucket", Resource: "arn:aws:s3:::x" }] }) })) },
  // IAM and KMS.
  { theme: "iam", what: "an inline policy allowing every action", policy: "iam-least-privilege",
    says: [
      "iam-least-privilege: aws:iam/rolePolicy:RolePolicy backups-export: statement 3 allows wildcard actions * (R-DATA-3)",
    ],
    change: (g) => edit(g, (r) => r.type === "aws:iam/rolePolicy:RolePolicy" && /-export$/.test(r.name), (p) => doc(p, "policy", (d) => d.Statement.push({ Effect: "Allow", Action: "*", Resource: "arn:aws:s3:::x" }))) },
  { theme: "iam", what: "s3:* on the bucket", policy: "iam-least-privilege",
    says: [
      "iam-least-privilege: aws:iam/rolePolicy:RolePolicy backups-restore: statement ReadExports allows wildcard actions s3:* (R-DATA-3)",
    ],
    change: (g) => edit(g, (r) => r.type === "aws:iam/rolePolicy:RolePolicy" && /-restore$/.test(r.name), (p) => doc(p, "policy", (d) => (d.Statement[0].Action = "s3:*"))) },
  { theme: "iam", what: "GetSecretValue on every resource (a standalone policy)", policy: "iam-least-privilege",
    says: [
      "iam-least-privilege: aws:iam/policy:Policy corpus-reader: statement 1 allows secretsmanager:GetSecretValue on every resource (\"*\") (R-DATA-3)",
    ],
    change: (g) => add(g, aws("iam/policy:Policy", "reader", { policy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: ["secretsmanager:GetSecretValue"], Resource: "*" }] }) })) },
  { theme: "iam", what: "AdministratorAccess attached", policy: "iam-least-privilege",
    says: [
      "iam-least-privilege: aws:iam/rolePolicyAttachment:RolePolicyAttachment corpus-admin: attaches arn:aws:iam::aws:policy/AdministratorAccess (R-DATA-3)",
    ],
    change: (g) => add(g, aws("iam/rolePolicyAttachment:RolePolicyAttachment", "admin", { role: "r", policyArn: "arn:aws:iam::aws:policy/AdministratorAccess" })) },
  { theme: "iam", what: "PowerUserAccess in a role's managedPolicyArns", policy: "iam-least-privilege",
    says: [
      "iam-least-privilege: aws:iam/role:Role corpus-power: attaches arn:aws:iam::aws:policy/PowerUserAccess (R-DATA-3)",
    ],
    change: (g) => add(g, aws("iam/role:Role", "power", { assumeRolePolicy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }] }), managedPolicyArns: ["arn:aws:iam::aws:policy/PowerUserAccess"] })) },
  { theme: "iam", what: "the export role's IRSA trust without its sub condition", policy: "iam-least-privilege",
    says: [
      "iam-least-privilege: aws:iam/role:Role backups-export: statement 1 trusts oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE without a condition on oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE:sub, so any of its identities may assume the role (R-DATA-3)",
    ],
    change: (g) => edit(g, (r) => r.type === "aws:iam/role:Role" && /-export$/.test(r.name), (p) => doc(p, "assumeRolePolicy", (d) => { const c = d.Statement[0].Condition.StringEquals; for (const k of Object.keys(c)) if (k.endsWith(":sub")) delete c[k]; })) },
  { theme: "iam", what: "a trust policy trusting \"*\"", policy: "iam-least-privilege",
    says: [
      "iam-least-privilege: aws:iam/role:Role corpus-anyone: statement 1 trusts every principal (\"*\") (R-DATA-3)",
    ],
    change: (g) => add(g, aws("iam/role:Role", "anyone", { assumeRolePolicy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { AWS: "*" }, Action: "sts:AssumeRole" }] }) })) },
  { theme: "iam", what: "the data key without rotation", policy: "kms-keys-rotate",
    says: [
      "kms-keys-rotate: aws:kms/key:Key data-key-key: key rotation is off; set enableKeyRotation true (R-DATA-3)",
    ],
    change: (g) => edit(g, (r) => r.type === "aws:kms/key:Key" && r.name === "data-key-key", (p) => (p.enableKeyRotation = false)) },
  { theme: "iam", what: "the uptime alarm's topic without its key", policy: "sns-topics-encrypted-cmk",
    says: [
      "sns-topics-encrypted-cmk: aws:sns/topic:Topic uptime-alarm: not encrypted; set kmsMasterKeyId to a customer-managed key (R-CI-5)",
    ],
    change: (g) => edit(g, byType("aws:sns/topic:Topic"), (p) => delete p.kmsMasterKeyId) },
  { theme: "iam", what: "a topic under the AWS-managed aws/sns key", policy: "sns-topics-encrypted-cmk",
    says: [
      "sns-topics-encrypted-cmk: aws:sns/topic:Topic corpus-events: encrypted under the AWS-managed alias/aws/sns, which no publishing service can use; set kmsMasterKeyId to a customer-managed key (R-CI-5)",
    ],
    change: (g) => add(g, aws("sns/topic:Topic", "events", { name: "agent-platform-prod-events", kmsMasterKeyId: "alias/aws/sns" })) },
  // Supply chain.
  { theme: "supply chain", what: "kube-prometheus-stack without a chart version", policy: "helm-charts-pinned",
    says: [
      "helm-charts-pinned: Release monitoring/kube-prometheus-stack: chart kube-prometheus-stack has no version, so every up installs the newest; pin it (R-DATA-4)",
    ],
    change: (g) => edit(g, KPS, (p) => delete p.version) },
  { theme: "supply chain", what: "a chart version range", policy: "helm-charts-pinned",
    says: [
      "helm-charts-pinned: Release monitoring/kube-prometheus-stack: chart kube-prometheus-stack version ^79.5.0 is a range; pin an exact version (R-DATA-4)",
    ],
    change: (g) => edit(g, KPS, (p) => (p.version = "^79.5.0")) },
  { theme: "supply chain", what: "a DeploymentPatch that sets a container's image to latest", policy: "images-pinned",
    says: [
      "images-pinned: DeploymentPatch kube-system/coredns: container coredns runs registry.k8s.io/coredns/coredns:latest, the mutable tag latest; pin a tag or digest (R-DATA-4)",
      "prod-image-registry: DeploymentPatch kube-system/coredns: container coredns runs registry.k8s.io/coredns/coredns:latest, from registry.k8s.io/coredns/coredns, which prod does not admit; use the declared registry (R-DATA-4)",
    ],
    change: (g) => add(g, k8s("apps/v1:DeploymentPatch", "coredns", { spec: { template: { spec: { containers: [{ name: "coredns", image: "registry.k8s.io/coredns/coredns:latest" }] } } } }, "kube-system")) },
  { theme: "supply chain", what: "a chart version left empty", policy: "helm-charts-pinned",
    says: [
      "helm-charts-pinned: Release monitoring/kube-prometheus-stack: chart kube-prometheus-stack has no version, so every up installs the newest; pin it (R-DATA-4)",
    ],
    change: (g) => edit(g, KPS, (p) => (p.version = "")) },
  { theme: "supply chain", what: "the platform image from another registry, even pinned", policy: "prod-image-registry",
    says: [
      "prod-image-registry: Rollout agent-platform-prod/agent-platform: container api runs ghcr.io/acme/agent-platform@sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa, from ghcr.io/acme/agent-platform, which prod does not admit; use the declared registry (R-DATA-4)",
    ],
    change: (g) => edit(g, ROLLOUT, (p) => (p.spec.template.spec.containers[0].image = `ghcr.io/acme/agent-platform@sha256:${"a".repeat(64)}`)) },
  { theme: "supply chain", what: "a Job image outside the declared repositories", policy: "prod-image-registry",
    says: [
      "prod-image-registry: Job agent-platform-prod/tool: container api runs busybox@sha256:bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb, from docker.io/library/busybox, which prod does not admit; use the declared registry (R-DATA-4)",
    ],
    change: (g, pod) => add(g, k8s("batch/v1:Job", "tool", { spec: { template: { spec: ((p) => ((p.containers[0].image = `busybox@sha256:${"b".repeat(64)}`), p))(pod()) } } })) },
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
  { what: "a privileged namespace that states why", change: (g) => add(g, k8s("core/v1:Namespace", "csi", { metadata: { name: "csi", labels: { "pod-security.kubernetes.io/enforce": "privileged", "pod-security.kubernetes.io/audit": "privileged", "pod-security.kubernetes.io/warn": "privileged" }, annotations: { "agent-platform/pod-security-reason": "the CSI node plugin mounts host paths" } } }, null)) },
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
  { what: "a ClusterRole that reads ConfigMaps (not Secrets) cluster-wide, bound to view in one namespace", change: (g) => add(g, k8s("rbac.authorization.k8s.io/v1:ClusterRole", "dashboards", { rules: [{ apiGroups: [""], resources: ["configmaps"], verbs: ["get", "list", "watch"] }] }, null), k8s("rbac.authorization.k8s.io/v1:RoleBinding", "viewers", { roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "view" }, subjects: [{ kind: "Group", name: "devs" }] })) },
  { what: "HTTPS (443) open to the world and 5432 from a private range", change: (g) => edit(g, byType("aws:ec2/securityGroup:SecurityGroup"), (p) => p.ingress.push({ protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["0.0.0.0/0"], ipv6CidrBlocks: ["::/0"] }, { protocol: "tcp", fromPort: 5432, toPort: 5432, cidrBlocks: ["10.0.0.0/8"] })) },
  { what: "a read-only Describe on every resource", change: (g) => add(g, aws("iam/policy:Policy", "describe", { policy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: ["ec2:DescribeInstances", "rds:DescribeDBClusters"], Resource: "*" }] }) })) },
  { what: "an IRSA trust on a StringLike sub of one namespace", change: (g) => edit(g, (r) => r.type === "aws:iam/role:Role" && /-export$/.test(r.name), (p) => doc(p, "assumeRolePolicy", (d) => { const c = d.Statement[0].Condition; const sub = Object.keys(c.StringEquals).find((k) => k.endsWith(":sub"))!; c.StringLike = { [sub]: `system:serviceaccount:${NS}:*` }; delete c.StringEquals[sub]; })) },
  { what: "a bucket policy allowing \"*\" only within the organisation", change: (g) => add(g, aws("s3/bucketPolicy:BucketPolicy", "org", { bucket: "x", policy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: "arn:aws:s3:::x/*", Condition: { StringEquals: { "aws:PrincipalOrgID": "o-abc123" } } }] }) })) },
  { what: "an asymmetric signing key (no rotation exists for it), protected", change: (g) => add(g, aws("kms/key:Key", "signing", { keySpec: "RSA_2048", keyUsage: "SIGN_VERIFY" }, true)) },
  { what: "a chart pinned as v-prefixed exact version", change: (g) => edit(g, KPS, (p) => (p.version = "v79.5.0")) },
  { what: "a ConfigMap that points at password files and placeholders", change: (g) => add(g, k8s("core/v1:ConfigMap", "refs", { data: { "app.yaml": "database:\n  password_file: /run/secrets/db\n  password: ${DB_PASSWORD}\n  token: \"\"\n", DB_PASSWORD_FILE: "/run/secrets/db" } })) },
  { what: "a DeploymentPatch that changes only replicas and a digest-pinned image", change: (g) => add(g, k8s("apps/v1:DeploymentPatch", "coredns", { spec: { replicas: 3, template: { spec: { containers: [{ name: "coredns", image: `123456789012.dkr.ecr.eu-west-1.amazonaws.com/agent-platform@sha256:${"d".repeat(64)}` }] } } } }, "kube-system")) },
  { what: "a DaemonSetPatch that changes only a container's resources (no image)", change: (g) => add(g, k8s("apps/v1:DaemonSetPatch", "aws-node", { spec: { template: { spec: { containers: [{ name: "aws-node", resources: { requests: { cpu: "50m" } } }] } } } }, "kube-system")) },
  { what: "SELinux options within the container types, and procMount Default", change: (g) => edit(g, ROLLOUT, (p) => { const s = p.spec.template.spec; s.securityContext.seLinuxOptions = { type: "container_t", level: "s0:c123,c456" }; s.containers[0].securityContext.seLinuxOptions = { level: "s0:c123,c456" }; s.containers[0].securityContext.procMount = "Default"; }) },
  { what: "a PodDisruptionBudget at minAvailable 66% with the HPA's minimum at 3 (rounded up: 2)", change: (g) => edit(g, byType("kubernetes:policy/v1:PodDisruptionBudget", "agent-platform"), (p) => ((p.spec = { selector: p.spec.selector, minAvailable: "66%" }), p)) },
  { what: "a PodDisruptionBudget at maxUnavailable 10% (rounded up: 1)", change: (g) => edit(g, byType("kubernetes:policy/v1:PodDisruptionBudget", "agent-platform"), (p) => (p.spec.maxUnavailable = "10%")) },
  { what: "a NetworkPolicy admitting named pods on every port", change: (g) => add(g, k8s("networking.k8s.io/v1:NetworkPolicy", "peers", { spec: { podSelector: {}, policyTypes: ["Ingress"], ingress: [{ from: [{ podSelector: { matchLabels: { app: "peer" } } }] }] } })) },
  { what: "a StatefulSetPatch that hardens a container (no escalation, read-only root, drop ALL)", change: (g) => add(g, k8s("apps/v1:StatefulSetPatch", "db", { spec: { template: { spec: { containers: [{ name: "db", securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } } }] } } } })) },
  { what: "kube-prometheus-stack with its Grafana off (no admin Secret to ask for)", change: (g) => edit(g, KPS, (p) => (p.values.grafana = { enabled: false })) },
  { what: "a release of another Grafana chart (grafana-agent), which is not Grafana", change: (g) => add(g, k8s("helm.sh/v3:Release", "agent", { name: "grafana-agent", namespace: "monitoring", chart: "grafana-agent", version: "0.44.2", values: {} }, null)) },
  { what: "egress to everything but the private ranges, on every port (not everything)", change: (g) => add(g, k8s("networking.k8s.io/v1:NetworkPolicy", "internet", { spec: { podSelector: {}, policyTypes: ["Egress"], egress: [{ to: [{ ipBlock: { cidr: "0.0.0.0/0", except: ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"] } }] }] } })) },
  { what: "ingress from any source on one port", change: (g) => add(g, k8s("networking.k8s.io/v1:NetworkPolicy", "health", { spec: { podSelector: {}, policyTypes: ["Ingress"], ingress: [{ ports: [{ protocol: "TCP", port: 8080 }] }] } })) },
  { what: "a RoleBinding to a namespaced Role that happens to be named cluster-admin", change: (g) => add(g, k8s("rbac.authorization.k8s.io/v1:Role", "cluster-admin", { rules: [{ apiGroups: [""], resources: ["configmaps"], verbs: ["get"] }] }), k8s("rbac.authorization.k8s.io/v1:RoleBinding", "local-admin", { roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: "cluster-admin" }, subjects: [{ kind: "Group", name: "ops" }] })) },
  { what: "Grafana's adminPassword left empty beside its existing Secret", change: (g) => edit(g, KPS, (p) => (p.values.grafana.adminPassword = "")) },
  { what: "grafana.ini's auth section without anonymous settings", change: (g) => edit(g, KPS, (p) => { delete p.values.grafana["grafana.ini"]["auth.anonymous"]; p.values.grafana["grafana.ini"].auth = { disable_login_form: false }; }) },
  { what: "an AnalysisTemplate with Prometheus metrics only", change: (g) => add(g, k8s("argoproj.io/v1alpha1:AnalysisTemplate", "prom-only", { spec: { metrics: [{ name: "m", provider: { prometheus: { query: "vector(1)" } } }] } })) },
];

/** The pod of prod's Rollout: a hardened pod to build new kinds from. */
export const hardenedPodOf = (prod: Graph) => clone((prod.find(ROLLOUT)!.inputs as any).spec.template.spec);
