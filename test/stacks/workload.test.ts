// R-WL-1..8 over the mocked resource graph of each committed stack.
import { strict as assert } from "assert";
import ipaddr from "ipaddr.js";
import { isSecretMarker, unwrap } from "../../render/mockRuntime";
import { renderRaw } from "../../render";
import { STACKS, TEST_SECRETS, objects, one, podSpecs, stack, stackRaw, workload } from "../helpers/mocks";

const GRACE = { dev: 60, staging: 120, prod: 300 } as const;

for (const s of STACKS) {
  describe(`stack ${s}: hardened workload (R-WL)`, () => {
    const pod = async () => workload(await stack(s)).spec.template.spec;
    const api = async () => (await pod()).containers[0];

    it("R-WL-1: liveness on /health:3000 every 30 s, timeout 5 s, 3 failures; readiness on the same path; startup within 30 s", async () => {
      const c = await api();
      assert.deepEqual(c.ports, [{ name: "http", containerPort: 3000, protocol: "TCP" }]);
      for (const probe of [c.livenessProbe, c.readinessProbe, c.startupProbe]) {
        assert.equal(probe.httpGet.path, "/health");
        assert.equal(probe.httpGet.port, "http");
      }
      assert.equal(c.livenessProbe.periodSeconds, 30);
      assert.equal(c.livenessProbe.timeoutSeconds, 5);
      assert.equal(c.livenessProbe.failureThreshold, 3);
      assert.ok(c.readinessProbe.periodSeconds <= 10, "readiness is checked often enough to be ready within 30 s");
      assert.equal(c.startupProbe.periodSeconds * c.startupProbe.failureThreshold, 30, "startup budget of 30 s");
    });

    it("R-WL-7: the API pods, their Service and their NetworkPolicies select on exactly name and instance; the pods say component and environment", async () => {
      const r = await stack(s);
      const selector = { "app.kubernetes.io/name": "agent-platform", "app.kubernetes.io/instance": `agent-platform-${s}` };
      const w = workload(r);
      assert.deepEqual(w.spec.selector.matchLabels, selector);
      assert.deepEqual(w.spec.template.metadata.labels, {
        ...selector,
        "app.kubernetes.io/component": "api",
        "app.kubernetes.io/part-of": "agent-platform",
        "app.kubernetes.io/managed-by": "pulumi",
        "agent-platform/environment": s,
      });
      assert.deepEqual((one(r, "Service", "agent-platform") as any).spec.selector, selector);
      assert.deepEqual((one(r, "NetworkPolicy", "allow-api-ingress") as any).spec.podSelector.matchLabels, selector);
    });

    it("R-WL-2: pods advertise /metrics on the API port for scraping", async () => {
      const tpl = workload(await stack(s)).spec.template;
      assert.equal(tpl.metadata.annotations["prometheus.io/path"], "/metrics");
      assert.equal(tpl.metadata.annotations["prometheus.io/port"], "3000");
    });

    it("R-WL-3: every pod is non-root, read-only, capability-free, seccomp RuntimeDefault, without a token", async () => {
      const specs = podSpecs(await stack(s));
      assert.ok(specs.length >= 1);
      const withToken: string[] = [];
      for (const { owner, spec } of specs) {
        if (spec.automountServiceAccountToken !== false) withToken.push(owner);
        assert.equal(spec.securityContext.runAsNonRoot, true, owner);
        assert.equal(spec.securityContext.seccompProfile.type, "RuntimeDefault", owner);
        for (const c of spec.containers) {
          const sc = c.securityContext;
          assert.equal(sc.readOnlyRootFilesystem, true, `${owner}/${c.name}`);
          assert.equal(sc.allowPrivilegeEscalation, false, `${owner}/${c.name}`);
          assert.deepEqual(sc.capabilities.drop, ["ALL"], `${owner}/${c.name}`);
          assert.ok(!sc.capabilities.add, `${owner}/${c.name} adds no capability`);
          assert.ok(sc.runAsUser > 0, `${owner}/${c.name} runs as a non-zero UID`);
        }
      }
      const sa = one(await stack(s), "ServiceAccount", "agent-platform") as any;
      assert.equal(sa.automountServiceAccountToken, false);
      // R-WL-3 "unless needed": only the rollout-verdict Job, which reads the Rollout through
      // the API (R-PD-10), has a token, says why, and may only read in its namespace.
      assert.deepEqual(withToken.map((o) => o.replace(/-[0-9a-f]{10}$/, "-<hash>")), s === "dev" ? [] : ["Job/agent-platform-rollout-verdict-<hash>"]);
      if (s !== "dev") {
        const job = (await stack(s)).manifests.find((m) => m.kind === "Job" && m.metadata.name.startsWith("agent-platform-rollout-verdict-")) as any;
        assert.match(job.metadata.annotations["agent-platform/service-account-token-reason"], /^watches the Rollout through the API/);
        assert.equal(job.spec.template.spec.serviceAccountName, "agent-platform-rollout-verdict");
        const role = one(await stack(s), "Role", "agent-platform-rollout-verdict") as any;
        assert.deepEqual([...new Set(role.rules.flatMap((r: any) => r.verbs))].sort(), ["get", "list", "watch"]);
      }
    });

    it("R-WL-3: logs and uploads are writable, size-limited emptyDirs mounted explicitly", async () => {
      const p = await pod();
      const vol = (n: string) => p.volumes.find((v: any) => v.name === n);
      for (const n of ["logs", "uploads", "tmp"]) {
        assert.ok(vol(n)?.emptyDir?.sizeLimit, `${n} has a sizeLimit`);
      }
      const mounts = (await api()).volumeMounts.map((m: any) => `${m.name}:${m.mountPath}`);
      // Against RDS (staging, prod) the pods also mount its CA bundle, for sslmode=verify-full.
      const ca = s === "dev" ? [] : ["db-ca:/app/certs"];
      assert.deepEqual(mounts.sort(), [
        ...ca,
        "feature-flags:/app/config/flags",
        "logs:/app/logs",
        "secrets:/app/secrets",
        "tmp:/tmp",
        "uploads:/app/uploads",
      ]);
      const readOnly = (await api()).volumeMounts.filter((m: any) => m.readOnly).map((m: any) => m.name);
      assert.deepEqual(readOnly.sort(), [...(s === "dev" ? [] : ["db-ca"]), "feature-flags", "secrets"], "configuration and secrets are mounted read-only");
    });

    it(`R-WL-4: preStop drains before SIGTERM; ${GRACE[s]} s grace covers in-flight tasks`, async () => {
      const p = await pod();
      const preStop = (await api()).lifecycle.preStop.sleep.seconds;
      assert.ok(preStop >= 5, "preStop delay lets endpoints drain");
      assert.equal(p.terminationGracePeriodSeconds, GRACE[s]);
      assert.ok(p.terminationGracePeriodSeconds > preStop + 30, "time left after the drain for tasks to finish");
      const settings = (one(await stack(s), "ConfigMap", "agent-platform-config") as any).data;
      assert.equal(Number(settings.SHUTDOWN_GRACE_SECONDS), GRACE[s] - preStop, "the app knows its budget");
    });

    it("R-WL-5: zero-downtime rollout: maxUnavailable 0, PDB, zone and node spread", async () => {
      const r = await stack(s);
      const d = workload(r);
      if (d.kind === "Deployment") {
        assert.equal(d.spec.strategy.type, "RollingUpdate");
        assert.equal(d.spec.strategy.rollingUpdate.maxUnavailable, 0);
      } else if (d.spec.strategy.canary) {
        assert.equal(d.spec.strategy.canary.maxUnavailable, 0);
      } else {
        // blue/green: the new colour is fully up before the active Service switches.
        assert.ok(d.spec.strategy.blueGreen.activeService);
      }
      const pdb = one(r, "PodDisruptionBudget") as any;
      assert.equal(pdb.apiVersion, "policy/v1");
      assert.deepEqual(pdb.spec.selector.matchLabels, d.spec.selector.matchLabels);
      assert.equal(pdb.spec.maxUnavailable, 1);
      const keys = d.spec.template.spec.topologySpreadConstraints.map((t: any) => t.topologyKey).sort();
      assert.deepEqual(keys, ["kubernetes.io/hostname", "topology.kubernetes.io/zone"]);
      for (const t of d.spec.template.spec.topologySpreadConstraints) {
        assert.deepEqual(t.labelSelector.matchLabels, d.spec.selector.matchLabels);
      }
    });

    if (s === "prod") {
      it("R-WL-5: prod HPA scales down slowly (stabilisation window ≥ 5 min, one pod a minute)", async () => {
        const h = one(await stack(s), "HorizontalPodAutoscaler") as any;
        // Scale-up at once, by the larger of 100 % or 2 pods a minute; scale-down after 5 min, one pod a minute.
        assert.deepEqual(h.spec.behavior, {
          scaleUp: {
            stabilizationWindowSeconds: 0,
            selectPolicy: "Max",
            policies: [
              { type: "Percent", value: 100, periodSeconds: 60 },
              { type: "Pods", value: 2, periodSeconds: 60 },
            ],
          },
          scaleDown: { stabilizationWindowSeconds: 300, selectPolicy: "Min", policies: [{ type: "Pods", value: 1, periodSeconds: 60 }] },
        });
      });
    }

    it("R-WL-6: secrets reach the pod only from the Kubernetes Secret, and are Pulumi secrets", async () => {
      const r = await stack(s);
      const secret = r.resources.find(
        (x) => x.type === "kubernetes:core/v1:Secret" && (x.inputs.metadata as { name: string }).name === "agent-platform-secrets",
      )!;
      const data = secret.inputs.stringData;
      const values = isSecretMarker(data) ? (data.value as Record<string, unknown>) : (data as Record<string, unknown>);
      for (const [k, v] of Object.entries(data as object)) {
        if (!isSecretMarker(data)) assert.ok(isSecretMarker(v), `${k} is a Pulumi secret`);
      }
      assert.deepEqual(Object.keys(values).sort(), ["DATABASE_URL", "JWT_SIGNING_KEY", "LLM_API_KEY"]);
      // Secrets arrive as read-only files (mode 0400) named by <KEY>_FILE variables, so the
      // agent processes the API spawns inherit no secret in their environment.
      const c = await api();
      const fileVars = c.env.filter((e: any) => e.name.endsWith("_FILE") && e.name !== "FEATURE_FLAGS_FILE");
      assert.deepEqual(
        fileVars.map((e: any) => `${e.name}=${e.value}`).sort(),
        ["DATABASE_URL_FILE=/app/secrets/DATABASE_URL", "JWT_SIGNING_KEY_FILE=/app/secrets/JWT_SIGNING_KEY", "LLM_API_KEY_FILE=/app/secrets/LLM_API_KEY"],
      );
      for (const e of c.env) assert.equal(e.valueFrom?.secretKeyRef, undefined, `${e.name} is not a secret in the environment`);
      const vol = (await pod()).volumes.find((v: any) => v.name === "secrets");
      assert.equal(vol.secret.secretName, "agent-platform-secrets");
      assert.equal(vol.secret.defaultMode, 0o400, "readable by the owner only");
      const envText = JSON.stringify(c.env);
      for (const v of Object.values(TEST_SECRETS)) assert.ok(!envText.includes(v), "no secret value in the container's environment");
      const cm = JSON.stringify(one(r, "ConfigMap", "agent-platform-config"));
      for (const v of Object.values(TEST_SECRETS)) assert.ok(!cm.includes(v), "no secret in the ConfigMap");
    });

    it("R-WL-6: the JWT signing key is generated by @pulumi/random, not typed in: the Secret holds that password's result", async () => {
      const r = await stack(s);
      const pw = r.resources.filter((x) => x.type === "random:index/randomPassword:RandomPassword" && x.name === "agent-platform-jwt-signing-key");
      assert.equal(pw.length, 1, "the JWT key's own RandomPassword");
      assert.ok(Number(pw[0].inputs.length) >= 32);
      const generated = unwrap(pw[0].outputs.result, "reveal");
      const secret = r.resources.find(
        (x) => x.type === "kubernetes:core/v1:Secret" && (x.inputs.metadata as { name: string }).name === "agent-platform-secrets",
      )!;
      const data = unwrap(secret.inputs.stringData, "reveal") as Record<string, string>;
      assert.equal(typeof generated, "string");
      assert.equal(data.JWT_SIGNING_KEY, generated, "the key in the Secret is that RandomPassword's result");
    });

    it("R-WL-7: one namespace per environment with Pod Security Admission restricted", async () => {
      const ns = one(await stack(s), "Namespace", `agent-platform-${s}`) as any;
      assert.equal(ns.metadata.labels["pod-security.kubernetes.io/enforce"], "restricted");
      assert.equal(ns.metadata.labels["pod-security.kubernetes.io/warn"], "restricted");
      assert.equal(ns.metadata.labels["pod-security.kubernetes.io/audit"], "restricted");
      // The platform's workload objects are all in it; the add-ons live in their own
      // namespaces, and nothing lands in a namespace the stack does not declare.
      const r = await stack(s);
      const declared = objects(r, "Namespace").map((n: any) => n.metadata.name).sort();
      const addons = [...(s === "dev" ? [] : ["argo-rollouts"]), "monitoring", "monitoring-node-exporter", "observability", "observability-agent"];
      assert.deepEqual(declared, [`agent-platform-${s}`, ...addons].sort());
      // Outside the platform namespace: the add-ons' policies, and in "monitoring" the
      // Alertmanager configuration, Grafana's admin Secret and the dashboards.
      const elsewhere = r.manifests
        .filter((x) => x.metadata.namespace && x.metadata.namespace !== `agent-platform-${s}` && x.kind !== "NetworkPolicy")
        .map((x) => `${x.metadata.namespace}/${x.kind}/${x.metadata.name}`);
      assert.deepEqual(elsewhere.sort(), [
        `monitoring/ConfigMap/agent-platform-${s}-dashboard-executive`,
        `monitoring/ConfigMap/agent-platform-${s}-dashboard-incident-response`,
        `monitoring/ConfigMap/agent-platform-${s}-dashboard-mcp-server`,
        `monitoring/ConfigMap/agent-platform-${s}-dashboard-security`,
        `monitoring/ConfigMap/agent-platform-${s}-dashboard-technical-operations`,
        "monitoring/Secret/alertmanager-agent-platform",
        "monitoring/Secret/grafana-admin",
      ]);
      for (const m of r.manifests.filter((x) => x.metadata.namespace)) {
        assert.ok(declared.includes(m.metadata.namespace!), `${m.kind}/${m.metadata.name} is in a namespace the stack owns`);
      }
    });

    it("R-WL-7: ResourceQuota fits the peak of the workload and LimitRange gives defaults", async () => {
      const r = await stack(s);
      // Worked by hand from R-ENV-1..4 (pods of 500m/1Gi, 750m/1.5Gi, 1000m/2Gi, requests =
      // limits; dev 1 replica, staging 2, prod an HPA to 10): the peak is a blue/green pair
      // plus one surge pod (3, 5, 21), then room for Jobs (6 pods, 2 cores, 4Gi) and, in dev,
      // the in-cluster PostgreSQL (1 pod, 250m/512Mi requested, 500m/512Mi limit, 5Gi).
      const expected = {
        dev: { pods: "10", rc: "3750m", rm: "7680Mi", lc: "4", lm: "7680Mi", storage: "5Gi", pvc: "1" },
        staging: { pods: "11", rc: "5750m", rm: "11776Mi", lc: "5750m", lm: "11776Mi", storage: "0", pvc: "0" },
        prod: { pods: "27", rc: "23", rm: "47104Mi", lc: "23", lm: "47104Mi", storage: "0", pvc: "0" },
      }[s];
      assert.deepEqual((one(r, "ResourceQuota") as any).spec, {
        hard: {
          pods: expected.pods,
          "requests.cpu": expected.rc,
          "requests.memory": expected.rm,
          "limits.cpu": expected.lc,
          "limits.memory": expected.lm,
          "requests.storage": expected.storage,
          persistentvolumeclaims: expected.pvc,
          "services.loadbalancers": "0",
          "services.nodeports": "0",
        },
      });
      assert.deepEqual((one(r, "LimitRange") as any).spec, {
        limits: [
          {
            type: "Container",
            defaultRequest: { cpu: "100m", memory: "128Mi" },
            default: { cpu: "500m", memory: "512Mi" },
            max: { cpu: "2", memory: "4096Mi" },
          },
        ],
      });
    });

    it("R-WL-7: NetworkPolicies deny by default and allow only ingress, scraping, DNS, database and declared egress", async () => {
      const pols = (objects(await stack(s), "NetworkPolicy") as any[]).filter((p) => p.metadata.namespace === `agent-platform-${s}`);
      const byName = new Map(pols.map((p) => [p.metadata.name, p.spec]));
      const expected = [
        "allow-api-ingress",
        "allow-database-egress",
        "allow-declared-egress",
        "allow-dns-egress",
        "allow-prometheus-scrape",
        "default-deny-all",
        // Argo Rollouts stacks: the controller's smoke test reaches the new pods (R-PD-7).
        ...(s !== "dev" ? ["allow-rollouts-controller"] : []),
        // R-PD-10: the rollout-verdict Job watches the Rollout through the API server.
        ...(s !== "dev" ? ["allow-verdict-apiserver-egress"] : []),
        // R-DATA: the exports reach S3 (staging, prod); dev's in-cluster database admits its clients.
        ...(s !== "dev" ? ["allow-backup-egress"] : ["allow-postgres-ingress"]),
      ];
      assert.deepEqual([...byName.keys()].sort(), expected.sort());
      assert.deepEqual(byName.get("default-deny-all"), { podSelector: {}, policyTypes: ["Ingress", "Egress"] });
      const ingressPorts = ["allow-api-ingress", "allow-prometheus-scrape"].flatMap((n) =>
        byName.get(n).ingress.flatMap((rule: any) => rule.ports.map((p: any) => p.port)),
      );
      assert.deepEqual([...new Set(ingressPorts)], [3000], "ingress only to the API port");
      const scrape = byName.get("allow-prometheus-scrape").ingress[0].from;
      for (const peer of scrape) {
        assert.deepEqual(peer.namespaceSelector.matchLabels, { "kubernetes.io/metadata.name": "monitoring" });
        assert.ok(peer.podSelector?.matchLabels, "only named monitoring pods, not the whole namespace");
      }
      const api = byName.get("allow-api-ingress").ingress[0].from;
      for (const peer of api) assert.ok(peer.namespaceSelector, "API ingress only from the gateway namespaces");
      const dns = byName.get("allow-dns-egress").egress[0].ports.map((p: any) => `${p.protocol}/${p.port}`);
      assert.deepEqual(dns, ["UDP/53", "TCP/53"]);
      const db = byName.get("allow-database-egress");
      assert.deepEqual(db.egress[0].ports, [{ protocol: "TCP", port: 5432 }]);
      assert.deepEqual(
        db.podSelector.matchExpressions[0].values.sort(),
        [
          "agent-platform",
          "agent-platform-db-bootstrap",
          ...(s !== "dev" ? ["agent-platform-export", "agent-platform-restore", "agent-platform-restore-drill"] : []),
          "agent-platform-migration",
        ].sort(),
        "only the database's clients",
      );
      if (s === "dev") assert.deepEqual(db.egress[0].to, [{ podSelector: { matchLabels: { "app.kubernetes.io/name": "agent-platform-postgres" } } }]);
      else assert.deepEqual(db.egress[0].to.map((t: any) => t.ipBlock.cidr), [s === "prod" ? "10.20.0.0/16" : "10.30.0.0/16"]);
      const declared = byName.get("allow-declared-egress").egress[0];
      const excluded = (ip: string) =>
        declared.to[0].ipBlock.except.some((c: string) => ipaddr.parse(ip).match(ipaddr.parseCIDR(c)));
      assert.ok(excluded("169.254.169.254"), "the cloud metadata endpoint is not reachable");
      assert.ok(excluded("10.0.0.1") && excluded("100.64.0.1"), "nor the VPC and the shared address space");
    });

    it("R-WL-8, R-DATA-0: the memory store is PostgreSQL outside the platform pods, reached through the Secret; the pods keep no data", async () => {
      const r = await stack(s);
      const c = await api();
      const dbEnv = c.env.find((e: any) => e.name === "DATABASE_URL_FILE");
      assert.equal(dbEnv.value, "/app/secrets/DATABASE_URL");
      const p = await pod();
      const secrets = p.volumes.find((v: any) => v.name === "secrets");
      assert.ok(secrets.secret.items.some((i: any) => i.key === "DATABASE_URL"), "the URL comes from the platform Secret");
      for (const v of p.volumes) {
        assert.ok(v.emptyDir || v.configMap || v.secret, `${v.name} is scratch space or read-only config, not a persistent volume`);
      }
      // Only dev keeps data in the cluster: its database's own StatefulSet (R-DATA-0).
      const sts = objects(r, "StatefulSet").map((x) => x.metadata.name);
      assert.deepEqual(sts, s === "dev" ? ["agent-platform-postgres"] : []);
      assert.equal(objects(r, "PersistentVolumeClaim").length, 0);
      assert.equal(r.resources.filter((x) => x.type === "aws:rds/instance:Instance").length, s === "dev" ? 0 : 1);
    });

    it("R-ENV-10, R-WL-6: every Kubernetes object is declared through the one explicit provider, its kubeconfig a secret", async () => {
      const r = await stack(s);
      const k8sObjects = r.resources.filter((x) => x.type.startsWith("kubernetes:"));
      assert.ok(k8sObjects.length > 10);
      for (const x of k8sObjects) {
        assert.match(x.provider ?? "", /[:$]pulumi:providers:kubernetes::k8s::/, `${x.type} ${x.name}`);
      }
      const provider = r.resources.find((x) => x.type === "pulumi:providers:kubernetes")!;
      assert.ok(isSecretMarker(provider.inputs.kubeconfig), "the kubeconfig is a secret");
    });
  });
}

