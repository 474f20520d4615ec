// R-PD-2..8 on the pure delivery model: stage plan and criteria, what each Argo limit
// means (Argo acts when a count *exceeds* its limit: argo-rollouts v1.8.3
// analysis/analysis.go), the rollback triggers and their worst-case times, config errors
// and the flags document. Expected numbers are REQUIREMENTS' own, computed by hand here.
import { strict as assert } from "assert";
import { ConfigError, parseStackConfig } from "../../components/config";
import { deliveryPlan, gatewayPluginUrl, httpRouteSpec, rolloutStrategy, stageTemplate, triggerPlans, triggersTemplate, controllerValues } from "../../components/model/delivery";
import { flagsDocument } from "../../components/model/flags";
import { prometheusUrl as prometheusUrl_ } from "../../components/model/monitoring";
import { stackRaw } from "../helpers/mocks";

const prod = (overrides: Record<string, unknown> = {}) => parseStackConfig(stackRaw("prod", overrides), "prod");
const metric = (spec: any, name: string) => {
  const m = spec.metrics.find((x: any) => x.name === name);
  assert.ok(m, `metric ${name}`);
  return m;
};

function rejects(overrides: Record<string, unknown>, pattern: RegExp, stack = "prod") {
  try {
    parseStackConfig(stackRaw(stack, overrides), stack);
  } catch (e) {
    assert.ok(e instanceof ConfigError);
    assert.match(e.message, pattern);
    assert.ok(!e.message.includes("\n"));
    return;
  }
  assert.fail("expected a ConfigError");
}

