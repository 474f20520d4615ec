// R-ENV-13, R-ENV-14, R-PD-10 over the mocked resource graph: options the provider can
// honour, stable names with aliases, the prerequisites a stack installs, and the Job
// through which `pulumi up` learns the rollout's verdict.
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { ROOT } from "../../components/config/stackFile";
import { renderRaw } from "../../render";
import type { RecordedResource } from "../../render/mockRuntime";
import { STACKS, objects, one, stack, stackRaw, tcpPorts } from "../helpers/mocks";
import { modelFor } from "../helpers/schemas";

const byName = (resources: RecordedResource[], name: string) => {
  const r = resources.find((x) => x.name === name);
  assert.ok(r, `no resource ${name}`);
  return r;
};

/** prod with every prerequisite installed by the stack. */
const INSTALL_ALL = {
  gatewayApi: { install: true },
  gateway: { install: true, className: "amazon-vpc-lattice", protocol: "HTTPS", port: 443, tlsSecretName: "platform-tls" },
  metricsServer: { install: true },
  storageClass: { install: true, name: "gp3", makeDefault: true },
};
const prodWith = (cluster: Record<string, unknown>) => {
  const raw = stackRaw("prod");
  raw["agent-platform:cluster"] = { value: JSON.stringify(cluster), secret: false };
  return renderRaw("prod", raw);
};

