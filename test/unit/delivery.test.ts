// R-PD-2..8 on the pure delivery model: stage plan, criteria, triggers, worst-case
// rollback latency, config errors and the flags document.
import { strict as assert } from "assert";
import { ConfigError, parseStackConfig } from "../../components/config";
import { deliveryPlan, flagsDocument, rollbackLatency, stageTemplate, triggersTemplate } from "../../components/model/delivery";
import { stackRaw } from "../helpers/mocks";

const prod = () => parseStackConfig(stackRaw("prod"), "prod");

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

  it("R-PD-3: each stage's analysis checks that stage's criteria over the stage window", () => {
    const cfg = prod();
    const [s1, s2, s3] = cfg.delivery.canarySteps.map((s, i) => stageTemplate(cfg, s, i).spec as any);
    const cond = (t: any, name: string) => t.metrics.find((m: any) => m.name === name);
    assert.match(cond(s1, "error-rate").failureCondition, /result\[0\] >= 0\.02$/);
    assert.match(cond(s1, "latency-p95").failureCondition, /result\[0\] >= 0\.5$/);
    assert.match(cond(s1, "latency-p95").provider.prometheus.query, /histogram_quantile\(0\.95,/);
    assert.match(cond(s2, "error-rate").failureCondition, /result\[0\] >= 0\.015$/);
    assert.match(cond(s2, "latency-p99").failureCondition, /result\[0\] >= 1$/);
    assert.match(cond(s3, "latency-p99").provider.prometheus.query, /histogram_quantile\(0\.99,/);
    // measurements × interval = the stage duration (1 m interval)
    assert.deepEqual([s1, s2, s3].map((t) => t.metrics[0].count), [10, 20, 30]);
  });

  it("R-PD-2: too little canary traffic is inconclusive (pause), never a pass nor a rollback", () => {
    const cfg = prod();
    const m = (stageTemplate(cfg, cfg.delivery.canarySteps[0], 0).spec as any).metrics[0];
    assert.match(m.provider.prometheus.query, /and on\(\) \(sum\(rate\(http_requests_total\{.*\}\[1m\]\)\) >= 0\.05\)$/);
    assert.match(m.successCondition, /^len\(result\) > 0 && /, "an empty result does not succeed");
    assert.match(m.failureCondition, /^len\(result\) > 0 && /, "an empty result does not fail");
    assert.ok(m.inconclusiveLimit >= 1 && m.inconclusiveLimit < m.count, "repeated low traffic pauses the rollout");
  });

  it("R-PD-4: error rate > 5 % aborts on the first bad measurement; p99 > 2 s after a debounce", () => {
    const t = (triggersTemplate(prod()).spec as any).metrics;
    const err = t.find((m: any) => m.name === "error-rate");
    assert.equal(err.failureLimit, 0);
    assert.match(err.failureCondition, />= 0\.05$/);
    const p99 = t.find((m: any) => m.name === "latency-p99");
    assert.ok(p99.failureLimit >= 1, "short spikes are tolerated");
    assert.match(p99.failureCondition, />= 2$/);
  });

  it("R-PD-5: memory > 90 % for 3 min and agent-spawn failures > 50 % for 2 min roll back", () => {
    const t = (triggersTemplate(prod()).spec as any).metrics;
    const mem = t.find((m: any) => m.name === "memory");
    assert.match(mem.failureCondition, />= 0\.9$/);
    assert.ok((mem.failureLimit + 1) * 30 >= 180, "sustained for 3 min before abort");
    const spawn = t.find((m: any) => m.name === "agent-spawn-failures");
    assert.match(spawn.provider.prometheus.query, /agent_spawn_total\{.*result="failure"\}/);
    assert.ok((spawn.failureLimit + 1) * 30 >= 120, "sustained for 2 min before abort");
  });

  it("R-PD-4: Prometheus unreachable never passes silently", () => {
    const cfg = prod();
    const all = [...(triggersTemplate(cfg).spec as any).metrics, ...(stageTemplate(cfg, cfg.delivery.canarySteps[0], 0).spec as any).metrics];
    for (const m of all) assert.ok(m.consecutiveErrorLimit >= 1 && m.consecutiveErrorLimit <= 2, `${m.name}: errors fail the analysis quickly`);
  });

  it("R-PD-4: worst-case time to stable is ≤ 60 s for the error-rate trigger; rollback shift ≤ 30 s, complete ≤ 5 min", () => {
    const cfg = prod();
    const err = rollbackLatency(cfg).find((t) => t.trigger === "error-rate")!;
    // 2 × 15 s scrape + 1 × 15 s measurement + 10 s traffic shift
    assert.equal(err.worstSeconds, 55);
    assert.ok(err.worstSeconds <= 60);
    const plan = deliveryPlan(cfg);
    assert.ok(plan.rollback.trafficShiftSeconds <= 30);
    assert.ok(plan.rollback.completeSeconds <= 300);
    const p99 = rollbackLatency(cfg).find((t) => t.trigger === "latency-p99")!;
    assert.equal(p99.worstSeconds, 2 * 15 + 3 * 60 + 10);
  });

  it("R-PD-4: the latency model follows the declared intervals (a slower scrape is visible)", () => {
    const cfg = parseStackConfig(stackRaw("prod", { delivery: { strategy: "canary", scrapeInterval: "30s" } }), "prod");
    const err = rollbackLatency(cfg).find((t) => t.trigger === "error-rate")!;
    assert.equal(err.worstSeconds, 2 * 30 + 15 + 10);
  });

  it("R-PD-9, R-ENV-11: canary weights that do not rise are rejected", () => {
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