describe("R-PD: the delivery model", () => {
  it("R-PD-2, R-PD-11: prod canary stages keep R-PD-2's lengths (10, 20, 30 min, then 100 %) at weights R-PD-11 can judge: 10 % → 25 % → 50 %", () => {
    const plan = deliveryPlan(prod());
    assert.equal(plan.strategy, "canary");
    assert.deepEqual(
      plan.stages.map((s) => [s.weight, s.duration]),
      [[10, "10m"], [25, "20m"], [50, "30m"], [100, "-"]],
    );
    // R-PD-2's own weights stay a valid plan; the render reports what they miss (test/model/verdicts.test.ts).
    const rpd2 = [
      { weight: 1, duration: "10m", maxErrorRate: 0.02, latencyQuantile: "p95", maxLatencyMs: 500 },
      { weight: 5, duration: "20m", maxErrorRate: 0.015, latencyQuantile: "p99", maxLatencyMs: 1000 },
      { weight: 50, duration: "30m", maxErrorRate: 0.015, latencyQuantile: "p99", maxLatencyMs: 1000 },
    ];
    assert.deepEqual(deliveryPlan(prod({ delivery: { strategy: "canary", canarySteps: rpd2 } })).stages.map((s) => s.weight), [1, 5, 50, 100]);
  });

  it("R-PD-3, R-PD-11: stage 1 fails on evidence of error rate ≥ 2 % or p95 ≥ 500 ms (> 5 % slower than 500 ms); stages 2 and 3 of ≥ 1.5 % or p99 ≥ 1000 ms (> 1 % slower than 1 s), each over its whole stage", () => {
    const cfg = prod();
    const [s1, s2, s3] = cfg.delivery.canarySteps.map((s, i) => stageTemplate(cfg, s, i).spec as any);
    const q = (t: any, m: string) => metric(t, m).provider.prometheus.query as string;
    for (const t of [s1, s2, s3]) for (const m of t.metrics) assert.deepEqual([m.successCondition, m.failureCondition], ["result[0] == 0", "result[0] > 0"]);
    assert.match(q(s1, "error-rate"), / > 0\.02 \* sum\(clamp_min\(sum by \(pod\) \(http_requests_total\{namespace="agent-platform-prod",rollouts_pod_template_hash="\{\{args\.canary-hash\}\}"\}\) - /);
    assert.match(q(s1, "error-rate"), /\{namespace="agent-platform-prod",rollouts_pod_template_hash="\{\{args\.canary-hash\}\}"\} offset 10m\)/, "over the whole 10 min stage");
    assert.match(q(s1, "latency-p95"), /le="0\.5"/);
    assert.match(q(s2, "latency-p99"), /le=~"1\(\\\\\.0\)\?"/, "a whole bound as Prometheus 2 (\"1\") and 3 (\"1.0\") store it");
    assert.match(q(s1, "latency-p95"), / > 0\.05 \* sum\(/);
    assert.match(q(s2, "error-rate"), / > 0\.015 \* sum\(/);
    assert.match(q(s2, "error-rate"), / offset 20m\)/);
    assert.match(q(s2, "latency-p99"), / > 0\.01 \* sum\(/);
    assert.match(q(s3, "latency-p99"), / offset 30m\)/);
    // One measurement a minute for 10, 20 and 30 minutes.
    assert.deepEqual([s1, s2, s3].map((t) => [t.metrics[0].interval, t.metrics[0].count]), [["1m", 10], ["1m", 20], ["1m", 30]]);
  });

  it("R-PD-3: the stage limits say what Argo does with them: failureLimit 0 fails on the 1st measurement with evidence (evidence is already sure), consecutiveErrorLimit 1 aborts on the 2nd error in a row", () => {
    const cfg = prod();
    const m = (stageTemplate(cfg, cfg.delivery.canarySteps[0], 0).spec as any).metrics[0];
    assert.deepEqual([m.failureLimit, m.inconclusiveLimit, m.consecutiveErrorLimit], [0, 0, 1]);
    assert.equal(
      deliveryPlan(cfg).stages[0].limits,
      "fails on the 1st measurement with evidence, pauses on the 1st inconclusive one (none: every query answers), aborts on the 2nd query error in a row",
    );
  });

  it("R-PD-3: the limits read in English for larger tolerances: 3rd, 4th, 11th", () => {
    const loose = prod({ delivery: { strategy: "canary", analysis: { failuresTolerated: 2, inconclusiveTolerated: 3, consecutiveErrorsTolerated: 10 } } });
    assert.equal(
      deliveryPlan(loose).stages[0].limits,
      "fails on the 3rd measurement with evidence, pauses on the 4th inconclusive one (none: every query answers), aborts on the 11th query error in a row",
    );
  });

  it("R-PD-7: without migrations the canary's only gate is the smoke test; a rolling stack has no Rollout strategy to declare", () => {
    const plan = deliveryPlan(prod({ delivery: { strategy: "canary", migration: { enabled: false } } }));
    assert.equal(plan.gates.length, 1);
    assert.match(plan.gates[0], /^1 canary pod, no traffic; smoke test: /);
    assert.throws(
      () => rolloutStrategy(prod({ delivery: { strategy: "rolling" } })),
      { message: "rolloutStrategy: strategy rolling is declared as a Deployment, not a Rollout" },
    );
  });

  it("R-PD-2: the HTTPRoute names its hostnames when the stack sets them, else takes the Gateway's", () => {
    assert.equal("hostnames" in httpRouteSpec(prod()), false);
    const named = httpRouteSpec(prod({ delivery: { strategy: "canary", gateway: { name: "platform-gateway", namespace: "gateway-system", hostnames: ["agents.example.com"] } } }));
    assert.deepEqual(named.hostnames, ["agents.example.com"]);
  });

  it("R-PD-11: a quiet canary passes and never waits for a human: every stage query answers a number (0 without evidence) and the conditions cover every number", () => {
    const cfg = prod();
    for (const [i, s] of cfg.delivery.canarySteps.entries()) {
      for (const m of (stageTemplate(cfg, s, i).spec as any).metrics) {
        assert.match(m.provider.prometheus.query, / or on\(\) vector\(0\)$/, m.name);
        assert.deepEqual([m.successCondition, m.failureCondition], ["result[0] == 0", "result[0] > 0"], "no answer is neither");
      }
    }
  });

  it("R-PD-4: error rate > 5 % aborts on the first measurement with evidence over 1 min, every 5 s; the 5 % is the critical alert's own number", () => {
    const err = metric(triggersTemplate(prod()).spec, "error-rate");
    assert.equal(err.failureLimit, 0, "the first failed measurement aborts");
    assert.deepEqual([err.successCondition, err.failureCondition], ["result[0] == 0", "result[0] > 0"]);
    assert.equal(err.interval, "5s");
    assert.match(err.provider.prometheus.query, /^\(\(sum\(clamp_min\(.*code=~"5\.\."\} offset 1m\).*\) >= 4\) and on\(\) \(.* > 0\.05 \* sum\(/);
    // One meaning, one number: moving the alert's threshold moves the rollback trigger.
    const moved = metric(triggersTemplate(prod({ alerting: { rules: { errorRate: { critical: { threshold: 0.06 } } } } })).spec, "error-rate");
    assert.match(moved.provider.prometheus.query, / > 0\.06 \* sum\(/);
  });

  it("R-PD-4: p99 > 2000 ms rolls back on evidence that more than 1 % of the requests over the 3 min held window were slower than 2 s", () => {
    const p99 = metric(triggersTemplate(prod()).spec, "latency-p99");
    assert.equal(p99.failureLimit, 0);
    assert.equal(p99.interval, "15s");
    assert.match(p99.provider.prometheus.query, /le=~"2\(\\\\\.0\)\?"\} offset 3m\)/);
    assert.match(p99.provider.prometheus.query, /le="\+Inf"\} offset 3m\)/);
    assert.match(p99.provider.prometheus.query, / > 0\.01 \* sum\(/);
  });

  it("R-PD-5: memory > 90 % for 3 min and spawn failures > 50 % for 2 min are asked of Prometheus as durations, with the alerts' numbers", () => {
    const t = triggersTemplate(prod()).spec as any;
    const mem = metric(t, "memory");
    assert.equal(mem.failureLimit, 0);
    assert.equal(mem.failureCondition, "len(result) > 0 && result[0] > 0.9");
    assert.match(mem.provider.prometheus.query, /min_over_time\(\(max by \(pod\) \(container_memory_working_set_bytes\{.*\}\) \/ 2147483648\)\[3m:15s\]\)/);
    const spawn = metric(t, "agent-spawn-failures");
    assert.equal(spawn.failureCondition, "len(result) > 0 && result[0] > 0.5");
    assert.match(spawn.provider.prometheus.query, /\[2m:15s\]/);
    assert.match(spawn.provider.prometheus.query, /agent_spawn_total\{.*result="failure"\}\[1m\]/);
    // The alert's `for` is the trigger's duration.
    const longer = metric(triggersTemplate(prod({ alerting: { rules: { memorySustained: { critical: { for: "4m" } } } } })).spec, "memory");
    assert.match(longer.provider.prometheus.query, /\[4m:15s\]/);
  });

  it("R-PD-4: triggers never go inconclusive (0 below the volume guard) and an unreachable Prometheus aborts on the 2nd error in a row", () => {
    for (const m of (triggersTemplate(prod()).spec as any).metrics) {
      assert.match(m.provider.prometheus.query, / or on\(\) vector\(0\)$/, `${m.name} answers 0 when there is nothing to judge`);
      assert.equal(m.inconclusiveLimit, 0, m.name);
      assert.equal(m.consecutiveErrorLimit, 1, `${m.name}: errors never pass silently`);
      assert.equal(m.count, undefined, `${m.name} runs for the whole rollout`);
    }
  });

  it("R-PD-4, R-PD-5: worst case to stable where evidence comes in one scrape, hand-computed: error rate 30 s (≤ 60 s), p99 3 min 25 s, memory 3 min 55 s, spawns 3 min 40 s", () => {
    const worst = Object.fromEntries(triggerPlans(prod()).map((t) => [t.trigger, t.worstSeconds]));
    // error rate: one 15 s scrape + one 5 s measurement + 10 s traffic shift
    assert.equal(worst["error-rate"], 30);
    assert.ok(worst["error-rate"] <= 60);
    // p99: the 3 min held window + one 15 s measurement + 10 s shift
    assert.equal(worst["latency-p99"], 205);
    // memory (a gauge): one 15 s scrape + 3 min held (R-PD-5) + one 30 s measurement + 10 s shift
    assert.equal(worst.memory, 235);
    // spawn failures: 1 min window + 2 min held (R-PD-5) + one 30 s measurement + 10 s shift
    assert.equal(worst["agent-spawn-failures"], 220);
    const plan = deliveryPlan(prod());
    assert.ok(plan.rollback.trafficShiftSeconds <= 30, "R-PD-4: the shift itself ≤ 30 s");
    assert.ok(plan.rollback.completeSeconds <= 300, "R-PD-4: complete within 5 min");
  });

  it("R-PD-4: the worst case follows the declared values (a 30 s scrape adds 15 s to the memory trigger)", () => {
    const slow = prod({ monitoring: { scrapeInterval: "30s" }, delivery: { strategy: "canary", rollback: { errorRate: { window: "1m" } } } });
    const worst = Object.fromEntries(triggerPlans(slow).map((t) => [t.trigger, t.worstSeconds]));
    assert.equal(worst.memory, 30 + 180 + 30 + 10);
    assert.equal(worst["error-rate"], 30 + 5 + 10);
  });

  it("R-PD-4: the plugin is pinned by checksum and architecture from config", () => {
    const arm = prod({ delivery: { strategy: "canary", gatewayPlugin: { version: "v0.15.0", arch: "arm64", sha256: "a".repeat(64) } } });
    assert.equal(
      gatewayPluginUrl(arm),
      "https://github.com/argoproj-labs/rollouts-plugin-trafficrouter-gatewayapi/releases/download/v0.15.0/gatewayapi-plugin-linux-arm64",
    );
    const plugin = controllerValues(arm).controller.trafficRouterPlugins[0];
    assert.equal(plugin.sha256, "a".repeat(64));
    assert.match(plugin.location, /linux-arm64$/);
    rejects({ delivery: { strategy: "canary", gatewayPlugin: { version: "v0.15.0", arch: "amd64", sha256: "ABC" } } }, /delivery\.gatewayPlugin\.sha256 = "ABC": must be the 64 lower-case hex digits/);
    rejects({ delivery: { strategy: "canary", gatewayPlugin: { version: "v0.15.0", arch: "s390x", sha256: "a".repeat(64) } } }, /delivery\.gatewayPlugin\.arch = "s390x": must be one of amd64, arm64/);
  });

  it("R-PD-4: a stack that installs the plugin without its checksum is refused, naming the command (no checksum is invented)", () => {
    const raw = stackRaw("prod");
    const delivery = JSON.parse(raw["agent-platform:delivery"].value);
    delete delivery.gatewayPlugin;
    raw["agent-platform:delivery"] = { value: JSON.stringify(delivery), secret: false };
    assert.throws(
      () => parseStackConfig(raw, "prod"),
      (e: unknown) => {
        assert.ok(e instanceof ConfigError);
        assert.deepEqual(e.problems, [
          "agent-platform:delivery.gatewayPlugin.sha256 is required and not set: the Argo Rollouts controller this stack installs downloads the " +
            "Gateway API plugin v0.15.0 (linux-amd64) and must verify it; read the checksum as docs/delivery.md shows and run " +
            "`pulumi config set --path delivery.gatewayPlugin.sha256 <64 hex digits>`",
        ]);
        return true;
      },
    );
    // Where the controller is someone else's, no checksum is needed.
    delivery.installController = false;
    raw["agent-platform:delivery"] = { value: JSON.stringify(delivery), secret: false };
    assert.equal(parseStackConfig(raw, "prod").delivery.gatewayPlugin.sha256, undefined);
  });

  it("R-PD-2, R-ENV-11: canary weights that do not rise are rejected", () => {
    const steps = [
      { weight: 5, duration: "10m", maxErrorRate: 0.02, latencyQuantile: "p95", maxLatencyMs: 500 },
      { weight: 5, duration: "20m", maxErrorRate: 0.015, latencyQuantile: "p99", maxLatencyMs: 1000 },
    ];
    rejects({ delivery: { strategy: "canary", canarySteps: steps } }, /agent-platform:delivery\.canarySteps\[1\]\.weight = 5: canary weights must rise/);
  });

  it("R-PD-9: the strategy must be stated in the stack file", () => {
    rejects({ delivery: undefined }, /agent-platform:delivery\.strategy is not set: it must be one of rolling, blueGreen, canary/);
  });

  it("R-PD-2: a canary without traffic routing is rejected (no exact weights)", () => {
    rejects({ delivery: { strategy: "canary", trafficRouter: "none" } }, /delivery\.trafficRouter = "none": a canary needs traffic routing/);
  });

  it("R-PD-4, R-PD-11: a latency criterion the checks cannot count (no bucket bound) is refused; a bucket bound is accepted", () => {
    rejects(
      { delivery: { strategy: "canary", rollback: { latencyP99: { thresholdMs: 1500 } } } },
      /^Invalid configuration for stack "prod": agent-platform:delivery\.rollback\.latencyP99\.thresholdMs = 1500: must be a bucket bound of http_request_duration_seconds \(agent-platform:alerting\.histograms\.requestDurationBuckets = \[0\.1,0\.25,0\.5,1,2,2\.5,5,10,20,30,60\] from the prod profile\); the canary's checks count the requests above it$/,
    );
    assert.equal(prod({ delivery: { strategy: "canary", rollback: { latencyP99: { thresholdMs: 2500 } } } }).delivery.rollback.latencyP99.thresholdMs, 2500);
  });

  it("R-PD-8: flags: percentage 0..100 and restrictions that name real environments", () => {
    const flag = { key: "new-planner", enabled: true, percentage: 101, userTargeting: [], environmentRestrictions: [] };
    rejects({ featureFlags: [flag] }, /agent-platform:featureFlags\[0\]\.percentage = 101: must be ≤ 100/);
    rejects({ featureFlags: [{ ...flag, percentage: 10, environmentRestrictions: ["qa"] }] }, /featureFlags\[0\]\.environmentRestrictions\[0\] = "qa": must be one of dev, staging, prod/);
    rejects({ featureFlags: [{ ...flag, percentage: 10 }, { ...flag, percentage: 20 }] }, /featureFlags\[1\]\.key = "new-planner": flag keys must be unique/);
  });

  it("R-PD-8: the flags document says which flags apply to this environment", () => {
    const flags = [
      { key: "new-planner", enabled: true, percentage: 25, userTargeting: ["team-a"], environmentRestrictions: ["staging"] },
      { key: "mcp-v2", enabled: true, percentage: 100, userTargeting: [], environmentRestrictions: [] },
    ];
    const doc = flagsDocument(parseStackConfig(stackRaw("prod", { featureFlags: flags }), "prod"));
    assert.deepEqual(doc.flags.map((f) => [f.key, f.percentage, f.activeInThisEnvironment]), [["new-planner", 25, false], ["mcp-v2", 100, true]]);
  });
});

describe("R-PD-5: the Prometheus the analyses query", () => {
  // kube-prometheus-stack's templates/_helpers.tpl: the release name when it contains the
  // chart name, else "<release>-kube-prometheus-stack", cut to 26 characters, then one
  // trailing "-" removed (Sprig's trimSuffix, Go's strings.TrimSuffix).
  it("R-PD-5: the chart's Service name follows the chart's fullname rule for any release name, or the override", () => {
    const url = (releaseName: string, prometheusUrl?: string) =>
      prometheusUrl_({ monitoring: { ...parseStackConfig(stackRaw("prod"), "prod").monitoring, releaseName, prometheusUrl } });
    assert.equal(url("kube-prometheus-stack"), "http://kube-prometheus-stack-prometheus.monitoring.svc:9090");
    assert.equal(url("kps"), "http://kps-kube-prometheus-stack-prometheus.monitoring.svc:9090");
    assert.equal(url("monitoring"), "http://monitoring-kube-prometheus-prometheus.monitoring.svc:9090");
    assert.equal(url("platform9"), "http://platform9-kube-prometheus-prometheus.monitoring.svc:9090"); // cut at a "-", which goes
    // Cut after "--": Helm removes one "-" and keeps the other, so the Service has two.
    assert.equal(url("observability-stack-eu01--b"), "http://observability-stack-eu01--prometheus.monitoring.svc:9090");
    // Contains the chart's name: the release name alone, cut the same way.
    assert.equal(url("abc-kube-prometheus-stack-eu"), "http://abc-kube-prometheus-stack-prometheus.monitoring.svc:9090");
    assert.equal(url("kps", "http://thanos.obs.svc:9090"), "http://thanos.obs.svc:9090");
  });
});
