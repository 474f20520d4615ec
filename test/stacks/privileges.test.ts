// R-WL-3, R-WL-6, R-WL-7, R-WL-9, R-MON-4: least privilege for the platform and its
// add-ons, over the prod stack as it renders: Pod Security levels that every pod meets,
// who can reach whom (a NetworkPolicy evaluator over the rendered policies against a
// literal table), Grafana without Secret access, Prometheus selecting only labelled
// namespaces, and secrets reaching pods only as files.
import { strict as assert } from "assert";
import * as ipaddr from "ipaddr.js";
import { parseStackConfig } from "../../components/config";
import { controllerValues } from "../../components/model/delivery";
import { monitoringPods } from "../../components/model/monitoring";
import { renderRaw } from "../../render";
import { Manifest } from "../../render/manifests";
import { STACKS, TEST_SECRETS, objects, podSpecs, stack, stackRaw } from "../helpers/mocks";
import { patchedRaw } from "../helpers/config";

const helmValues = (r: Awaited<ReturnType<typeof stack>>, chart: string): any =>
  r.resources.find((x) => x.type === "kubernetes:helm.sh/v3:Release" && x.inputs.chart === chart)!.inputs.values;

// ------------------------------------------------------------ Pod Security ----
/** Why a pod would be refused by PSA `restricted` (Kubernetes' Pod Security Standards), or []. */
function restrictedViolations(pod: { pod: any; containers: Array<{ name: string; securityContext: any }>; hostNetwork?: boolean; hostPID?: boolean; hostPathVolumes?: boolean }): string[] {
  const v: string[] = [];
  if (pod.hostNetwork) v.push("hostNetwork");
  if (pod.hostPID) v.push("hostPID");
  if (pod.hostPathVolumes) v.push("hostPath volumes");
  const podSeccomp = pod.pod.seccompProfile?.type;
  for (const c of pod.containers) {
    if (c.securityContext === "operator") continue; // set by prometheus-operator: see monitoring.ts
    const sc = c.securityContext ?? {};
    if (sc.allowPrivilegeEscalation !== false) v.push(`${c.name}: allowPrivilegeEscalation not false`);
    if (!(sc.capabilities?.drop ?? []).includes("ALL")) v.push(`${c.name}: capabilities not dropped`);
    if ((sc.capabilities?.add ?? []).some((x: string) => x !== "NET_BIND_SERVICE")) v.push(`${c.name}: adds capabilities`);
    if (sc.privileged) v.push(`${c.name}: privileged`);
    if ((sc.runAsNonRoot ?? pod.pod.runAsNonRoot) !== true) v.push(`${c.name}: runAsNonRoot not true`);
    if ((sc.runAsUser ?? pod.pod.runAsUser) === 0) v.push(`${c.name}: runs as root`);
    if (!["RuntimeDefault", "Localhost"].includes(sc.seccompProfile?.type ?? podSeccomp)) v.push(`${c.name}: no seccomp profile`);
  }
  return v;
}

