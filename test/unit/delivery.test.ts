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
  it("R-PD-2: prod canary stages are 1 % 10 min → 5 % 20 min → 50 % 30 min → 100 %", () => {
    const plan = deliveryPlan(prod());
    assert.equal(plan.strategy, "canary");
    assert.deepEqual(
      plan.stages.map((s) => [s.weight, s.duration]),
      [[1, "10m"], [5, "20m"], [50, "30m"], [100, "-"]],
    );
  });

  it("R-PD-3: stage 1 checks error rate < 2 % and p95 < 500 ms; stages 2 and 3 error rate < 1.5 % and p99 < 1000 ms, each for its whole window", () => {
    const cfg = prod();
    const [s1, s2, s3] = cfg.delivery.canarySteps.map((s, i) => stageTemplate(cfg, s, i).spec as any);
    assert.equal(metric(s1, "error-rate").failureCondition, "len(result) > 0 && result[0] >= 0.02");
    assert.equal(metric(s1, "latency-p95").failureCondition, "len(result) > 0 && result[0] >= 0.5");
    assert.match(metric(s1, "latency-p95").provider.prometheus.query, /histogram_quantile\(0\.95,/);
    assert.equal(metric(s2, "error-rate").failureCondition, "len(result) > 0 && result[0] >= 0.015");
    assert.equal(metric(s2, "latency-p99").failureCondition, "len(result) > 0 && result[0] >= 1");
    assert.equal(metric(s3, "latency-p99").failureCondition, "len(result) > 0 && result[0] >= 1");
    // One measurement a minute for 10, 20 and 30 minutes.
    assert.deepEqual([s1, s2, s3].map((t) => [t.metrics[0].interval, t.metrics[0].count]), [["1m", 10], ["1m", 20], ["1m", 30]]);
  });

  it("R-PD-3: the stage limits say what Argo does with them: failureLimit 1 fails on the 2nd bad measurement, inconclusiveLimit 1 pauses on the 2nd, consecutiveErrorLimit 1 aborts on the 2nd error in a row", () => {
    const cfg = prod();
    const m = (stageTemplate(cfg, cfg.delivery.canarySteps[0], 0).spec as any).metrics[0];
    assert.deepEqual([m.failureLimit, m.inconclusiveLimit, m.consecutiveErrorLimit], [1, 1, 1]);
    assert.match(deliveryPlan(cfg).stages[0].limits, /fails on the 2nd bad measurement, pauses on the 2nd low-traffic one, aborts on the 2nd query error in a row/);
    // Tolerating none: the first one acts.
    const strict = prod({ delivery: { strategy: "canary", analysis: { failuresTolerated: 0, inconclusiveTolerated: 0, consecutiveErrorsTolerated: 0 } } });
    assert.match(deliveryPlan(strict).stages[0].limits, /fails on the 1st bad measurement, pauses on the 1st low-traffic one, aborts on the 1st query error/);
  });

  it("R-PD-3: the limits read in English for larger tolerances: 3rd, 4th, 11th", () => {
    const loose = prod({ delivery: { strategy: "canary", analysis: { failuresTolerated: 2, inconclusiveTolerated: 3, consecutiveErrorsTolerated: 10 } } });
    assert.equal(deliveryPlan(loose).stages[0].limits, "fails on the 3rd bad measurement, pauses on the 4th low-traffic one, aborts on the 11th query error in a row");
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

  it("R-PD-2: too little canary traffic is inconclusive (pause), never a pass nor a rollback", () => {
    const cfg = prod();
    const m = (stageTemplate(cfg, cfg.delivery.canarySteps[0], 0).spec as any).metrics[0];
    assert.match(m.provider.prometheus.query, /and on\(\) \(sum\(rate\(http_requests_total\{.*\}\[1m\]\)\) >= 0\.05\)$/);
    assert.match(m.successCondition, /^len\(result\) > 0 && /, "an empty result does not succeed");
    assert.match(m.failureCondition, /^len\(result\) > 0 && /, "an empty result does not fail");
  });

  it("R-PD-4: error rate > 5 % aborts on the first such measurement; the 5 % is the critical alert's own number", () => {
    const err = metric(triggersTemplate(prod()).spec, "error-rate");
    assert.equal(err.failureLimit, 0, "the first failed measurement aborts");
    assert.equal(err.failureCondition, "len(result) > 0 && result[0] > 0.05");
    assert.equal(err.interval, "15s");
    assert.match(err.provider.prometheus.query, /\[30s\]/, "a 30 s rate window (two 15 s scrapes)");
    // One meaning, one number: moving the alert's threshold moves the rollback trigger.
    const moved = metric(triggersTemplate(prod({ alerting: { rules: { errorRate: { critical: { threshold: 0.06 } } } } })).spec, "error-rate");
    assert.equal(moved.failureCondition, "len(result) > 0 && result[0] > 0.06");
  });

  it("R-PD-4: p99 > 2000 ms rolls back only when it held for the whole 3 min window (a subquery's minimum), on the first such measurement", () => {
    const p99 = metric(triggersTemplate(prod()).spec, "latency-p99");
    assert.equal(p99.failureLimit, 0);
    assert.equal(p99.failureCondition, "len(result) > 0 && result[0] > 2");
    assert.match(p99.provider.prometheus.query, /^\(max\(min_over_time\(\(.*histogram_quantile\(0\.99, .*\[1m\].*\)\[3m:15s\]\) and count_over_time\(\(.*\)\[3m:15s\]\) >= 12\)\) or on\(\) vector\(0\)$/);
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

  it("R-PD-4, R-PD-5: worst case to stable, hand-computed: error rate 55 s (≤ 60 s), p99 4 min 40 s, memory 3 min 55 s, spawns 3 min 40 s", () => {
    const worst = Object.fromEntries(triggerPlans(prod()).map((t) => [t.trigger, t.worstSeconds]));
    // error rate: 30 s window + one 15 s measurement + 10 s traffic shift
    assert.equal(worst["error-rate"], 55);
    assert.ok(worst["error-rate"] <= 60);
    // p99: 1 min window + 3 min held + one 30 s measurement + 10 s shift
    assert.equal(worst["latency-p99"], 280);
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
    assert.equal(worst["error-rate"], 60 + 15 + 10);
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

  it("R-PD-4: a p99 window that is not shorter than its sustained window is rejected (nothing would be tolerated)", () => {
    rejects(
      { delivery: { strategy: "canary", rollback: { latencyP99: { window: "3m" } } } },
      /delivery\.rollback\.latencyP99\.sustained = "3m" from the prod profile: must be longer than agent-platform:delivery\.rollback\.latencyP99\.window = "3m"; /,
    );
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
  // chart name, else "<release>-kube-prometheus-stack", cut to 26 characters, no trailing "-".
  it("R-PD-5: the chart's Service name follows the chart's fullname rule for any release name, or the override", () => {
    const url = (releaseName: string, prometheusUrl?: string) =>
      prometheusUrl_({ monitoring: { ...parseStackConfig(stackRaw("prod"), "prod").monitoring, releaseName, prometheusUrl } });
    assert.equal(url("kube-prometheus-stack"), "http://kube-prometheus-stack-prometheus.monitoring.svc:9090");
    assert.equal(url("kps"), "http://kps-kube-prometheus-stack-prometheus.monitoring.svc:9090");
    assert.equal(url("monitoring"), "http://monitoring-kube-prometheus-prometheus.monitoring.svc:9090");
    assert.equal(url("platform9"), "http://platform9-kube-prometheus-prometheus.monitoring.svc:9090"); // cut at a "-", which goes
    assert.equal(url("kps", "http://thanos.obs.svc:9090"), "http://thanos.obs.svc:9090");
  });
});