describe("R-ENV-13: resource options the engine and the providers honour", () => {
  it("R-ENV-13: no ignoreChanges path of any stack indexes an array (server-side apply cannot follow one) or is listed twice on a resource", async () => {
    const paths: string[] = [];
    for (const s of STACKS) {
      for (const r of (await stack(s)).resources) {
        const own = r.options.ignoreChanges ?? [];
        assert.equal(new Set(own).size, own.length, `${s} ${r.name}`);
        paths.push(...own.map((p) => `${s} ${r.type} ${p}`));
      }
    }
    assert.deepEqual(paths.filter((p) => p.includes("[")), []);
    assert.ok(paths.includes("prod kubernetes:gateway.networking.k8s.io/v1:HTTPRoute spec.rules"), "the stacks do ignore fields, or this proves nothing");
  });

  it("R-ENV-13: logical names do not carry configured names; the old ones are aliases, so a rename keeps state", async () => {
    const r = await stack("dev");
    const ns = byName(r.resources, "isolation-namespace");
    assert.deepEqual(ns.options.aliases, ["name=agent-platform-dev"]);
    assert.equal(ns.options.retainOnDelete, true, "dev's namespace holds the in-cluster database's volume: forgotten, never deleted, by a rename or destroy");
    assert.deepEqual(byName(r.resources, "isolation-quota").options.aliases, ["name=agent-platform-dev-quota"]);
    assert.deepEqual(byName(r.resources, "isolation-default-deny-all").options.aliases, ["name=agent-platform-dev-default-deny-all"]);
    const renamed = stackRaw("dev");
    renamed["agent-platform:namespace"] = { value: "platform-dev", secret: false };
    const after = await renderRaw("dev", renamed);
    const moved = byName(after.resources, "isolation-namespace");
    assert.equal((moved.inputs.metadata as { name: string }).name, "platform-dev", "the same resource, a new name");
    assert.deepEqual(moved.options.aliases, ["name=platform-dev"]);
    const prod = byName((await stack("prod")).resources, "isolation-namespace");
    assert.equal(prod.options.retainOnDelete, undefined, "prod's data is on RDS: its namespace holds none");
    const monitoring = byName((await stack("prod")).resources, "monitoring-monitoring-namespace");
    assert.deepEqual(monitoring.options, { aliases: ["name=monitoring-monitoring"], retainOnDelete: true });
  });

  it("R-ENV-13: the render writes each Kubernetes object's options above it, so the render diff shows a changed option", async () => {
    const r = await stack("prod");
    const route = Object.entries(r.files).find(([f]) => /^kubernetes\/\d{3}-httproute-/.test(f))!;
    assert.match(route[1], /^# pulumi options: \{"ignoreChanges":\["spec\.rules"\]\}\napiVersion: gateway\.networking\.k8s\.io\/v1\n/);
    assert.match(r.files["kubernetes/all.yaml"], /\n---\n# pulumi options: \{"ignoreChanges":\["spec\.rules"\]\}\napiVersion: gateway\.networking\.k8s\.io\/v1\nkind: HTTPRoute\n/);
    assert.match(r.files["resources.txt"], /^aws:rds\/instance:Instance memory-store-db \{"protect":true,"additionalSecretOutputs":\["password","passwordWo"\],"dependsOn":\["aws:iam\/rolePolicyAttachment:RolePolicyAttachment::memory-store-monitoring"\]\}$/m);
    assert.match(r.files["resources.txt"], /^kubernetes:core\/v1:Namespace isolation-namespace \{"aliases":\["name=agent-platform-prod"\]\}$/m);
    const plain = Object.entries(r.files).find(([f]) => /^kubernetes\/\d{3}-resourcequota-/.test(f))!;
    assert.match(plain[1], /^# pulumi options: \{"aliases":/, "the quota's only option is its alias");
  });

  it("R-ENV-13: the Kubernetes provider adopts existing objects only when the stack says so", async () => {
    const provider = (await stack("prod")).resources.find((x) => x.type === "pulumi:providers:kubernetes")!;
    assert.equal(provider.inputs.upsertExistingObjects, "false");
    const raw = stackRaw("prod");
    raw["agent-platform:cluster"] = { value: JSON.stringify({ adoptExistingObjects: true }), secret: false };
    const adopted = (await renderRaw("prod", raw)).resources.find((x) => x.type === "pulumi:providers:kubernetes")!;
    assert.equal(adopted.inputs.upsertExistingObjects, "true");
  });

  it("R-ENV-13: chart defaults deleted with null reach Helm: the Kubernetes provider keeps nulls in release values from 4.30.0 on, and the pinned provider is at least that", async () => {
    // Before 4.30.0 the provider dropped null values (pulumi-kubernetes #2034, fixed by
    // #2997: CHANGELOG 4.30.0), and the chart's defaults stayed: the collectors' Jaeger,
    // Zipkin and self-scrape receivers and their debug pipelines, Tempo's Jaeger and
    // OTLP/HTTP receivers. These are the nulls the releases carry:
    const nulls = (v: unknown, at = ""): string[] =>
      v === null ? [at] : v && typeof v === "object" ? Object.entries(v).flatMap(([k, x]) => nulls(x, `${at}.${k}`)) : [];
    const releases = (await stack("prod")).resources.filter((x) => x.type === "kubernetes:helm.sh/v3:Release");
    const found = releases.flatMap((x) => nulls((x.inputs as { values?: unknown }).values).map((p) => `${(x.inputs as { name: string }).name}${p}`));
    assert.deepEqual(found.sort(), [
      "otel-agent.config.receivers.jaeger",
      "otel-agent.config.receivers.otlp",
      "otel-agent.config.receivers.prometheus",
      "otel-agent.config.receivers.zipkin",
      "otel-agent.config.service.pipelines.metrics",
      "otel-agent.config.service.pipelines.traces",
      "otel-gateway.config.receivers.jaeger",
      "otel-gateway.config.receivers.prometheus",
      "otel-gateway.config.receivers.zipkin",
      "otel-gateway.config.service.pipelines.metrics",
      "tempo.tempo.receivers.jaeger",
      "tempo.tempo.receivers.otlp.protocols.http",
    ]);
    // The SDK registers its resources with the provider plugin of its own version
    // (package.json "pulumi.version"), so the pin and the installed SDK decide the plugin.
    const atLeast = (v: string, min: number[]) => {
      const n = /^(\d+)\.(\d+)\.(\d+)$/.exec(v)!.slice(1).map(Number);
      const i = n.findIndex((x, j) => x !== min[j]);
      return i < 0 || n[i] > min[i];
    };
    const pinned = (JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { dependencies: Record<string, string> }).dependencies["@pulumi/kubernetes"];
    const sdk = JSON.parse(fs.readFileSync(require.resolve("@pulumi/kubernetes/package.json"), "utf8")) as { version: string; pulumi: { version: string } };
    for (const [what, v] of [["package.json's pin", pinned], ["the installed SDK", sdk.version], ["the plugin it asks for", sdk.pulumi.version]]) {
      assert.ok(atLeast(v, [4, 30, 0]), `${what}: @pulumi/kubernetes ${v} drops null release values; 4.30.0 or later keeps them`);
    }
    assert.deepEqual([atLeast("4.30.0", [4, 30, 0]), atLeast("4.29.9", [4, 30, 0]), atLeast("5.0.0", [4, 30, 0]), atLeast("3.99.0", [4, 30, 0])], [true, false, true, false]);
  });
});

describe("R-ENV-14: prerequisites the stack installs", () => {
  it("R-ENV-14: by default a stack installs none of them", async () => {
    for (const s of STACKS) {
      const r = await stack(s);
      assert.deepEqual(
        r.resources.filter((x) => /^cluster-/.test(x.name)).map((x) => x.type),
        [],
        `${s}: nothing under the ClusterPrerequisites component`,
      );
      assert.deepEqual(objects(r, "StorageClass"), []);
      assert.deepEqual(objects(r, "Gateway"), []);
    }
  });

  it("R-ENV-14: prod installing all: the pinned CRD manifest, the Gateway in its own restricted namespace, metrics-server, the StorageClass", async () => {
    const r = await prodWith(INSTALL_ALL);
    const crds = byName(r.resources, "cluster-gateway-api-crds");
    assert.equal(crds.type, "kubernetes:yaml/v2:ConfigFile");
    assert.equal(crds.inputs.file, "https://github.com/kubernetes-sigs/gateway-api/releases/download/v1.2.1/standard-install.yaml");
    assert.equal(crds.options.retainOnDelete, true, "shared CRDs outlive the stack");

    const gw = one(r, "Gateway", "platform-gateway") as any;
    assert.equal(gw.metadata.namespace, "gateway-system");
    assert.deepEqual(gw.spec, {
      gatewayClassName: "amazon-vpc-lattice",
      listeners: [
        {
          name: "https",
          protocol: "HTTPS",
          port: 443,
          tls: { mode: "Terminate", certificateRefs: [{ kind: "Secret", name: "platform-tls" }] },
          allowedRoutes: { namespaces: { from: "Selector", selector: { matchLabels: { "kubernetes.io/metadata.name": "agent-platform-prod" } } } },
        },
      ],
    });
    const gwNs = one(r, "Namespace", "gateway-system") as any;
    assert.equal(gwNs.metadata.labels["pod-security.kubernetes.io/enforce"], "restricted");
    assert.deepEqual(
      objects(r, "NetworkPolicy").filter((p) => p.metadata.namespace === "gateway-system").map((p) => p.metadata.name).sort(),
      ["allow-dns-egress", "allow-listener-ingress", "allow-platform-egress", "default-deny-all"],
    );

    const ms = byName(r.resources, "cluster-metrics-server");
    assert.deepEqual(
      { chart: ms.inputs.chart, version: ms.inputs.version, namespace: ms.inputs.namespace, repo: (ms.inputs.repositoryOpts as { repo: string }).repo },
      { chart: "metrics-server", version: "3.13.0", namespace: "metrics-server", repo: "https://kubernetes-sigs.github.io/metrics-server/" },
    );
    assert.deepEqual(ms.inputs.values, {
      replicas: 2,
      resources: { requests: { cpu: "100m", memory: "200Mi" }, limits: { cpu: "500m", memory: "400Mi" } },
      podDisruptionBudget: { enabled: true, minAvailable: 1 },
    });
    const msNs = one(r, "Namespace", "metrics-server") as any;
    assert.equal(msNs.metadata.labels["pod-security.kubernetes.io/enforce"], "restricted");
    const ingress = one(r, "NetworkPolicy", "allow-apiserver-ingress") as any;
    assert.deepEqual(ingress.spec.ingress, [{ from: [{ ipBlock: { cidr: "10.0.0.0/8" } }], ports: [{ protocol: "TCP", port: 10250 }] }]);

    const sc = one(r, "StorageClass", "gp3") as any;
    assert.deepEqual(
      { provisioner: sc.provisioner, parameters: sc.parameters, reclaimPolicy: sc.reclaimPolicy, binding: sc.volumeBindingMode, expand: sc.allowVolumeExpansion, isDefault: sc.metadata.annotations },
      {
        provisioner: "ebs.csi.aws.com",
        parameters: { type: "gp3", encrypted: "true" },
        reclaimPolicy: "Retain",
        binding: "WaitForFirstConsumer",
        expand: true,
        isDefault: { "storageclass.kubernetes.io/is-default-class": "true" },
      },
    );
  });

  it("R-ENV-14, R-WL-9: prod installing all: the Gateway's and metrics-server's NetworkPolicies whole, each with its reason", async () => {
    const r = await prodWith(INSTALL_ALL);
    const policies = objects(r, "NetworkPolicy")
      .filter((p: any) => ["gateway-system", "metrics-server"].includes(p.metadata.namespace))
      .map((p: any) => ({ at: `${p.metadata.namespace}/${p.metadata.name}`, why: p.metadata.annotations["agent-platform/why"], spec: p.spec }))
      .sort((a, b) => a.at.localeCompare(b.at));
    const deny = { podSelector: {}, policyTypes: ["Ingress", "Egress"] };
    const cidr = { ipBlock: { cidr: "10.0.0.0/8" } }; // prod's API server and node ranges
    const metricsServer = { matchLabels: { "app.kubernetes.io/name": "metrics-server" } };
    assert.deepEqual(policies, [
      {
        at: "gateway-system/allow-dns-egress",
        why: "DNS to kube-dns (and NodeLocal DNSCache when configured)",
        spec: {
          podSelector: {},
          policyTypes: ["Egress"],
          egress: [
            {
              to: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "kube-system" } }, podSelector: { matchLabels: { "k8s-app": "kube-dns" } } }],
              ports: [{ protocol: "UDP", port: 53 }, ...tcpPorts(53)],
            },
          ],
        },
      },
      {
        at: "gateway-system/allow-listener-ingress",
        why: "the Gateway's HTTPS listener (443) from anywhere: it is the public entry",
        spec: { podSelector: {}, policyTypes: ["Ingress"], ingress: [{ ports: tcpPorts(443) }] },
      },
      {
        at: "gateway-system/allow-platform-egress",
        why: "the Gateway's proxies to the platform's pods (agent-platform-prod, port 3000) only",
        spec: {
          podSelector: {},
          policyTypes: ["Egress"],
          egress: [
            {
              to: [
                {
                  namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "agent-platform-prod" } },
                  podSelector: { matchLabels: { "app.kubernetes.io/name": "agent-platform", "app.kubernetes.io/instance": "agent-platform-prod" } },
                },
              ],
              ports: tcpPorts(3000),
            },
          ],
        },
      },
      { at: "gateway-system/default-deny-all", why: "nothing in or out unless a policy below allows it", spec: deny },
      {
        at: "metrics-server/allow-apiserver-ingress",
        why: "metrics-server's port (10250) from the API server (10.0.0.0/8), which serves metrics.k8s.io through it",
        spec: { podSelector: metricsServer, policyTypes: ["Ingress"], ingress: [{ from: [cidr], ports: tcpPorts(10250) }] },
      },
      {
        at: "metrics-server/allow-metrics-server-egress",
        why: "metrics-server to the kubelets (10250) on the nodes (10.0.0.0/8) and to the API server",
        spec: {
          podSelector: metricsServer,
          policyTypes: ["Egress"],
          egress: [
            { to: [cidr], ports: tcpPorts(10250) },
            { to: [cidr], ports: tcpPorts(443, 6443) },
          ],
        },
      },
      { at: "metrics-server/default-deny-all", why: "nothing in or out unless a policy below allows it", spec: deny },
    ]);
  });

  it("R-CI-1, R-ENV-14: every object of prod installing all passes its schema (kubernetes-models, gateway-api)", async () => {
    const r = await prodWith(INSTALL_ALL);
    for (const m of r.manifests) {
      const Model = modelFor(m);
      assert.ok(Model, `no schema for ${m.apiVersion} ${m.kind}`);
      assert.doesNotThrow(() => new Model!(m).validate(), `${m.kind}/${m.metadata.name}`);
    }
    assert.ok(r.manifests.some((m) => m.kind === "Gateway") && r.manifests.some((m) => m.kind === "StorageClass"));
  });

  it("R-ENV-14: what uses a prerequisite waits for it: the HTTPRoute for the CRDs and the Gateway, the HPA for metrics-server, the volumes for the class", async () => {
    const r = await prodWith(INSTALL_ALL);
    const route = r.resources.find((x) => x.type === "kubernetes:gateway.networking.k8s.io/v1:HTTPRoute")!;
    assert.deepEqual(route.options.dependsOn, ["kubernetes:yaml/v2:ConfigFile::cluster-gateway-api-crds", "kubernetes:gateway.networking.k8s.io/v1:Gateway::cluster-gateway"]);
    const hpa = r.resources.find((x) => x.type === "kubernetes:autoscaling/v2:HorizontalPodAutoscaler")!;
    assert.ok(hpa.options.dependsOn?.includes("kubernetes:helm.sh/v3:Release::cluster-metrics-server"));
    const kps = byName(r.resources, "monitoring-kube-prometheus-stack");
    assert.ok(kps.options.dependsOn?.includes("kubernetes:storage.k8s.io/v1:StorageClass::cluster-storage-class"));
    const v = kps.inputs.values as any;
    assert.equal(v.prometheus.prometheusSpec.storageSpec.volumeClaimTemplate.spec.storageClassName, "gp3");
    assert.equal(v.alertmanager.alertmanagerSpec.storage.volumeClaimTemplate.spec.storageClassName, "gp3");
    assert.equal(v.grafana.persistence.storageClassName, "gp3");
  });

  it("R-ENV-14: a named class is claimed by every volume even when the cluster provides it; unnamed, the cluster's default", async () => {
    const named = stackRaw("dev");
    named["agent-platform:cluster"] = { value: JSON.stringify({ storageClass: { name: "standard" } }), secret: false };
    const r = await renderRaw("dev", named);
    assert.equal((one(r, "StatefulSet") as any).spec.volumeClaimTemplates[0].spec.storageClassName, "standard");
    assert.equal((byName(r.resources, "monitoring-kube-prometheus-stack").inputs.values as any).grafana.persistence.storageClassName, "standard");
    assert.deepEqual(objects(r, "StorageClass"), [], "named, not installed");
    const d = await stack("dev");
    assert.equal((one(d, "StatefulSet") as any).spec.volumeClaimTemplates[0].spec.storageClassName, undefined);
    assert.equal((byName(d.resources, "monitoring-kube-prometheus-stack").inputs.values as any).prometheus.prometheusSpec.storageSpec.volumeClaimTemplate.spec.storageClassName, undefined);
  });

  it("R-ENV-14: the summary says what the stack installs and what it requires of the cluster", async () => {
    const prod = (await stack("prod")).summary;
    assert.match(prod, /^Prerequisites \(R-ENV-14; checked by `pulumi preview` and `npm run preflight -- prod`\):$/m);
    assert.match(prod, /^ {2}required of the cluster: metrics-server \(metrics\.k8s\.io\/v1beta1\): the HPA scales on CPU and memory, which only metrics-server reports$/m);
    const installed = (await prodWith(INSTALL_ALL)).summary;
    assert.match(installed, /^ {2}installed by this stack: metrics-server \(metrics\.k8s\.io\/v1beta1\)$/m);
    assert.match(installed, /^ {2}required of the cluster: CSI driver ebs\.csi\.aws\.com: /m);
  });
});

