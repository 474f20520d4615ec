// Exposure and access policies (R-WL-7, R-WL-9, R-CI-5): Pod Security labels at
// `restricted` unless a reason is stated, no Service that leaves the cluster, no Ingress
// without TLS, no NetworkPolicy that allows everything, no binding to cluster-admin and no
// ClusterRole that reads Secrets cluster-wide.
import type { ResourceValidationPolicy } from "@pulumi/policy";
import { type Props, forType, list } from "./common";

export const PSA_REASON = "agent-platform/pod-security-reason";

export const namespacePsa: ResourceValidationPolicy = {
  name: "namespace-pod-security",
  description:
    "R-WL-7, R-WL-9: every namespace we declare states Pod Security Admission enforce, audit and warn levels, each restricted unless the namespace states why its pods need less.",
  remediationSteps: `Label the namespace pod-security.kubernetes.io/{enforce,audit,warn}: restricted; a namespace whose pods need baseline or privileged carries the annotation ${PSA_REASON}.`,
  validateResource: forType("kubernetes:core/v1:Namespace", (props, what, report) => {
    const labels = props.metadata?.labels ?? {};
    const missing = ["enforce", "audit", "warn"].filter((m) => !labels[`pod-security.kubernetes.io/${m}`]);
    if (missing.length) report(`${what}: no Pod Security Admission ${missing.join(", ")} label; label it restricted (R-WL-7)`);
    const reason = String(props.metadata?.annotations?.[PSA_REASON] ?? "").trim();
    if (reason) return;
    // A privileged label means metadata exists.
    if (labels["pod-security.kubernetes.io/enforce"] === "privileged") {
      report(`${what}: enforces privileged without an ${PSA_REASON} annotation (R-WL-9)`);
      return;
    }
    const weaker = ["enforce", "audit", "warn"].filter((m) => labels[`pod-security.kubernetes.io/${m}`] !== undefined && labels[`pod-security.kubernetes.io/${m}`] !== "restricted");
    if (weaker.length) {
      report(`${what}: ${weaker.map((m) => `${m} ${labels[`pod-security.kubernetes.io/${m}`]}`).join(", ")}, weaker than restricted without an ${PSA_REASON} annotation (R-WL-7, R-WL-9)`);
    }
  }),
};

export const noExternalServices: ResourceValidationPolicy = {
  name: "no-external-services",
  description:
    "R-WL-7, R-CI-5: no Service of type LoadBalancer or NodePort and none with externalIPs (traffic enters through the Gateway), unless listed in this policy's allowedServices config.",
  remediationSteps: "Use a ClusterIP Service behind the Gateway API HTTPRoute, or list namespace/name in allowedServices in policy/config/<stack>.json.",
  configSchema: { properties: { allowedServices: { type: "array", items: { type: "string" }, default: [] } } },
  validateResource: forType("kubernetes:core/v1:Service", (props, what, report, args) => {
    const type = props.spec?.type;
    const external = list(props.spec?.externalIPs);
    const allowedServices = list(args.getConfig<{ allowedServices?: string[] }>().allowedServices);
    const id = `${props.metadata?.namespace}/${props.metadata?.name}`;
    if (allowedServices.includes(id)) return;
    if (type === "LoadBalancer" || type === "NodePort") report(`${what}: type ${type} exposes it outside the cluster; use ClusterIP behind the Gateway (R-WL-7)`);
    if (external.length) report(`${what}: externalIPs ${external.join(", ")} expose it outside the cluster; remove them and route through the Gateway (R-WL-7)`);
  }),
};