describe("R-WL-9: every namespace the program owns has the strictest PSA level its pods meet", () => {
  it("R-WL-9, R-OBS-4: prod declares monitoring, argo-rollouts and observability (restricted), monitoring-node-exporter and observability-agent (privileged, each with its reason)", async () => {
    const ns = Object.fromEntries(objects(await stack("prod"), "Namespace").map((n) => [n.metadata.name, n.metadata]));
    const level = (n: string) => (ns[n].labels as any)["pod-security.kubernetes.io/enforce"];
    assert.deepEqual(Object.keys(ns).sort(), ["agent-platform-prod", "argo-rollouts", "monitoring", "monitoring-node-exporter", "observability", "observability-agent"]);
    assert.equal(level("observability"), "restricted");
    assert.equal(level("observability-agent"), "privileged");
    assert.match((ns["observability-agent"].annotations as any)["agent-platform/pod-security-reason"], /log files from the host/);
    assert.equal(level("agent-platform-prod"), "restricted");
    assert.equal(level("monitoring"), "restricted");
    assert.equal(level("argo-rollouts"), "restricted");
    assert.equal(level("monitoring-node-exporter"), "privileged");
    assert.match((ns["monitoring-node-exporter"].annotations as any)["agent-platform/pod-security-reason"], /host's network and PID namespaces/);
    for (const n of ["monitoring", "argo-rollouts", "agent-platform-prod", "observability"]) {
      assert.equal((ns[n].annotations as any)?.["agent-platform/pod-security-reason"], undefined, `${n} needs no exception`);
    }
  });

  it("R-WL-9, R-WL-3: every pod the chart values imply in monitoring and argo-rollouts meets PSA restricted; node-exporter alone needs privileged", async () => {
    const cfg = parseStackConfig(stackRaw("prod"), "prod");
    const pods = monitoringPods(cfg);
    const ctl = controllerValues(cfg);
    pods.push({ namespace: "argo-rollouts", component: "argo-rollouts", pod: ctl.podSecurityContext, containers: [{ name: "argo-rollouts", securityContext: ctl.containerSecurityContext }] });
    const byNs = (n: string) => pods.filter((p) => p.namespace === n).map((p) => p.component).sort();
    assert.deepEqual(byNs("monitoring"), ["admission-webhook-jobs", "alertmanager", "blackbox-exporter", "grafana", "kube-state-metrics", "prometheus", "prometheus-operator"]);
    assert.deepEqual(byNs("monitoring-node-exporter"), ["node-exporter"]);
    // Each pod is judged with every container its chart template runs, so none escapes the check.
    const containers = Object.fromEntries(monitoringPods(cfg).map((p) => [p.component, p.containers.map((c) => c.name)]));
    assert.deepEqual(containers, {
      "admission-webhook-jobs": ["create", "patch"],
      alertmanager: ["alertmanager", "config-reloader"],
      "blackbox-exporter": ["blackbox-exporter"],
      grafana: ["grafana", "grafana-sc-dashboard", "grafana-sc-datasources"],
      "kube-state-metrics": ["kube-state-metrics"],
      "node-exporter": ["node-exporter"],
      prometheus: ["prometheus", "config-reloader"],
      "prometheus-operator": ["prometheus-operator"],
    });
    for (const p of pods.filter((x) => x.namespace !== "monitoring-node-exporter")) {
      assert.deepEqual(restrictedViolations(p), [], `${p.namespace}/${p.component}`);
    }
    // The checker can fail: node-exporter would be refused by restricted.
    assert.deepEqual(restrictedViolations(pods.find((p) => p.component === "node-exporter")!).slice(0, 3), ["hostNetwork", "hostPID", "hostPath volumes"]);
    // Grafana's chown init container (root with CHOWN) is off, so fsGroup owns the volume instead.
    const grafana = helmValues(await stack("prod"), "kube-prometheus-stack").grafana;
    assert.equal(grafana.initChownData.enabled, false);
    assert.equal(grafana.testFramework.enabled, false);
  });

  it("R-WL-3: every pod of the platform itself (workload and Jobs) meets restricted", async () => {
    for (const s of STACKS) {
      for (const { owner, spec } of podSpecs(await stack(s))) {
        const v = restrictedViolations({ pod: spec.securityContext, containers: spec.containers.map((c: any) => ({ name: c.name, securityContext: c.securityContext })) });
        assert.deepEqual(v, [], `${s} ${owner}`);
      }
    }
  });
});

describe("R-WL-9, R-MON-4: the add-ons' access", () => {
  it("R-WL-9: Grafana has a namespaced Role, its sidecars read ConfigMaps in monitoring only (no Secrets, no ALL), cookies are secure, its volume cannot deadlock an upgrade", async () => {
    const g = helmValues(await stack("prod"), "kube-prometheus-stack").grafana;
    assert.equal(g.rbac.namespaced, true, "no ClusterRole, so no cluster-wide Secret read");
    assert.equal(g.sidecar.dashboards.resource, "configmap");
    assert.equal(g.sidecar.datasources.resource, "configmap");
    assert.equal(g.sidecar.dashboards.searchNamespace, "monitoring");
    assert.equal(g["grafana.ini"].security.cookie_secure, true);
    assert.equal(g["grafana.ini"].security.cookie_samesite, "strict");
    assert.equal(g["grafana.ini"]["auth.anonymous"].enabled, false, "R-MON-4");
    assert.deepEqual(g.deploymentStrategy, { type: "Recreate" });
  });

  it("R-WL-9: Prometheus selects monitors, probes and rules only from namespaces labelled for it, denies file access through ServiceMonitors, and our namespaces carry the label", async () => {
    const r = await stack("prod");
    const v = helmValues(r, "kube-prometheus-stack");
    const p = v.prometheus.prometheusSpec;
    const label = { matchLabels: { "agent-platform/monitoring": "enabled" } };
    for (const k of ["ruleNamespaceSelector", "serviceMonitorNamespaceSelector", "podMonitorNamespaceSelector", "probeNamespaceSelector", "scrapeConfigNamespaceSelector"]) {
      assert.deepEqual(p[k], label, k);
    }
    assert.deepEqual(v.alertmanager.alertmanagerSpec.alertmanagerConfigNamespaceSelector, label);
    assert.deepEqual(p.arbitraryFSAccessThroughSMs, { deny: true });
    for (const ns of objects(r, "Namespace")) assert.equal((ns.metadata.labels as any)["agent-platform/monitoring"], "enabled", ns.metadata.name);
    assert.equal(v["prometheus-node-exporter"].namespaceOverride, "monitoring-node-exporter");
    assert.ok(!v["kube-state-metrics"].collectors.includes("secrets"), "kube-state-metrics lists no Secrets");
    assert.equal(v.crds.upgradeJob.enabled, false, "no CRD upgrade Job with an image unpinned by digest");
  });

  it("R-WL-9: the Argo Rollouts namespace is declared by the program, not created by Helm", async () => {
    const r = await stack("prod");
    const release = r.resources.find((x) => x.type === "kubernetes:helm.sh/v3:Release" && x.inputs.chart === "argo-rollouts")!;
    assert.equal(release.inputs.createNamespace, false);
    assert.equal(release.inputs.namespace, "argo-rollouts");
    assert.deepEqual(release.options.dependsOn, ["kubernetes:core/v1:Namespace::agent-platform-delivery-controller-namespace"], "the release waits for the namespace");
    const ns = r.resources.find((x) => x.name === "agent-platform-delivery-controller-namespace")!;
    assert.equal((ns.inputs.metadata as { name: string }).name, "argo-rollouts");
  });

  it("R-WL-9: the render's summary lists every owned namespace's PSA level, the policies' intents and the add-ons' API access", async () => {
    const text = (await stack("prod")).summary;
    assert.match(text, /namespace monitoring-node-exporter: PSA privileged \(node-exporter uses/);
    assert.match(text, /namespace monitoring: PSA restricted/);
    assert.match(text, /allow-alertmanager-ingress: Alertmanager's API \(9093\) from Prometheus only/);
    assert.match(text, /grafana: Role in monitoring; Secrets: none/);
  });

  /** The summary's indented lines under a header line. */
  const linesUnder = (summary: string, header: string) => {
    const lines = summary.split("\n");
    const i = lines.indexOf(header);
    assert.ok(i >= 0, `no "${header}" in the summary`);
    const end = lines.findIndex((l, j) => j > i && !l.startsWith("    "));
    return lines.slice(i + 1, end);
  };
  /** One restricted namespace's policies, each with its reason. */
  const namespaceLines = (summary: string, ns: string) => linesUnder(summary, `  namespace ${ns}: PSA restricted`);

  it("R-WL-9, R-WL-7: prod's add-on namespaces in the summary, whole: each policy with the reason a reviewer reads", async () => {
    const text = (await stack("prod")).summary;
    assert.deepEqual(namespaceLines(text, "argo-rollouts"), [
      "    allow-controller-egress: the controller to the API server, Prometheus (9090: analyses), the platform's pods (3000: smoke tests) and GitHub over HTTPS (the plugin download, checked by its sha256)",
      "    allow-controller-metrics-ingress: the controller's metrics (8090) from Prometheus only",
      "    allow-dns-egress: DNS to kube-dns (and NodeLocal DNSCache when configured)",
      "    default-deny-all: nothing in or out unless a policy below allows it",
    ]);
    assert.deepEqual(namespaceLines(text, "monitoring"), [
      "    allow-alertmanager-egress: Alertmanager to its peers, and to the receivers over HTTPS and SMTP (587) on the internet (not 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16, 100.64.0.0/10, 169.254.0.0/16)",
      "    allow-alertmanager-ingress: Alertmanager's API (9093) from Prometheus only; its cluster port (9094) from its peers",
      "    allow-apiserver-egress: the API server (10.0.0.0/8) for the pods that watch it; not alertmanager, prometheus-blackbox-exporter",
      "    allow-blackbox-egress: the blackbox exporter to the platform's pods (agent-platform-prod, port 3000) only",
      "    allow-blackbox-ingress: the blackbox exporter (9115) from Prometheus only: no open request relay",
      "    allow-dns-egress: DNS to kube-dns (and NodeLocal DNSCache when configured)",
      "    allow-grafana-egress: Grafana to Prometheus only (its data source)",
      "    allow-grafana-ingress: Grafana (3000) from its ingress path (gateway-system) only",
      "    allow-kube-state-metrics-ingress: kube-state-metrics from Prometheus only",
      "    allow-operator-ingress: the operator's webhook and metrics port (10250) from the API server and Prometheus",
      "    allow-prometheus-ingress: Prometheus (9090) from Grafana and from the Argo Rollouts controller (argo-rollouts), nothing else",
      "    allow-prometheus-scrape-egress: Prometheus to the pods it scrapes in every namespace, to Alertmanager, and to kubelet (10250) and node-exporter (9100) on the nodes (10.0.0.0/8)",
      "    default-deny-all: nothing in or out unless a policy below allows it",
    ]);
  });

  it("R-WL-9, R-WL-7: with two API server ranges, two node ranges and two Grafana ingress namespaces, every reason names them all", async () => {
    const r = await renderRaw(
      "prod",
      patchedRaw("prod", {
        network: { apiServerCidrs: ["10.0.0.0/16", "172.20.0.0/16"], nodeCidrs: ["10.1.0.0/16", "10.2.0.0/16"] },
        monitoring: { grafana: { ingressNamespaces: ["gateway-system", "ops-gateway"] } },
        cluster: { metricsServer: { install: true } },
      }),
    );
    const named = (ns: string, ...names: string[]) => namespaceLines(r.summary, ns).filter((l) => names.some((n) => l.startsWith(`    ${n}: `)));
    assert.deepEqual(named("monitoring", "allow-apiserver-egress", "allow-grafana-ingress", "allow-prometheus-scrape-egress"), [
      "    allow-apiserver-egress: the API server (10.0.0.0/16, 172.20.0.0/16) for the pods that watch it; not alertmanager, prometheus-blackbox-exporter",
      "    allow-grafana-ingress: Grafana (3000) from its ingress path (gateway-system, ops-gateway) only",
      "    allow-prometheus-scrape-egress: Prometheus to the pods it scrapes in every namespace, to Alertmanager, and to kubelet (10250) and node-exporter (9100) on the nodes (10.1.0.0/16, 10.2.0.0/16)",
    ]);
    assert.deepEqual(named("metrics-server", "allow-apiserver-ingress", "allow-metrics-server-egress"), [
      "    allow-apiserver-ingress: metrics-server's port (10250) from the API server (10.0.0.0/16, 172.20.0.0/16), which serves metrics.k8s.io through it",
      "    allow-metrics-server-egress: metrics-server to the kubelets (10250) on the nodes (10.1.0.0/16, 10.2.0.0/16) and to the API server",
    ]);
  });

  it("R-WL-9: staging (blue/green: no Gateway API plugin to download) gives the Argo Rollouts controller no internet egress, and says so", async () => {
    const r = await stack("staging");
    assert.equal(
      namespaceLines(r.summary, "argo-rollouts")[0],
      "    allow-controller-egress: the controller to the API server, Prometheus (9090: analyses), the platform's pods (3000: smoke tests)",
    );
    const egress = objects(r, "NetworkPolicy").find((p: any) => p.metadata.namespace === "argo-rollouts" && p.metadata.name === "allow-controller-egress") as any;
    assert.deepEqual(
      egress.spec.egress.map((rule: any) => rule.to.map((peer: any) => peer.ipBlock?.cidr ?? Object.keys(peer).sort().join("+"))),
      [["10.0.0.0/8"], ["namespaceSelector+podSelector"], ["namespaceSelector+podSelector"]],
      "the API server, Prometheus, the platform's pods: no 0.0.0.0/0",
    );
  });

  it("R-WL-9: the add-ons' API access in the summary, whole: with metrics-server installed, seven grants, cluster-wide Secrets only where the chart has no narrower mode; without the monitoring stack, Argo's alone", async () => {
    const access = (summary: string) => linesUnder(summary, "  add-on API access:");
    const raw = stackRaw("prod");
    raw["agent-platform:cluster"] = { value: JSON.stringify({ metricsServer: { install: true } }), secret: false };
    assert.deepEqual(access((await renderRaw("prod", raw)).summary), [
      "    prometheus-operator: ClusterRole; Secrets: cluster-wide (writes the generated Prometheus/Alertmanager config Secrets and reads the credentials monitors reference (chart RBAC; no narrower mode))",
      "    prometheus: ClusterRole; Secrets: none (discovers scrape targets: nodes, pods, services, endpoints)",
      "    kube-state-metrics: ClusterRole; Secrets: none (lists the objects it reports on; the secrets collector is off)",
      "    grafana: Role in monitoring; Secrets: none (its sidecars read dashboard and data-source ConfigMaps there only)",
      "    node-exporter, blackbox exporter: none; Secrets: none (no Kubernetes API access (no token mounted for the blackbox exporter))",
      "    argo-rollouts controller: ClusterRole; Secrets: cluster-wide (reads Secrets that analyses and notifications reference in the Rollouts' namespaces (chart RBAC; clusterInstall); its plugin binary is pinned by sha256)",
      "    metrics-server: ClusterRole; Secrets: none (reads nodes' and pods' resource usage from the kubelets (nodes/metrics) for metrics.k8s.io; delegates authentication to the API server (chart RBAC))",
    ]);
    assert.deepEqual(access((await renderRaw("prod", patchedRaw("prod", { monitoring: { install: false } }))).summary), [
      "    argo-rollouts controller: ClusterRole; Secrets: cluster-wide (reads Secrets that analyses and notifications reference in the Rollouts' namespaces (chart RBAC; clusterInstall); its plugin binary is pinned by sha256)",
    ]);
  });
});

// ------------------------------------------------------------ reachability ----
type Labels = Record<string, string>;
type Selector = { matchLabels?: Labels; matchExpressions?: Array<{ key: string; operator: string; values?: string[] }> };
interface Pod {
  ns: string;
  labels: Labels;
}
type End = { pod: Pod } | { ip: string };

function matches(sel: Selector | undefined, labels: Labels): boolean {
  if (!sel) return true;
  for (const [k, v] of Object.entries(sel.matchLabels ?? {})) if (labels[k] !== v) return false;
  for (const e of sel.matchExpressions ?? []) {
    const has = e.key in labels;
    if (e.operator === "In" && !(has && e.values!.includes(labels[e.key]))) return false;
    if (e.operator === "NotIn" && has && e.values!.includes(labels[e.key])) return false;
    if (e.operator === "Exists" && !has) return false;
    if (e.operator === "DoesNotExist" && has) return false;
  }
  return true;
}

const inCidr = (ip: string, cidr: string) => ipaddr.parse(ip).match(ipaddr.parseCIDR(cidr));

/** Kubernetes NetworkPolicy semantics: a peer, a port, a rule, a direction. */
function peerMatches(peer: any, policyNs: string, other: End, nsLabels: Record<string, Labels>): boolean {
  if (peer.ipBlock) return "ip" in other && inCidr(other.ip, peer.ipBlock.cidr) && !(peer.ipBlock.except ?? []).some((x: string) => inCidr(other.ip, x));
  if (!("pod" in other)) return false;
  const nsOk = peer.namespaceSelector ? matches(peer.namespaceSelector, nsLabels[other.pod.ns] ?? {}) : other.pod.ns === policyNs;
  return nsOk && matches(peer.podSelector, other.pod.labels);
}
const portMatches = (ports: any[] | undefined, port: number, protocol: string) =>
  !ports || ports.some((p) => (p.protocol ?? "TCP") === protocol && (p.port === undefined || p.port === port));

/** Each namespace's labels as the API server sets them: the render's namespaces, and the cluster's own named in `others`. */
function namespaceLabels(r: Parameters<typeof objects>[0], others: string[] = []): Record<string, Labels> {
  const out: Record<string, Labels> = Object.fromEntries(others.map((n) => [n, { "kubernetes.io/metadata.name": n }]));
  for (const n of objects(r, "Namespace")) out[n.metadata.name] = { ...(n.metadata.labels as Labels), "kubernetes.io/metadata.name": n.metadata.name };
  return out;
}

function allowed(policies: Manifest[], nsLabels: Record<string, Labels>, src: End, dst: End, port: number, protocol = "TCP"): boolean {
  const direction = (self: End, type: "Egress" | "Ingress", other: End) => {
    if (!("pod" in self)) return true; // outside the cluster: no policy applies
    const applying = policies.filter(
      (p: any) => p.metadata.namespace === self.pod.ns && (p.spec.policyTypes ?? ["Ingress"]).includes(type) && matches(p.spec.podSelector, self.pod.labels),
    );
    if (applying.length === 0) return true;
    return applying.some((p: any) =>
      (type === "Egress" ? p.spec.egress : p.spec.ingress)?.some(
        (rule: any) =>
          portMatches(rule.ports, port, protocol) &&
          (!(type === "Egress" ? rule.to : rule.from) || (type === "Egress" ? rule.to : rule.from).some((peer: any) => peerMatches(peer, p.metadata.namespace as string, other, nsLabels))),
      ),
    );
  };
  return direction(src, "Egress", dst) && direction(dst, "Ingress", src);
}

describe("R-WL-7, R-WL-9: who can reach whom in prod (rendered NetworkPolicies against a literal table)", () => {
  const api: End = { pod: { ns: "agent-platform-prod", labels: { "app.kubernetes.io/name": "agent-platform", "app.kubernetes.io/instance": "agent-platform-prod", "app.kubernetes.io/component": "api" } } };
  const migration: End = { pod: { ns: "agent-platform-prod", labels: { "app.kubernetes.io/name": "agent-platform-migration" } } };
  const debug: End = { pod: { ns: "agent-platform-prod", labels: { run: "debug" } } };
  const mon = (labels: Labels): End => ({ pod: { ns: "monitoring", labels } });
  const prometheus = mon({ "app.kubernetes.io/name": "prometheus" });
  const alertmanager = mon({ "app.kubernetes.io/name": "alertmanager" });
  const grafana = mon({ "app.kubernetes.io/name": "grafana" });
  const blackbox = mon({ "app.kubernetes.io/name": "prometheus-blackbox-exporter" });
  const ksm = mon({ "app.kubernetes.io/name": "kube-state-metrics" });
  const controller: End = { pod: { ns: "argo-rollouts", labels: { "app.kubernetes.io/name": "argo-rollouts" } } };
  const gateway: End = { pod: { ns: "gateway-system", labels: { app: "envoy" } } };
  const stranger: End = { pod: { ns: "default", labels: { app: "anything" } } };
  const kubeDns: End = { pod: { ns: "kube-system", labels: { "k8s-app": "kube-dns" } } };
  const ip = (a: string): End => ({ ip: a });

  // [what, from, to, port, allowed]: REQUIREMENTS R-WL-7/R-WL-9 and issue #11, written out.
  const TABLE: Array<[string, End, End, number, boolean]> = [
    ["gateway → API", gateway, api, 3000, true],
    ["any pod elsewhere → API", stranger, api, 3000, false],
    ["Prometheus → API (scrape)", prometheus, api, 3000, true],
    ["blackbox → API (probe)", blackbox, api, 3000, true],
    ["Grafana → API", grafana, api, 3000, false],
    ["Argo controller → API (smoke test)", controller, api, 3000, true],
    ["a pod in the platform namespace → API", debug, api, 3000, false],
    ["any pod → Alertmanager", stranger, alertmanager, 9093, false],
    ["API → Alertmanager", api, alertmanager, 9093, false],
    ["Grafana → Alertmanager", grafana, alertmanager, 9093, false],
    ["Prometheus → Alertmanager", prometheus, alertmanager, 9093, true],
    ["Alertmanager → Alertmanager (cluster)", alertmanager, alertmanager, 9094, true],
    ["any pod → Prometheus", stranger, prometheus, 9090, false],
    ["Grafana → Prometheus", grafana, prometheus, 9090, true],
    ["Argo controller → Prometheus (analyses)", controller, prometheus, 9090, true],
    ["API → Prometheus", api, prometheus, 9090, false],
    ["any pod → Grafana", stranger, grafana, 3000, false],
    ["gateway → Grafana", gateway, grafana, 3000, true],
    ["any pod → blackbox /probe (relay)", stranger, blackbox, 9115, false],
    ["Prometheus → blackbox", prometheus, blackbox, 9115, true],
    ["blackbox → the internet", blackbox, ip("8.8.8.8"), 443, false],
    ["Prometheus → kube-state-metrics", prometheus, ksm, 8080, true],
    ["any pod → kube-state-metrics", stranger, ksm, 8080, false],
    ["Prometheus → kubelet on a node", prometheus, ip("10.1.2.3"), 10250, true],
    ["API → cloud metadata (169.254.169.254)", api, ip("169.254.169.254"), 443, false],
    ["API → another link-local service (the EKS Pod Identity agent)", api, ip("169.254.170.23"), 443, false],
    ["API → shared range (100.64.0.0/10)", api, ip("100.64.1.1"), 443, false],
    ["API → a private address over HTTPS", api, ip("10.9.9.9"), 443, false],
    ["API → a model API on the internet", api, ip("1.1.1.1"), 443, true],
    ["API → the database", api, ip("10.20.0.5"), 5432, true],
    ["migration Job → the database", migration, ip("10.20.0.5"), 5432, true],
    ["another pod in the namespace → the database", debug, ip("10.20.0.5"), 5432, false],
    ["API → outside the database CIDR on 5432", api, ip("10.30.0.5"), 5432, false],
    ["API → kube-dns", api, kubeDns, 53, true],
    ["Alertmanager → a receiver on the internet", alertmanager, ip("3.3.3.3"), 443, true],
    ["Alertmanager → a private address", alertmanager, ip("10.1.1.1"), 443, false],
    ["Argo controller → GitHub (plugin download)", controller, ip("140.82.112.3"), 443, true],
    ["Argo controller → the database", controller, ip("10.20.0.5"), 5432, false],
  ];

  it("R-WL-7, R-WL-9: the reachability table of prod", async () => {
    const r = await stack("prod");
    const policies = objects(r, "NetworkPolicy");
    const nsLabels = namespaceLabels(r, ["gateway-system", "default", "kube-system"]);
    const got = TABLE.map(([what, s, d, port]) => [what, allowed(policies, nsLabels, s, d, port)]);
    assert.deepEqual(got, TABLE.map(([what, , , , want]) => [what, want]));
  });

  it("R-WL-7: NodeLocal DNSCache, when configured, is reachable for DNS and nothing else", async () => {
    const r = await renderRaw("prod", stackRaw("prod", { network: { databaseCidrs: ["10.20.0.0/16"], nodeLocalDns: "169.254.20.10" } }));
    const policies = objects(r, "NetworkPolicy");
    const nsLabels = namespaceLabels(r);
    assert.equal(allowed(policies, nsLabels, api, ip("169.254.20.10"), 53, "UDP"), true);
    assert.equal(allowed(policies, nsLabels, api, ip("169.254.20.10"), 443), false);
    const stock = await stack("prod");
    assert.equal(allowed(objects(stock, "NetworkPolicy"), nsLabels, api, ip("169.254.20.10"), 53, "UDP"), false, "not without the setting");
  });

  it("R-WL-9: Alertmanager reaches an internal receiver only in the ranges declared for it, on the receiver ports, and its annotation says so", async () => {
    const raw = stackRaw("prod", { network: { databaseCidrs: ["10.20.0.0/16"] }, monitoring: { alertmanager: { internalReceiverCidrs: ["10.50.0.0/24", "10.60.1.0/24"] } } });
    const r = await renderRaw("prod", raw);
    const policies = objects(r, "NetworkPolicy");
    const nsLabels = namespaceLabels(r);
    assert.equal(allowed(policies, nsLabels, alertmanager, ip("10.50.0.7"), 443), true);
    assert.equal(allowed(policies, nsLabels, alertmanager, ip("10.60.1.200"), 587), true, "SMTP, the smarthost's port");
    assert.equal(allowed(policies, nsLabels, alertmanager, ip("10.60.2.1"), 443), false, "next to a declared range");
    assert.equal(allowed(policies, nsLabels, alertmanager, ip("10.50.0.7"), 5432), false, "only the receiver ports");
    assert.equal(allowed(policies, nsLabels, api, ip("10.50.0.7"), 443), false, "Alertmanager's ranges, not the platform's");
    assert.equal(allowed(objects(await stack("prod"), "NetworkPolicy"), nsLabels, alertmanager, ip("10.50.0.7"), 443), false, "not without the setting");
    const policy = (policies as any[]).find((p) => p.metadata.namespace === "monitoring" && p.metadata.name === "allow-alertmanager-egress");
    assert.equal(
      policy.metadata.annotations["agent-platform/why"],
      "Alertmanager to its peers, and to the receivers over HTTPS and SMTP (587) on the internet (not 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16, 100.64.0.0/10, 169.254.0.0/16) and 10.50.0.0/24, 10.60.1.0/24",
    );
  });

  it("R-WL-7: declared egress reaches its CIDR on its ports, with exceptions only where declared, and its annotation says so", async () => {
    const declared = (r: Awaited<ReturnType<typeof stack>>) => (objects(r, "NetworkPolicy") as any[]).find((p) => p.metadata.name === "allow-declared-egress");
    const stock = declared(await stack("prod"));
    assert.equal(
      stock.metadata.annotations["agent-platform/why"],
      "the platform pods to 0.0.0.0/0 (except 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16, 100.64.0.0/10, 169.254.0.0/16):443",
    );
    const r = await renderRaw("prod", stackRaw("prod", { network: { databaseCidrs: ["10.20.0.0/16"], egress: [{ cidr: "203.0.113.0/24", except: [], ports: [443, 8443] }] } }));
    const whole = declared(r);
    assert.equal(whole.metadata.annotations["agent-platform/why"], "the platform pods to 203.0.113.0/24:443,8443");
    assert.deepEqual(whole.spec.egress, [
      {
        to: [{ ipBlock: { cidr: "203.0.113.0/24" } }],
        ports: [
          { protocol: "TCP", port: 443 },
          { protocol: "TCP", port: 8443 },
        ],
      },
    ]);
  });
});

// ------------------------------------------------------------ secrets as files ----
describe("R-WL-6: secrets reach pods as read-only files, never as environment variables (unless a stack opts in)", () => {
  for (const s of STACKS) {
    it(`R-WL-6: ${s}: no env var of any pod carries or references a secret; the Secret is mounted read-only, mode 0400`, async () => {
      const r = await stack(s);
      const specs = podSpecs(r);
      assert.ok(specs.length >= 2, "the workload and the migration Job");
      for (const { owner, spec } of specs) {
        for (const c of spec.containers) {
          for (const e of c.env ?? []) {
            assert.equal(e.valueFrom?.secretKeyRef, undefined, `${owner}/${c.name} ${e.name} references a Secret`);
            for (const v of Object.values(TEST_SECRETS)) assert.ok(!String(e.value ?? "").includes(v), `${owner}/${c.name} ${e.name}`);
          }
          assert.equal((c.envFrom ?? []).filter((x: any) => x.secretRef).length, 0);
        }
        // Every Secret a pod mounts is read-only to its owner; every mount of it read-only.
        for (const vol of (spec.volumes ?? []).filter((v: any) => v.secret)) {
          assert.equal(vol.secret.defaultMode, 0o400, `${owner} mounts ${vol.secret.secretName} with mode 0400`);
          for (const c of [...spec.containers, ...(spec.initContainers ?? [])]) {
            const mount = (c.volumeMounts ?? []).find((m: any) => m.name === vol.name);
            if (mount) assert.equal(mount.readOnly, true, `${owner}/${c.name} mounts ${vol.name} read-only`);
          }
        }
        // The platform's own pods read the platform Secret through *_FILE variables.
        if (/^(Deployment|Rollout)\/agent-platform$|^Job\/agent-platform-migrate-/.test(owner)) {
          const vol = spec.volumes.find((v: any) => v.secret?.secretName === "agent-platform-secrets");
          assert.ok(vol, `${owner} mounts the platform Secret`);
          const fileVars = Object.fromEntries(spec.containers[0].env.map((e: any) => [e.name, e.value]));
          assert.equal(fileVars.DATABASE_URL_FILE, "/app/secrets/DATABASE_URL");
        }
      }
      const owners = specs.map((x) => x.owner);
      assert.ok(owners.some((o) => /^Job\/agent-platform-migrate-/.test(o)) && owners.some((o) => /^(Deployment|Rollout)\//.test(o)));
    });
  }

  it("R-WL-6: `app.secretsAs: env` opts into variables from the Secret (still no value inline)", async () => {
    const r = await renderRaw("dev", stackRaw("dev", { app: { secretsAs: "env" } }));
    const api = podSpecs(r).find((p) => p.owner === "Deployment/agent-platform")!.spec.containers[0];
    assert.deepEqual(api.env.find((e: any) => e.name === "DATABASE_URL").valueFrom.secretKeyRef, { name: "agent-platform-secrets", key: "DATABASE_URL" });
  });
});