describe("R-PD-10: `pulumi up` learns the rollout's verdict", () => {
  const verdictJob = (r: { manifests: any[] }) => r.manifests.find((m) => m.kind === "Job" && m.metadata.name.startsWith("agent-platform-rollout-verdict-"));

  it("R-PD-10: prod: a Job after the Rollout runs `kubectl argo rollouts status` with the canary plan's worst case as its timeout", async () => {
    const r = await stack("prod");
    const job = verdictJob(r);
    // 5 pod steps × 10m progress deadline + smoke test 3 × 10s + 5s + stages (10m + 1m) + (20m + 1m) + (30m + 1m) = 6815 s
    assert.deepEqual(job.spec.template.spec.containers[0].args, ["status", "agent-platform", "--namespace", "agent-platform-prod", "--watch", "--timeout", "6815s"]);
    assert.equal(job.spec.activeDeadlineSeconds, 6875);
    assert.equal(job.spec.backoffLimit, 0, "one verdict, no retry");
    assert.match(job.spec.template.spec.containers[0].image, /^quay\.io\/argoproj\/kubectl-argo-rollouts:v1\.8\.3@sha256:[0-9a-f]{64}$/);
    const rec = r.resources.find((x) => x.type === "kubernetes:batch/v1:Job" && x.name === "agent-platform-delivery-verdict")!;
    assert.deepEqual(rec.options.customTimeouts, { create: "6995s", update: "6995s" }, "the provider waits longer than the Job may run");
    assert.ok(rec.options.dependsOn?.includes("kubernetes:argoproj.io/v1alpha1:Rollout::agent-platform-delivery-rollout"));
    assert.match(r.summary, /^Verdict: pulumi up waits for Job agent-platform-rollout-verdict-<hash> \(kubectl argo rollouts status\) up to 1h53m35s: 5 pod steps × 10m progress deadline \+ smoke test 35s \+ 3 stages/m);
  });

  it("R-PD-10: staging: blue/green's worst case; a manual promotion or a disabled verdict declares no Job and says so", async () => {
    const job = verdictJob(await stack("staging"));
    // 2 × 10m progress deadline + smoke test 35s + post-promotion check 5 × 1m = 1535 s
    assert.equal(job.spec.template.spec.containers[0].args.at(-1), "1535s");
    const manual = stackRaw("staging");
    manual["agent-platform:delivery"] = { value: JSON.stringify({ strategy: "blueGreen", blueGreen: { autoPromotion: false } }), secret: false };
    const m = await renderRaw("staging", manual);
    assert.equal(verdictJob(m), undefined);
    assert.match(m.summary, /^Verdict: not awaited: promotion is manual/m);
    const off = stackRaw("staging");
    off["agent-platform:delivery"] = { value: JSON.stringify({ strategy: "blueGreen", verdict: { enabled: false } }), secret: false };
    assert.equal(verdictJob(await renderRaw("staging", off)), undefined);
    assert.match((await stack("dev")).summary, /^Verdict: pulumi up waits for the Deployment's rollout/m);
  });

  it("R-PD-10: a new Rollout spec is a new verdict Job; the same spec, the same Job (nothing runs again)", async () => {
    const name = async (image: string) => {
      const raw = stackRaw("staging");
      raw["agent-platform:image"] = { value: image, secret: false };
      return verdictJob(await renderRaw("staging", raw)).metadata.name;
    };
    const a = await name("ghcr.io/acme/agent-platform:1.4.2");
    assert.equal(a, verdictJob(await stack("staging")).metadata.name);
    assert.notEqual(await name("ghcr.io/acme/agent-platform:1.4.3"), a);
  });

  it("R-PD-10: the deploy job outlasts the longest verdict wait of any stack, with 15 minutes for the rest of the up", async () => {
    const waits: number[] = [];
    for (const s of STACKS) {
      const job = (await stack(s)).resources.find((x) => x.type === "kubernetes:batch/v1:Job" && x.name === "agent-platform-delivery-verdict");
      if (job) waits.push(parseInt(job.options.customTimeouts!.create!, 10));
    }
    // deadline + 60 s (the Job's activeDeadlineSeconds) + 120 s: staging 1535 + 180, prod 6815 + 180
    assert.deepEqual(waits, [1715, 6995], "staging and prod await their verdicts");
    const workflow = fs.readFileSync(path.join(ROOT, ".github", "workflows", "pulumi-up.yml"), "utf8");
    const minutes = Number(/timeout-minutes: (\d+)/.exec(workflow)![1]);
    assert.ok(minutes * 60 >= Math.max(...waits) + 900, `${minutes} min`);
  });

  it("R-PD-10: prod refuses a verdict image without a digest, naming the command that reads it", async () => {
    const raw = stackRaw("prod");
    const d = JSON.parse(raw["agent-platform:delivery"].value);
    d.verdict = { image: "quay.io/argoproj/kubectl-argo-rollouts:v1.8.3" };
    raw["agent-platform:delivery"] = { value: JSON.stringify(d), secret: false };
    await assert.rejects(renderRaw("prod", raw), /agent-platform:delivery\.verdict\.image must be pinned by digest in prod \(R-DATA-4\) and is quay\.io\/argoproj\/kubectl-argo-rollouts:v1\.8\.3: read the digest \(`crane digest quay\.io\/argoproj\/kubectl-argo-rollouts:v1\.8\.3`/);
  });
});