describe("R-WL-5: the HPA's behaviour follows autoscaling in the stack file", () => {
  it("R-WL-5: scale-up and scale-down steps, their period and the scale-up window are overridable", async () => {
    const base = JSON.parse(stackRaw("prod")["agent-platform:autoscaling"]?.value ?? "{}");
    const autoscaling = { ...base, scaleUpStabilization: "30s", scaleUpPercent: 50, scaleUpPods: 4, scaleDownPods: 2, scalingPeriod: "2m" };
    const h = one(await renderRaw("prod", stackRaw("prod", { autoscaling })), "HorizontalPodAutoscaler") as any;
    assert.deepEqual(h.spec.behavior, {
      scaleUp: {
        stabilizationWindowSeconds: 30,
        selectPolicy: "Max",
        policies: [
          { type: "Percent", value: 50, periodSeconds: 120 },
          { type: "Pods", value: 4, periodSeconds: 120 },
        ],
      },
      scaleDown: { stabilizationWindowSeconds: 300, selectPolicy: "Min", policies: [{ type: "Pods", value: 2, periodSeconds: 120 }] },
    });
  });
});

describe("R-WL-7: the namespace's quota and limits follow namespaceLimits in the stack file", () => {
  it("R-WL-7: a larger Job allowance and container ceiling reach the ResourceQuota and LimitRange; the ceiling never falls below the API's own limits", async () => {
    const raw = stackRaw("dev", {
      resources: { limits: { cpu: "4", memory: "8Gi" } },
      namespaceLimits: {
        jobAllowance: { pods: 7, cpu: "3", memory: "5Gi" },
        containerDefaults: { requests: { cpu: "200m" }, limits: { memory: "1Gi" } },
        containerMax: { cpu: "3", memory: "6Gi" },
      },
    });
    const r = await renderRaw("dev", raw);
    // dev's peak of 3 API pods (500m/1Gi requested, now 4 cores/8Gi limit), 7 Job pods with
    // 3 cores and 5Gi, and PostgreSQL (250m/512Mi requested, 500m/512Mi limit): by hand.
    const hard = (one(r, "ResourceQuota") as any).spec.hard;
    assert.deepEqual(
      [hard.pods, hard["requests.cpu"], hard["requests.memory"], hard["limits.cpu"], hard["limits.memory"]],
      ["11", "4750m", "8704Mi", "15500m", "30208Mi"],
    );
    const lr = (one(r, "LimitRange") as any).spec.limits[0];
    assert.deepEqual(lr.defaultRequest, { cpu: "200m", memory: "128Mi" });
    assert.deepEqual(lr.default, { cpu: "500m", memory: "1Gi" });
    // The API's 4 cores and 8Gi are above the configured 3 and 6Gi: the ceiling admits the API.
    assert.deepEqual(lr.max, { cpu: "4", memory: "8192Mi" });
  });
});
