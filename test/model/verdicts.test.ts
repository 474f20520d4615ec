// R-PD-11: canary verdicts that hold at the platform's traffic. The evidence arithmetic
// against hand-computed binomials; each derived least count at its edge (the count meets
// its share of the false-abort budget, one less does not); the simulator's Argo schedule
// and limits on checks that always or never have evidence; and the budgets, measured by
// the simulator on prod's rendered Rollout and AnalysisTemplates with fixed seeds, 10,000
// rollouts per case, are verdicts.slow.test.ts (outside `npm run test:fast`).
import { strict as assert } from "assert";
import { parseStackConfig } from "../../components/config";
import { Release, SimPlan, binomPmf, binomTail, healthyLatency, minEvidence, poisson, poissonMeanFor, rng, shareAbove, simulateCase, simulateRollout, stageEvidence, verdictChecks, worstFalseFailure } from "../../components/model/delivery";
import { prodPlan } from "../../render/verdicts";
import { RPD2 } from "../helpers/delivery";
import { stack, stackRaw } from "../helpers/mocks";

const prod = () => parseStackConfig(stackRaw("prod"), "prod");

describe("R-PD-11: evidence, not raw ratios", () => {
  it("R-PD-11: the binomial arithmetic, against hand-computed values", () => {
    assert.ok(Math.abs(binomTail(10, 0.5, 5) - 638 / 1024) < 1e-12);
    assert.ok(Math.abs(binomPmf(4, 0.5, 2) - 6 / 16) < 1e-12);
    // P(Bin(59, 0.001) ≥ 3) = 1 − Σ_{k<3} C(59,k) 0.001^k 0.999^(59−k)
    const below = 0.999 ** 59 + 59 * 0.001 * 0.999 ** 58 + ((59 * 58) / 2) * 1e-6 * 0.999 ** 57;
    assert.ok(Math.abs(binomTail(59, 0.001, 3) - (1 - below)) < 1e-12, String(binomTail(59, 0.001, 3)));
    assert.equal(binomTail(5, 0.3, 0), 1);
    assert.equal(binomTail(5, 0.3, 6), 0);
    assert.equal(binomPmf(5, 0, 0), 1);
    assert.equal(binomPmf(5, 1, 5), 1);
    // The one count where 5 % of n is reached first with 3 5xx: 59 requests (3 > 2.95).
    assert.deepEqual(worstFalseFailure(0.05, 0.001, 3).atRequests, 59);
  });

  it("R-PD-11: each derived least count meets its share of the budget and one less does not (the edge of every check)", () => {
    const c = verdictChecks(prod());
    const all = [c.errorTrigger!, c.latencyTrigger!, ...c.stages.flatMap((s) => [s.errors, s.latency])];
    assert.equal(all.length, 8);
    for (const x of all) {
      assert.ok(worstFalseFailure(x.share, x.healthyShare, x.minCount).probability <= x.alpha, `${JSON.stringify(x.bad)} ${x.minCount}`);
      assert.ok(worstFalseFailure(x.share, x.healthyShare, x.minCount - 1).probability > x.alpha, `${JSON.stringify(x.bad)} ${x.minCount - 1}`);
    }
    // The budget (1 %) is shared by the 8 checks; the error trigger's share by 2 × 60 one-minute windows of the hour of traffic.
    assert.equal(c.errorTrigger!.alpha, 0.01 / 8 / 120);
    assert.deepEqual(
      all.map((x) => x.minCount),
      [4, 5, 4, 13, 5, 17, 5, 18],
    );
    assert.throws(() => minEvidence(0.01, 0.01, 1e-4), /a healthy release's share \(0\.01\) must be below the criterion \(0\.01\)/);
  });

  it("R-PD-11: a healthy release's latency tail, from its median and p99 (log-normal)", () => {
    const h = healthyLatency(prod());
    assert.ok(Math.abs(shareAbove(h, 0.6) - 0.01) < 1e-6, "1 % above its p99 (600 ms)");
    assert.ok(Math.abs(shareAbove(h, 0.03) - 0.5) < 1e-9, "half above its median (30 ms)");
    assert.ok(shareAbove(h, 0.5) < 0.05 && shareAbove(h, 1) < 0.01 && shareAbove(h, 2) < 0.01, "inside every criterion");
  });

  it("R-PD-11: what a stage needs to judge at the minimum traffic, and the remedy where it cannot", async () => {
    assert.ok(Math.abs(poissonMeanFor(1, 0.95) - -Math.log(0.05)) < 1e-9, "P(≥ 1) = 1 − e^−m");
    assert.deepEqual(
      stageEvidence(prod()).map((e) => [e.stage, e.requests, Math.max(...e.needs.map((n) => n.requests)), e.feasible]),
      [
        [1, 300, 195, true], // 5 rps × 10 % × 600 s
        [2, 1500, 1216, true],
        [3, 4500, 1275, true],
      ],
    );
    const rpd2 = parseStackConfig(stackRaw("prod", { delivery: { ...JSON.parse(stackRaw("prod")["agent-platform:delivery"].value), canarySteps: RPD2 } }), "prod");
    const first = stageEvidence(rpd2)[0];
    // 5 rps × 1 % × 600 s = 30 requests; 195 needed: 7 % (6.5 rounded up), or 65 min at 1 %.
    assert.deepEqual([first.requests, first.feasible, first.remedy], [30, false, { weight: 7, durationSeconds: 3900 }]);
  });
});

describe("R-PD-11: the simulator", () => {
  it("R-PD-11: its random numbers: fixed by the seed; Poisson draws with the right mean and variance, small and large", () => {
    const a = rng(42);
    const b = rng(42);
    assert.deepEqual([a(), a(), a()], [b(), b(), b()]);
    for (const mean of [0.3, 4, 30, 800]) {
      const u = rng(1);
      const xs = Array.from({ length: 20000 }, () => poisson(mean, u));
      const m = xs.reduce((s, x) => s + x, 0) / xs.length;
      const v = xs.reduce((s, x) => s + (x - m) ** 2, 0) / xs.length;
      assert.ok(Math.abs(m - mean) < 4 * Math.sqrt(mean / xs.length), `mean ${m} for ${mean}`);
      assert.ok(Math.abs(v / mean - 1) < 0.05, `variance ${v} for ${mean}`);
    }
    assert.equal(poisson(0, rng(1)), 0);
  });

  const always: Release = { name: "only 5xx", errorRate: 1, latency: { mu: Math.log(0.03), sigma: 1 } };
  const never: Release = { name: "no 5xx", errorRate: 0, latency: { mu: Math.log(0.03), sigma: 1 } };
  const check = { bad: { kind: "errors" as const }, window: 60, share: 0.05, minCount: 1 };
  const plan = (failureLimit: number): SimPlan => ({
    scrapeInterval: 15,
    stages: [
      { weight: 10, metrics: [{ template: "s1", name: "e", interval: 60, count: 3, failureLimit, check }] },
      { weight: 50, metrics: [{ template: "s2", name: "e", interval: 60, count: 2, failureLimit, check }] },
    ],
    background: [],
    notSimulated: [],
  });

  it("R-PD-11: Argo's schedule: a stage's first measurement at once, the next an interval later; the next stage after the last; a metric fails when its failures exceed the limit, each run counting its own", () => {
    // 3 measurements (0, 60, 120 s), then stage 2 (120, 180 s): promoted at 180 s.
    assert.deepEqual(simulateRollout(plan(0), never, 100, rng(1)), { aborted: false, at: 180 });
    // failureLimit 0: the first measurement with evidence (the first after the first scrape with errors).
    assert.deepEqual(simulateRollout(plan(0), always, 100, rng(1)), { aborted: true, at: 60, by: "s1/e" });
    // failureLimit 1: the second.
    assert.deepEqual(simulateRollout(plan(1), always, 100, rng(1)), { aborted: true, at: 120, by: "s1/e" });
    // failureLimit 2: stage 1's run has 2 failures (60, 120 s), stage 2's run counts its own (120, 180 s): none exceeds 2.
    assert.deepEqual(simulateRollout(plan(2), always, 100, rng(1)), { aborted: false, at: 180 });
  });

  it("R-PD-11: absent series neither abort nor pause a healthy canary (no 5xx series ever exists) and never hide a bad one (no 2xx series ever exists)", async () => {
    const { plan: p } = prodPlan(await stack("prod"));
    const quiet = simulateCase(p, { ...never, latency: healthyLatency(prod()) }, 20, 200, 9);
    assert.equal(quiet.aborted, 0);
    const outage = simulateCase(p, { ...always, latency: healthyLatency(prod()) }, 20, 200, 9);
    assert.equal(outage.aborted, 200);
    assert.deepEqual(Object.keys(outage.by), ["rollback-triggers/error-rate"]);
  });

  it("R-PD-11: the simulator runs the rendered queries or refuses: a template whose query is not the evidence check's is an error", async () => {
    const r = await stack("prod");
    const { cfg } = prodPlan(r);
    const bent = JSON.parse(JSON.stringify(r.manifests));
    const t = bent.find((m: any) => m.kind === "AnalysisTemplate" && m.metadata.name === "canary-stage-1");
    t.spec.metrics[0].provider.prometheus.query = t.spec.metrics[0].provider.prometheus.query.replace(">= 4", ">= 3");
    assert.throws(() => prodPlan({ manifests: bent, config: cfg }), /canary-stage-1\/error-rate: the rendered query is not the evidence check the simulator runs/);
    const { plan: p } = prodPlan(r);
    assert.deepEqual(p.notSimulated, ["rollback-triggers/memory", "rollback-triggers/agent-spawn-failures"]);
    assert.deepEqual(p.stages.map((s) => [s.weight, s.metrics.map((m) => `${m.name} ${m.interval}s ×${m.count}`)]), [
      [10, ["error-rate 60s ×10", "latency-p95 60s ×10"]],
      [25, ["error-rate 60s ×20", "latency-p99 60s ×20"]],
      [50, ["error-rate 60s ×30", "latency-p99 60s ×30"]],
    ]);
    assert.deepEqual(p.background.map((m) => `${m.name} ${m.interval}s`), ["error-rate 5s", "latency-p99 15s"]);
  });
});