export const ingressTls: ResourceValidationPolicy = {
  name: "ingress-tls",
  description: "R-WL-7, R-CI-5: an Ingress (beside the Gateway) serves every host it routes over TLS.",
  remediationSteps: "Prefer an HTTPRoute on the Gateway; otherwise list every host of the Ingress's rules under spec.tls with a certificate Secret.",
  validateResource: forType("kubernetes:networking.k8s.io/v1:Ingress", (props, what, report) => {
    const covered = new Set(list(props.spec?.tls).flatMap((t) => list(t?.hosts)));
    const hosts = list(props.spec?.rules).map((r) => r?.host ?? "*");
    if (list(props.spec?.tls).length === 0) report(`${what}: no TLS; traffic to it is plain HTTP (R-WL-7)`);
    else {
      const plain = hosts.filter((h) => !covered.has(h));
      if (plain.length) report(`${what}: hosts ${plain.join(", ")} are served without TLS (R-WL-7)`);
    }
  }),
};

const WORLD = new Set(["0.0.0.0/0", "::/0"]);
/** A peer list that admits everyone: none given, an empty peer, or the whole address space without exceptions. */
const anyone = (peers: unknown) =>
  list(peers).length === 0 || list(peers).some((p) => (p && Object.keys(p).length === 0) || (WORLD.has(p?.ipBlock?.cidr) && list(p.ipBlock.except).length === 0));

export const networkPolicyNotAllowAll: ResourceValidationPolicy = {
  name: "network-policy-not-allow-all",
  description:
    "R-WL-7, R-CI-5: no NetworkPolicy rule allows all traffic (any peer on any port, in or out): it would undo the namespace's default deny.",
  remediationSteps: "Name the peers (podSelector, namespaceSelector, an ipBlock with exceptions) and the ports each rule allows, as components/model/isolation.ts does.",
  validateResource: forType("kubernetes:networking.k8s.io/v1:NetworkPolicy", (props, what, report) => {
    const open = (rules: unknown, peerKey: "from" | "to") => list(rules).some((r: Props) => anyone(r?.[peerKey]) && list(r?.ports).length === 0);
    if (open(props.spec?.ingress, "from")) report(`${what}: an ingress rule allows every source on every port; name peers and ports (R-WL-7)`);
    if (open(props.spec?.egress, "to")) report(`${what}: an egress rule allows every destination on every port; name peers and ports (R-WL-7)`);
  }),
};

const BINDINGS = ["kubernetes:rbac.authorization.k8s.io/v1:ClusterRoleBinding", "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding"];

export const noClusterAdmin: ResourceValidationPolicy = {
  name: "no-cluster-admin-or-cluster-wide-secret-reads",
  description:
    "R-WL-9, R-CI-5: nothing is bound to cluster-admin, and no ClusterRole reads Secrets in every namespace (get, list or watch on secrets, or a wildcard), unless listed in this policy's allowedClusterRoles config.",
  remediationSteps: "Bind a Role with the verbs and resources the component needs in its own namespace; list a ClusterRole that truly needs Secrets in allowedClusterRoles with the reason in docs.",
  configSchema: { properties: { allowedClusterRoles: { type: "array", items: { type: "string" }, default: [] } } },
  validateResource: [
    ...BINDINGS.map((type) =>
      forType(type, (props, what, report) => {
        const ref = props.roleRef ?? {};
        if (ref.kind === "ClusterRole" && ref.name === "cluster-admin") report(`${what}: binds cluster-admin; bind a Role with only what is needed (R-WL-9)`);
      }),
    ),
    forType("kubernetes:rbac.authorization.k8s.io/v1:ClusterRole", (props, what, report, args) => {
      const allowed = list(args.getConfig<{ allowedClusterRoles?: string[] }>().allowedClusterRoles);
      if (allowed.includes(props.metadata?.name)) return;
      const reads = list(props.rules).some(
        (r: Props) =>
          list(r?.apiGroups).some((g) => g === "" || g === "*") &&
          list(r?.resources).some((x) => x === "secrets" || x === "*") &&
          list(r?.verbs).some((v) => ["get", "list", "watch", "*"].includes(v)),
      );
      if (reads) report(`${what}: reads Secrets in every namespace; use a Role in the namespace that holds them (R-WL-9)`);
    }),
  ],
};
