// R-PD-1..9 over the mocked resource graph: strategy per environment, Rollout, Services,
// HTTPRoute, AnalysisTemplates, HPA target, ignore rules and flags.
import { strict as assert } from "assert";
import { renderRaw } from "../../render";
import { objects, one, stack, stackRaw, workload } from "../helpers/mocks";

const templatesIn = (x: unknown): string[] =>
  JSON.stringify(x).match(/"templateName":"([^"]+)"/g)?.map((m) => m.split(":")[1].replace(/"/g, "")) ?? [];

describe("R-PD: progressive delivery per stack", () => {
  it("R-PD-9: dev rolls (Deployment), staging is blue/green, prod is canary (Argo Rollouts)", async () => {
    assert.equal(workload(await stack("dev")).kind, "Deployment");
    const staging = workload(await stack("staging"));
    assert.equal(staging.kind, "Rollout");
    assert.deepEqual(Object.keys(staging.spec.strategy), ["blueGreen"], "a Rollout has exactly one strategy");
    const prod = workload(await stack("prod"));
    assert.equal(prod.kind, "Rollout");
    assert.deepEqual(Object.keys(prod.spec.strategy), ["canary"]);
  });

  it("R-PD-1: blue/green: active and preview Services, each colour at the environment's replicas, old colour kept to switch back", async () => {
    const r = await stack("staging");
    const bg = workload(r).spec.strategy.blueGreen;
    assert.equal(bg.activeService, "agent-platform");
    assert.equal(bg.previewService, "agent-platform-preview");
    for (const name of [bg.activeService, bg.previewService]) {
      const svc = one(r, "Service", name) as any;
      assert.deepEqual(svc.spec.ports[0], { name: "http", port: 80, targetPort: "http", protocol: "TCP" });
    }
    assert.equal(workload(r).spec.replicas, 2);
    assert.equal(bg.previewReplicaCount, undefined, "the preview colour runs the full replica count");
    assert.ok(bg.scaleDownDelaySeconds >= 300, "old colour stays up long enough to switch back at once");
    // The load balancer's health check is the pods' readiness on /health.
    assert.equal(workload(r).spec.template.spec.containers[0].readinessProbe.httpGet.path, "/health");
  });

  it("R-PD-7: migrations finish before any new pod serves: a Job Pulumi awaits before the workload changes, in every strategy", async () => {
    for (const st of ["dev", "staging", "prod"] as const) {
      const r = await stack(st);
      const jobs = r.resources.filter((x) => x.type === "kubernetes:batch/v1:Job" && /migrate/.test((x.inputs as any).metadata.name));
      assert.equal(jobs.length, 1, `${st}: one migration Job`);
      const job = jobs[0].inputs as any;
      assert.match(job.metadata.name, /^agent-platform-migrate-[0-9a-f]{10}$/, "named after image and command: a new release is a new Job");
      const pod = job.spec.template.spec;
      assert.deepEqual(pod.containers[0].command, ["node", "dist/db/migrate.js", "up"]);
      assert.equal(pod.containers[0].securityContext.readOnlyRootFilesystem, true);
      assert.equal(job.spec.backoffLimit, 0);
      assert.equal(job.spec.activeDeadlineSeconds, 600);
      // The structure that guarantees the order: the workload depends on the Job, and
      // Pulumi's Job await logic holds dependants until the Job has succeeded.
      const wl = r.resources.find((x) => ["kubernetes:apps/v1:Deployment", "kubernetes:argoproj.io/v1alpha1:Rollout"].includes(x.type))!;
      assert.ok(wl.options.dependsOn?.includes(`kubernetes:batch/v1:Job::${jobs[0].name}`), `${st}: the workload waits for the migration (${wl.options.dependsOn})`);
      assert.match(jobs[0].options.customTimeouts?.create ?? "", /^\d+s$/, "Pulumi waits at least the Job's deadline");
      // R-DATA-0: and the migration waits for the roles it connects as.
      const bootstrap = r.resources.find((x) => x.type === "kubernetes:batch/v1:Job" && /db-bootstrap/.test((x.inputs as any).metadata.name))!;
      assert.ok(jobs[0].options.dependsOn?.includes(`kubernetes:batch/v1:Job::${bootstrap.name}`), `${st}: migrations wait for the role bootstrap`);
    }
  });

  it("R-PD-7: a smoke-test failure cannot delete the migration: no AnalysisTemplate runs a Job, so no AnalysisRun owns one", async () => {
    for (const st of ["staging", "prod"] as const) {
      const templates = objects(await stack(st), "AnalysisTemplate") as any[];
      assert.ok(templates.length >= 2);
      for (const t of templates) {
        for (const m of t.spec.metrics) assert.equal(m.provider.job, undefined, `${st} ${t.metadata.name}/${m.name} runs no Job`);
      }
    }
  });

  it("R-PD-7: blue/green smoke-tests the preview colour before promotion: /health must answer 200 with status healthy", async () => {
    const r = await stack("staging");
    const bg = workload(r).spec.strategy.blueGreen;
    assert.deepEqual(bg.prePromotionAnalysis, {
      templates: [{ templateName: "preview-smoke-test" }],
      args: [{ name: "service", value: "agent-platform-preview" }],
    });
    const smoke = (one(r, "AnalysisTemplate", "preview-smoke-test") as any).spec.metrics[0];
    assert.equal(smoke.provider.web.url, "http://{{args.service}}.agent-platform-staging.svc.cluster.local/health");
    assert.equal(smoke.provider.web.jsonPath, "{$.status}");
    assert.equal(smoke.successCondition, 'result == "healthy"');
    assert.equal(smoke.failureLimit, 0, "the first unhealthy answer fails it");
    assert.deepEqual(templatesIn(bg.postPromotionAnalysis), ["post-promotion-check"]);
    assert.ok(one(r, "NetworkPolicy", "allow-rollouts-controller"), "the controller may reach the new pods");
  });

  it("R-PD-2, R-PD-3, R-PD-7: prod canary: one pod smoke-tested with no traffic, then 10 % + stage 1, 25 % + stage 2, 50 % + stage 3, then 100 %", async () => {
    const r = await stack("prod");
    const c = workload(r).spec.strategy.canary;
    const steps = c.steps.map((s: any) =>
      s.setWeight !== undefined
        ? `w${s.setWeight}`
        : s.setCanaryScale
          ? `scale:${s.setCanaryScale.replicas ?? (s.setCanaryScale.matchTrafficWeight ? "weight" : "?")}`
          : `a:${templatesIn(s)[0]}`,
    );
    assert.deepEqual(steps, ["scale:1", "a:preview-smoke-test", "scale:weight", "w10", "a:canary-stage-1", "w25", "a:canary-stage-2", "w50", "a:canary-stage-3"]);
    assert.deepEqual(c.steps[1].analysis.args, [{ name: "service", value: "agent-platform-canary" }]);
    for (const s of c.steps.filter((x: any) => x.analysis && templatesIn(x)[0].startsWith("canary-stage"))) {
      assert.deepEqual(s.analysis.args, [{ name: "canary-hash", valueFrom: { podTemplateHashValue: "Latest" } }]);
    }
    // The rollback triggers start with the first traffic (step 3, setWeight 10), not during the smoke test.
    assert.equal(c.analysis.startingStep, 3);
    assert.equal(c.steps[c.analysis.startingStep].setWeight, 10);
  });

  it("R-PD-4, R-PD-5: background analysis on the canary's own metrics carries every rollback trigger", async () => {
    const r = await stack("prod");
    const c = workload(r).spec.strategy.canary;
    assert.deepEqual(templatesIn(c.analysis), ["rollback-triggers"]);
    const t = one(r, "AnalysisTemplate", "rollback-triggers") as any;
    assert.deepEqual(t.spec.metrics.map((m: any) => m.name), ["error-rate", "latency-p99", "memory", "agent-spawn-failures"]);
    for (const m of t.spec.metrics) {
      assert.match(m.provider.prometheus.query, /\{\{args\.canary-hash\}\}/, `${m.name} reads the canary's own series`);
      // Derived from monitoring.releaseName and monitoring.namespace (the chart's Service name).
      assert.equal(m.provider.prometheus.address, "http://kube-prometheus-stack-prometheus.monitoring.svc:9090");
    }
  });

  it("R-PD-2: exact weights through the Gateway API: HTTPRoute with stable and canary backends, plugin configured", async () => {
    const r = await stack("prod");
    const c = workload(r).spec.strategy.canary;
    assert.deepEqual(c.trafficRouting.plugins["argoproj-labs/gatewayAPI"], { httpRoute: "agent-platform", namespace: "agent-platform-prod" });
    assert.equal(c.stableService, "agent-platform");
    assert.equal(c.canaryService, "agent-platform-canary");
    const route = one(r, "HTTPRoute", "agent-platform") as any;
    assert.deepEqual(route.spec.parentRefs, [{ name: "platform-gateway", namespace: "gateway-system" }]);
    assert.deepEqual(route.spec.rules[0].backendRefs.map((b: any) => [b.name, b.weight]), [["agent-platform", 100], ["agent-platform-canary", 0]]);
    for (const b of route.spec.rules[0].backendRefs) assert.ok(one(r, "Service", b.name));
    const release = r.resources.find((x) => x.type === "kubernetes:helm.sh/v3:Release" && x.inputs.chart === "argo-rollouts")!;
    const values = release.inputs.values as any;
    assert.deepEqual(values.controller.trafficRouterPlugins.map((p: any) => p.name), ["argoproj-labs/gatewayAPI"]);
    const plugin = values.controller.trafficRouterPlugins[0];
    assert.equal(
      plugin.location,
      "https://github.com/argoproj-labs/rollouts-plugin-trafficrouter-gatewayapi/releases/download/v0.15.0/gatewayapi-plugin-linux-amd64",
    );
    assert.match(plugin.sha256, /^[0-9a-f]{64}$/, "pinned by checksum");
    assert.equal(release.inputs.chart, "argo-rollouts");
    assert.match(String(release.inputs.version), /^\d+\.\d+\.\d+$/);
  });

  it("R-PD-9: the controller install can be left to the platform team", async () => {
    const r = await renderRaw("prod", stackRaw("prod", { delivery: { strategy: "canary", installController: false } }));
    const charts = r.resources.filter((x) => x.type === "kubernetes:helm.sh/v3:Release").map((x) => x.inputs.chart);
    assert.ok(!charts.includes("argo-rollouts"), `no argo-rollouts release (releases: ${charts.join(", ")})`);
    assert.equal(workload(r).kind, "Rollout");
  });

  it("R-WL-5, R-PD: the prod HPA targets the Rollout; Pulumi leaves the replica count to it", async () => {
    const r = await stack("prod");
    const hpa = one(r, "HorizontalPodAutoscaler") as any;
    assert.deepEqual(hpa.spec.scaleTargetRef, { apiVersion: "argoproj.io/v1alpha1", kind: "Rollout", name: "agent-platform" });
    assert.equal(workload(r).spec.replicas, undefined);
    const rollout = r.resources.find((x) => x.type === "kubernetes:argoproj.io/v1alpha1:Rollout")!;
    assert.deepEqual(rollout.options.ignoreChanges, ["spec.replicas"]);
  });

  it("R-PD-1, R-PD-2: Pulumi ignores the selector hash Argo writes on the Services it manages, and the weights it sets", async () => {
    for (const s of ["staging", "prod"] as const) {
      const r = await stack(s);
      // The headless metrics Service is ours alone; the Rollout manages the other two.
      const services = r.resources.filter(
        (x) => x.type === "kubernetes:core/v1:Service" && (x.inputs.metadata as { name: string }).name !== "agent-platform-metrics",
      );
      assert.equal(services.length, 2);
      for (const svc of services) assert.deepEqual(svc.options.ignoreChanges, ["spec.selector"], `${s} ${svc.name}`);
    }
    const route = (await stack("prod")).resources.find((x) => x.type === "kubernetes:gateway.networking.k8s.io/v1:HTTPRoute")!;
    // R-ENV-13: a path the provider can follow under server-side apply (no array index): the rules as a whole.
    assert.deepEqual(route.options.ignoreChanges, ["spec.rules"]);
    const dev = (await stack("dev")).resources.find(
      (x) => x.type === "kubernetes:core/v1:Service" && (x.inputs.metadata as { name: string }).name === "agent-platform",
    )!;
    assert.equal(dev.options.ignoreChanges, undefined, "a plain Deployment's Service is fully managed");
  });

  it("R-PD-1, R-PD-3: names the Rollout refers to are literal metadata.names", async () => {
    const r = await stack("prod");
    const refs = [...templatesIn(workload(r).spec.strategy), "agent-platform", "agent-platform-canary"];
    for (const name of refs) {
      const found = r.manifests.filter((m) => m.metadata.name === name);
      assert.ok(found.length >= 1, `${name} exists under that exact name`);
    }
  });

  it("R-PD-8: flags are a mounted ConfigMap file; changing a flag leaves the pod template (and so the rollout) unchanged", async () => {
    const flag = (enabled: boolean) => [{ key: "new-planner", enabled, percentage: 25, userTargeting: [], environmentRestrictions: [] }];
    const on = await renderRaw("prod", stackRaw("prod", { featureFlags: flag(true) }));
    const off = await renderRaw("prod", stackRaw("prod", { featureFlags: flag(false) }));
    const cm = (r: typeof on) => JSON.parse((one(r, "ConfigMap", "agent-platform-flags") as any).data["flags.json"]);
    assert.equal(cm(on).flags[0].enabled, true);
    assert.equal(cm(off).flags[0].enabled, false);
    assert.deepEqual(workload(on).spec.template, workload(off).spec.template);
    const tpl = workload(on).spec.template.spec;
    assert.deepEqual(tpl.volumes.find((v: any) => v.name === "feature-flags"), { name: "feature-flags", configMap: { name: "agent-platform-flags" } });
    const mount = tpl.containers[0].volumeMounts.find((m: any) => m.name === "feature-flags");
    assert.equal(mount.subPath, undefined, "no subPath: kubelet refreshes the file in place");
  });

  it("R-PD-8: a settings change, unlike a flag change, does roll the pods (checksum annotation)", async () => {
    const a = await renderRaw("prod", stackRaw("prod", { logLevel: "warn" }));
    const b = await stack("prod");
    assert.notEqual(
      workload(a).spec.template.metadata.annotations["agent-platform/config-checksum"],
      workload(b).spec.template.metadata.annotations["agent-platform/config-checksum"],
    );
  });

  it("R-PD-4: the render summary shows the canary plan, triggers and worst-case rollback times", async () => {
    const text = (await stack("prod")).summary;
    assert.match(text, /Delivery: canary/);
    assert.match(text, /1\s+10%\s+10m\s+error rate < 2 %, p95 < 500 ms \(10 × 1m\)/);
    assert.match(text, /error-rate\s+error rate > 5 % \(evidence over 1m\)\s+30s\s+15s scrape \+ 1×5s measurement \+ 10s shift/);
    assert.match(text, /latency-p99\s+p99 > 2000 ms over 3m \(> 1 % of requests slower\)\s+3m25s\s+3m held window \+ 1×15s measurement \+ 10s shift/);
    assert.match(text, /memory\s+memory > 90 % of limit for 3m\s+3m55s/);
    assert.match(text, /agent-spawn-failures\s+agent-spawn failures > 50 % for 2m\s+3m40s/);
    assert.match(text, /before traffic: migrations: Job before the workload changes/);
    assert.match((await stack("staging")).summary, /Delivery: blueGreen/);
    assert.match((await stack("dev")).summary, /Delivery: rolling/);
    assert.equal(objects(await stack("dev"), "AnalysisTemplate").length, 0);
  });
});

