// Workload policies (R-WL, R-CI-5): resources and probes, and pod hardening on every kind
// that carries a pod.
import type { ResourceValidationArgs, ResourceValidationPolicy } from "@pulumi/policy";
import { LONG_RUNNING, type Props, containersOf, forPods, list } from "./common";

export const resourcesAndProbes: ResourceValidationPolicy = {
  name: "container-resources-and-probes",
  description: "R-ENV-3, R-ENV-4, R-WL-1: every container states CPU and memory requests and limits; serving containers have liveness and readiness probes.",
  remediationSteps: "Set resources.requests and resources.limits (cpu, memory) on the container; give Deployments, Rollouts and StatefulSets livenessProbe and readinessProbe.",
  validateResource: forPods((args, pod, what, report, patch) => {
    if (patch) return; // a patch states what it changes; the object it patches is judged where it is declared
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

/** Volume types `restricted` allows (Pod Security Standards, "Restricted": volume types), and a volume's name. */
const RESTRICTED_VOLUMES = new Set(["configMap", "csi", "downwardAPI", "emptyDir", "ephemeral", "persistentVolumeClaim", "projected", "secret", "name"]);
/** Sysctls `baseline` (and so `restricted`) allows (Pod Security Standards, "Baseline": sysctls; Kubernetes 1.32). */
const SAFE_SYSCTLS = new Set([
  "kernel.shm_rmid_forced",
  "net.ipv4.ip_local_port_range",
  "net.ipv4.ip_unprivileged_port_start",
  "net.ipv4.tcp_syncookies",
  "net.ipv4.ping_group_range",
  "net.ipv4.ip_local_reserved_ports",
  "net.ipv4.tcp_keepalive_time",
  "net.ipv4.tcp_fin_timeout",
  "net.ipv4.tcp_keepalive_intvl",
  "net.ipv4.tcp_keepalive_probes",
]);
const SELINUX_TYPES = new Set(["", "container_t", "container_init_t", "container_kvm_t", "container_engine_t"]);

const selinuxBeyond = (o: Props | undefined) => !!o && (!SELINUX_TYPES.has(String(o.type ?? "")) || !!o.user || !!o.role);

/**
 * What keeps a pod from `restricted` and R-WL-3. A whole pod spec must state the safe
 * values; a patch (`patch`) states only what it changes, so only the unsafe values it sets
 * count. A container's own setting overrides the pod's, so it is judged on its own.
 */
function hardeningProblems(args: ResourceValidationArgs, pod: Props, patch: boolean): string[] {
  const problems: string[] = [];
  const sc = pod.securityContext ?? {};
  const containers = containersOf(pod);
  if (sc.runAsNonRoot === false) problems.push("pod securityContext.runAsNonRoot is false");
  else if (!patch && sc.runAsNonRoot !== true && !(containers.length > 0 && containers.every((c) => c.securityContext?.runAsNonRoot === true))) {
    problems.push("pod securityContext.runAsNonRoot is not true");
  }
  // A pod that must talk to the API (the rollout-verdict Job) says why on its owner.
  const tokenReason = String(args.props.metadata?.annotations?.[TOKEN_REASON] ?? "").trim();
  if (!patch && pod.automountServiceAccountToken !== false && !tokenReason) {
    problems.push(`automountServiceAccountToken is not false (a pod that needs the API states why in the annotation ${TOKEN_REASON})`);
  }
  for (const h of ["hostNetwork", "hostPID", "hostIPC"]) if (pod[h] === true) problems.push(`${h} is on`);
  if (list(pod.volumes).some((v) => v?.hostPath)) problems.push("a hostPath volume is mounted");
  for (const v of list(pod.volumes)) {
    const kinds = Object.keys(v ?? {}).filter((k) => !RESTRICTED_VOLUMES.has(k) && k !== "hostPath");
    if (kinds.length) problems.push(`volume ${v.name}: ${kinds.join(", ")} is not a volume type restricted allows`);
  }
  if (sc.runAsUser === 0) problems.push("pod securityContext.runAsUser is 0");
  if (sc.seccompProfile?.type === "Unconfined") problems.push("pod seccompProfile is Unconfined");
  if (sc.appArmorProfile?.type === "Unconfined") problems.push("pod appArmorProfile is Unconfined");
  if (selinuxBeyond(sc.seLinuxOptions)) problems.push("pod seLinuxOptions go beyond the container types");
  if (sc.windowsOptions?.hostProcess === true) problems.push("pod windowsOptions.hostProcess is on");
  const unsafe = list(sc.sysctls).map((x) => String(x?.name)).filter((n) => !SAFE_SYSCTLS.has(n));
  if (unsafe.length) problems.push(`pod sets sysctls ${unsafe.join(", ")}, which restricted forbids`);
  for (const c of containers) {
    const cs = c.securityContext ?? {};
    const seccomp = cs.seccompProfile?.type ?? sc.seccompProfile?.type;
    if (cs.seccompProfile?.type === "Unconfined") problems.push(`${c.name}: seccompProfile is Unconfined`);
    else if (!patch && seccomp !== "RuntimeDefault" && seccomp !== "Localhost" && seccomp !== "Unconfined") problems.push(`${c.name}: seccompProfile is not RuntimeDefault`);
    if (patch ? cs.allowPrivilegeEscalation === true : cs.allowPrivilegeEscalation !== false) problems.push(`${c.name}: allowPrivilegeEscalation is not false`);
    if (patch ? cs.readOnlyRootFilesystem === false : cs.readOnlyRootFilesystem !== true) problems.push(`${c.name}: readOnlyRootFilesystem is not true`);
    if (cs.privileged === true) problems.push(`${c.name}: privileged`);
    const drop = cs.capabilities?.drop;
    if ((!patch || drop !== undefined) && !list(drop).includes("ALL")) problems.push(`${c.name}: capabilities.drop does not include ALL`);
    // restricted lets a container add NET_BIND_SERVICE; R-WL-3 lets it add nothing.
    const added = list(cs.capabilities?.add);
    if (added.length) problems.push(`${c.name}: adds capabilities ${added.join(", ")}`);
    if (cs.runAsUser === 0) problems.push(`${c.name}: runAsUser 0`);
    if (cs.runAsNonRoot === false) problems.push(`${c.name}: runAsNonRoot is false, overriding the pod`);
    if (cs.appArmorProfile?.type === "Unconfined") problems.push(`${c.name}: appArmorProfile is Unconfined`);
    if (cs.procMount !== undefined && cs.procMount !== "Default") problems.push(`${c.name}: procMount ${cs.procMount}`);
    if (selinuxBeyond(cs.seLinuxOptions)) problems.push(`${c.name}: seLinuxOptions go beyond the container types`);
    if (cs.windowsOptions?.hostProcess === true) problems.push(`${c.name}: windowsOptions.hostProcess is on`);
    const ports = list(c.ports).filter((p) => Number(p?.hostPort ?? 0) !== 0);
    if (ports.length) problems.push(`${c.name}: hostPort ${ports.map((p) => p.hostPort).join(", ")}`);
  }
  return problems;
}

export const podHardening: ResourceValidationPolicy = {
  name: "pod-hardening",
  description:
    "R-WL-3, R-CI-5: every pod, of whatever kind carries one (Pods, workloads, Jobs, CronJobs, Argo analysis jobs and experiments, and the provider's *Patch kinds), runs as non-root with seccomp RuntimeDefault, no host namespaces, ports or paths, only the volume types and sysctls `restricted` allows, and without a service-account token unless its owner states why; containers drop all capabilities and add none, cannot escalate, have a read-only root filesystem, and never override the pod's settings with weaker ones.",
  remediationSteps: "Use the pod template's hardenedPod()/hardenedContainer() (components/model/workload.ts) or set the same fields; remove the container-level override.",
  validateResource: forPods((args, pod, what, report, patch) => {
    const problems = hardeningProblems(args, pod, patch);
    if (problems.length) report(`${what}: ${problems.join("; ")} (R-WL-3)`);
  }),
};

