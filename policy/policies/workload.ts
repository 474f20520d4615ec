// Workload policies (R-WL, R-ENV-8, R-DATA-4): resources and probes, pod hardening,
// pinned images, no plain-text secrets, Pod Security labels, no mocked services outside dev.
import type { ResourceValidationPolicy } from "@pulumi/policy";
import { LONG_RUNNING, containersOf, forPods, forType, list, parseImage } from "./common";

export const resourcesAndProbes: ResourceValidationPolicy = {
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

export const podHardening: ResourceValidationPolicy = {
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

export const imagesPinned: ResourceValidationPolicy = {
  name: "images-pinned",
  description: "R-DATA-4: no container image is untagged or `latest`: every image names a fixed tag or a digest.",
  remediationSteps: "Pin the image by a release tag, or better by digest (…@sha256:<digest>).",
  validateResource: forPods((_args, pod, what, report) => {
    for (const c of containersOf(pod)) {
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

export const prodImageDigests: ResourceValidationPolicy = {
  name: "prod-image-digests",
  description: "R-DATA-4: prod deploys images pinned by digest (an untagged or latest image is images-pinned's to report).",
  remediationSteps: "Set the image to …@sha256:<digest> (docs/data.md: how to read the digest).",
  validateResource: forPods((_args, pod, what, report) => {
    for (const c of containersOf(pod)) {
      // An unparseable, untagged or latest image is images-pinned's to report.
      const { tag, digest } = parseImage(String(c.image ?? "")) ?? {};
      if (!digest && tag && tag !== "latest") report(`${what}: container ${c.name} runs ${c.image} without a digest; prod pins images by digest (R-DATA-4)`);
    }
  }),
};

const SECRET_NAME = /(PASSWORD|PASSWD|SECRET|TOKEN|API_?KEY|PRIVATE_?KEY|CREDENTIALS?|DATABASE_URL)$/i;

export const noPlaintextSecrets: ResourceValidationPolicy = {
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

export const namespacePsa: ResourceValidationPolicy = {
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

export const noExternalServices: ResourceValidationPolicy = {
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