describe("R-PD-9, R-WL-5: the rollout's pacing, the migration Job and the controller come from the profile and the stack file", () => {
  const release = (r: Awaited<ReturnType<typeof stack>>) =>
    r.resources.find((x) => x.type === "kubernetes:helm.sh/v3:Release" && x.inputs.chart === "argo-rollouts")!.inputs.values as any;
  const migration = (r: Awaited<ReturnType<typeof stack>>) =>
    (objects(r, "Job").find((j) => /^agent-platform-migrate-/.test(j.metadata.name)) as any).spec.template.spec.containers[0];
  const pacing = (w: any) => [w.spec.revisionHistoryLimit, w.spec.minReadySeconds, w.spec.progressDeadlineSeconds];

  it("R-PD-9, R-WL-5: every profile: 5 old ReplicaSets kept, ready 10 s before available, no progress for 10 min fails (the Rollout aborts)", async () => {
    for (const s of ["dev", "staging", "prod"] as const) {
      const r = await stack(s);
      assert.deepEqual(pacing(workload(r)), [5, 10, 600], s);
      if (s !== "dev") assert.equal(workload(r).spec.progressDeadlineAbort, true, s);
      assert.deepEqual(migration(r).resources, { requests: { cpu: "100m", memory: "256Mi" }, limits: { cpu: "500m", memory: "512Mi" } }, s);
    }
    const ctl = release(await stack("prod")).controller;
    assert.equal(ctl.replicas, 2);
    assert.deepEqual(ctl.resources, { requests: { cpu: "100m", memory: "128Mi" }, limits: { cpu: "500m", memory: "512Mi" } });
  });

  it("R-PD-9, R-WL-5: delivery.minReady, progressDeadline, revisionHistoryLimit, migration.resources and the controller's size from the stack file", async () => {
    const delivery = { minReady: "30s", progressDeadline: "15m", revisionHistoryLimit: 3, controllerReplicas: 3, controllerResources: { limits: { memory: "1Gi" } } };
    for (const s of ["dev", "prod"] as const) {
      const base = JSON.parse(stackRaw(s)["agent-platform:delivery"].value);
      const r = await renderRaw(s, stackRaw(s, { delivery: { ...base, ...delivery, migration: { resources: { requests: { memory: "1Gi" }, limits: { memory: "2Gi" } } } } }));
      assert.deepEqual(pacing(workload(r)), [3, 30, 900], `${s}: ${workload(r).kind}`);
      assert.deepEqual(migration(r).resources, { requests: { cpu: "100m", memory: "1Gi" }, limits: { cpu: "500m", memory: "2Gi" } }, s);
      if (s === "prod") {
        const ctl = release(r).controller;
        assert.equal(ctl.replicas, 3);
        assert.deepEqual(ctl.resources, { requests: { cpu: "100m", memory: "128Mi" }, limits: { cpu: "500m", memory: "1Gi" } });
      }
    }
  });
});
