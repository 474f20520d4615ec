// R-PD-3, R-PD-4, R-PD-5, R-PD-11: every PromQL query of the rendered AnalysisTemplates is
// accepted by promtool; the evidence queries count exactly what they say on synthetic
// series (a 5xx series created at the first 5xx counted from zero, a counter reset never
// negative, each threshold just met and just passed), and the TypeScript twin the verdict
// simulator runs (components/model/delivery/queries.ts) answers what Prometheus answers
// for every rendered evidence query, on simulated traffic, at unaligned times. The memory
// and spawn triggers answer "did the condition hold for its whole duration". Argo fails a
// trigger on the first failed measurement (failureLimit 0), and a measurement can come at
// any time: so "never fails" is checked at every 15 s point (max_over_time of the query),
// "fails at" at the exact time.
import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { stringify } from "yaml";
import { parseStackConfig } from "../../components/config";
import { EvidenceCheck, ScrapedCanary, evidence, healthyLatency, rng, verdictChecks } from "../../components/model/delivery";
import { one, stack, stackRaw } from "../helpers/mocks";
import { promtoolCheckRules, requireTool, run } from "../helpers/tools";

const HASH = "abc123";
const NS = "agent-platform-prod";
const STEP = 15; // seconds between samples: the prod scrape interval

type Metric = { name: string; provider: { prometheus?: { query: string } } };

async function templateQueries(s: "staging" | "prod"): Promise<Array<{ template: string; metric: string; query: string }>> {
  const r = await stack(s);
  return r.manifests
    .filter((m) => m.kind === "AnalysisTemplate")
    .flatMap((t: any) =>
      (t.spec.metrics as Metric[])
        .filter((m) => m.provider.prometheus)
        .map((m) => ({ template: t.metadata.name, metric: m.name, query: m.provider.prometheus!.query.replace(/\{\{args\.canary-hash\}\}/g, HASH) })),
    );
}

async function query(template: string, metric: string): Promise<string> {
  const q = (await templateQueries("prod")).find((x) => x.template === template && x.metric === metric);
  assert.ok(q, `${template}/${metric} exists`);
  return q!.query;
}

const sel = (hash: string, extra = "") => `{namespace="${NS}",rollouts_pod_template_hash="${hash}"${extra}}`;

/** A counter from per-step increments, starting high so rate() never extrapolates to zero. */
function counter(series: string, increments: number[]): { series: string; values: string } {
  let v = 1_000_000;
  const out = [v];
  for (const inc of increments) out.push((v += inc));
  return { series, values: out.join(" ") };
}

/** Per-step values: `base` everywhere, `bad` in the given [from, to) step ranges. */
function shape(steps: number, base: number, bad: number, ranges: Array<[number, number]>): number[] {
  return Array.from({ length: steps }, (_, i) => (ranges.some(([a, b]) => i >= a && i < b) ? bad : base));
}

interface Check {
  /** Seconds. */
  at: number;
  expr: string;
  /** Expected value (rounded to 4 decimals), or null for "no result". */
  value: number | null;
}

function promtoolTest(dir: string, name: string, inputSeries: Array<{ series: string; values: string }>, checks: Check[]) {
  return {
    name,
    interval: `${STEP}s`,
    input_series: inputSeries,
    promql_expr_test: checks.map((c) => ({
      expr: c.value === null ? c.expr : `round((${c.expr}) * 10000)`,
      eval_time: Number.isInteger(c.at) ? `${c.at}s` : `${Math.round(c.at * 1000)}ms`,
      exp_samples: c.value === null ? [] : [{ labels: "{}", value: Math.round(c.value * 10000) }],
    })),
  };
}

describe("R-PD-3, R-PD-4, R-PD-5: AnalysisTemplate PromQL under promtool", function () {
  this.timeout(180_000);
  let dir: string;
  const tests: unknown[] = [];
  before(() => {
    requireTool("promtool");
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "agent-platform-analysis-"));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  const runTests = (file: string, list: unknown[]) => {
    const p = path.join(dir, file);
    fs.writeFileSync(p, stringify({ rule_files: [], evaluation_interval: "15s", tests: list }, { lineWidth: 0 }));
    return run("promtool", ["test", "rules", p]);
  };

  it("R-PD-3: `promtool check rules` accepts every analysis query of staging and prod", async () => {
    const all = [...(await templateQueries("staging")), ...(await templateQueries("prod"))];
    assert.ok(all.length >= 9, `found ${all.length} queries`);
    const rules = {
      groups: [
        {
          name: "analysis-queries",
          rules: all.map((q, i) => ({ record: `analysis:${q.template.replace(/-/g, "_")}:${q.metric.replace(/-/g, "_")}:${i}`, expr: q.query })),
        },
      ],
    };
    const res = promtoolCheckRules(stringify(rules));
    assert.equal(res.status, 0, res.out);
    assert.match(res.out, new RegExp(`SUCCESS: ${all.length} rules found`));
  });

  /** Per-step counts as a counter series on one canary pod, absent (`_`) until its first event, as prom-client creates labelled counters. */
  const lazy = (series: string, perStep: number[]) => {
    let v = 0;
    let seen = false;
    return {
      series,
      values: perStep
        .map((x) => {
          v += x;
          seen ||= v > 0;
          return seen ? String(v) : "_";
        })
        .join(" "),
    };
  };
  const on = (code: string, pod = "agent-platform-abc123-x1") => `http_requests_total${sel(HASH, `,pod="${pod}",code="${code}"`)}`;
  const le = (bound: string, pod = "agent-platform-abc123-x1") => `http_request_duration_seconds_bucket${sel(HASH, `,pod="${pod}",le="${bound}"`)}`;
  const steps = (n: number, f: (i: number) => number) => Array.from({ length: n }, (_, i) => f(i));

  it("R-PD-4, R-PD-11: error trigger: a 5xx series created at the first 5xx counts from zero; 6 of 120 (= 5 %) is no evidence, 9 of 120 is; 3 errors never are, 4 are", async () => {
    const q = await query("rollback-triggers", "error-rate");
    const n = 60;
    // 30 requests a step (2/s); from step 41 on, 3 of them are 5xx (the 500 series appears then).
    const onset = 41;
    const tenPercent = [lazy(on("200"), steps(n, (i) => (i >= onset ? 27 : 30))), lazy(on("500"), steps(n, (i) => (i >= onset ? 3 : 0)))];
    // One request a step, every one a 5xx, from step 10.
    const outage = [lazy(on("500"), steps(n, (i) => (i >= 10 ? 1 : 0)))];
    const res = runTests("error-evidence.yaml", [
      promtoolTest(dir, "10 % from step 41", tenPercent, [
        { at: 40 * STEP + 7, expr: q, value: 0 },
        { at: 41 * STEP + 7, expr: q, value: 0 }, // 3 errors: fewer than 4
        { at: 42 * STEP + 7, expr: q, value: 0 }, // 6 of 114 + 6 = 120: exactly 5 %, not above
        { at: 43 * STEP + 7, expr: q, value: 9 }, // 9 of 111 + 9 = 120: above 5 %
      ]),
      promtoolTest(dir, "one request a step, all 5xx", outage, [
        { at: 12 * STEP + 7, expr: q, value: 0 }, // 3 errors
        { at: 13 * STEP + 7, expr: q, value: 4 }, // 4 errors of 4 requests
        { at: 20 * STEP + 7, expr: q, value: 4 }, // the last minute's 4
      ]),
    ]);
    assert.equal(res.status, 0, res.out);
  });

  it("R-PD-4, R-PD-11: error trigger: a restarted pod's counter counts nothing (never negative), a new pod counts from zero, stable's pods never count, a healthy 0.1 % never is evidence", async () => {
    const q = await query("rollback-triggers", "error-rate");
    const n = 40;
    const restarted = {
      series: on("500", "agent-platform-abc123-x1"),
      values: steps(n, (i) => (i < 20 ? 100 + i : i - 19)).join(" "), // 100 … 119, then 1, 2, …
    };
    const res = runTests("error-evidence-edges.yaml", [
      promtoolTest(dir, "a counter reset", [restarted, lazy(on("200"), steps(n, () => 1))], [{ at: 21 * STEP + 7, expr: q, value: 0 }]),
      promtoolTest(
        dir,
        "a new pod within the window",
        [lazy(on("200"), steps(n, () => 10)), lazy(on("500", "agent-platform-abc123-y2"), steps(n, (i) => (i >= 30 ? 2 : 0)))],
        // pod y2's 4 errors of 20 + 4 requests over the minute (pod x1's 200s: 4 steps × 10 ... 40 + 4 = 44 requests; 4 > 2.2)
        [{ at: 31 * STEP + 7, expr: q, value: 4 }],
      ),
      promtoolTest(
        dir,
        "stable's errors are not the canary's",
        [lazy(on("200"), steps(n, () => 30)), lazy(`http_requests_total${sel("stable99", ',pod="agent-platform-stable99-z3",code="500"')}`, steps(n, () => 30))],
        [{ at: 30 * STEP + 7, expr: q, value: 0 }],
      ),
      promtoolTest(
        dir,
        "healthy: 300 requests a step, one 5xx every third step",
        [lazy(on("200"), steps(n, () => 300)), lazy(on("500"), steps(n, (i) => (i % 3 === 0 ? 1 : 0)))],
        [{ at: 30 * STEP, expr: `max_over_time((${q})[7m:15s])`, value: 0 }],
      ),
    ]);
    assert.equal(res.status, 0, res.out);
  });

  it("R-PD-4, R-PD-11: p99 trigger: a p99 spike of 90 s (2 % slower than 2 s) is tolerated, 105 s is not; a sustained 5 % is evidence at its third scrape", async () => {
    const q = await query("rollback-triggers", "latency-p99");
    const n = 80;
    // 50 requests a step; `slow(i)` of them above 2 s.
    const hist = (slow: (i: number) => number) => [lazy(le("2"), steps(n, (i) => 50 - slow(i))), lazy(le("+Inf"), steps(n, () => 50))];
    const spike = (length: number) => hist((i) => (i >= 40 && i < 40 + length ? 1 : 0));
    const res = runTests("p99-evidence.yaml", [
      // 6 steps × 1 slow of the window's 12 × 50 = 600: 6 is not above 1 %
      promtoolTest(dir, "a 90 s spike", spike(6), [{ at: 60 * STEP, expr: `max_over_time((${q})[20m:15s])`, value: 0 }]),
      // 7 steps: 7 of 600 is
      promtoolTest(dir, "a 105 s spike", spike(7), [{ at: 46 * STEP + 7, expr: q, value: 7 }]),
      // Prometheus 3 stores the bound as "2.0": the same answer.
      promtoolTest(
        dir,
        "a 105 s spike, le as Prometheus 3 stores it",
        spike(7).map((x) => ({ ...x, series: x.series.replace('le="2"', 'le="2.0"') })),
        [{ at: 46 * STEP + 7, expr: q, value: 7 }],
      ),
      // 60 requests a step, 3 slow from the sample at step 40: 3, 6 (≤ 7.2 = 1 % of 720), then 9
      promtoolTest(
        dir,
        "5 % sustained",
        [lazy(le("2"), steps(n, (i) => (i >= 40 ? 57 : 60))), lazy(le("+Inf"), steps(n, () => 60))],
        [
          { at: 40 * STEP + 7, expr: q, value: 0 },
          { at: 41 * STEP + 7, expr: q, value: 0 },
          { at: 42 * STEP + 7, expr: q, value: 9 },
        ],
      ),
    ]);
    assert.equal(res.status, 0, res.out);
  });

  it("R-PD-3, R-PD-11: stage gates count over the whole stage: stage 1's 2 % of 10 min and ≥ 4 5xx; its p95 gate counts the requests slower than 500 ms", async () => {
    const err = await query("canary-stage-1", "error-rate");
    const p95 = await query("canary-stage-1", "latency-p95");
    const n = 60;
    const res = runTests("stage-evidence.yaml", [
      promtoolTest(
        dir,
        "stage 1: 2.5 % errors and 8 % slower than 500 ms from step 0",
        [
          lazy(on("200"), steps(n, () => 39)),
          lazy(on("500"), steps(n, (i) => (i % 1 === 0 && i >= 1 ? 1 : 0))),
          lazy(le("0.5"), steps(n, () => 37)),
          lazy(le("+Inf"), steps(n, () => 40)),
        ],
        [
          // 10 min = 40 steps: 40 errors of 39 × 40 + 40 = 1600 (2.5 %)
          { at: 45 * STEP + 7, expr: err, value: 40 },
          // 3 × 40 = 120 of 1600 slower than 500 ms (7.5 % > 5 %)
          { at: 45 * STEP + 7, expr: p95, value: 120 },
        ],
      ),
    ]);
    assert.equal(res.status, 0, res.out);
  });

  it("R-PD-11: the simulator's TypeScript twin of every rendered evidence query answers what Prometheus answers, on simulated traffic, at unaligned times", async () => {
    const r = await stack("prod");
    const cfg = parseStackConfig(stackRaw("prod"), "prod");
    const checks = verdictChecks(cfg);
    const named: Array<[string, string, EvidenceCheck]> = [
      ["rollback-triggers", "error-rate", checks.errorTrigger!],
      ["rollback-triggers", "latency-p99", checks.latencyTrigger!],
      ...checks.stages.flatMap((c, i): Array<[string, string, EvidenceCheck]> => [
        [`canary-stage-${i + 1}`, "error-rate", c.errors],
        [`canary-stage-${i + 1}`, c.latencyMetric, c.latency],
      ]),
    ];
    const rendered = (template: string, metric: string) =>
      ((one(r, "AnalysisTemplate", template) as any).spec.metrics.find((m: any) => m.name === metric).provider.prometheus.query as string).replace(/\{\{args\.canary-hash\}\}/g, HASH);
    const bounds = [...new Set(named.flatMap(([, , c]) => (c.bad.kind === "slow" ? [c.bad.le] : [])))].sort((a, b) => a - b);
    const latency = healthyLatency(cfg);
    const scenarios: Array<[string, number, number, { mu: number; sigma: number }]> = [
      ["10 % 5xx at 2 rps", 2, 0.1, latency],
      ["0.5 % 5xx, slow, at 6 rps", 6, 0.005, { mu: latency.mu + 2.5, sigma: latency.sigma }],
      ["a quiet canary", 0.05, 0.3, latency],
    ];
    const list: unknown[] = [];
    let compared = 0;
    for (const [name, rps, errorRate, lat] of scenarios) {
      const steps = 170; // 42.5 minutes: past the last evaluation time
      const view = new ScrapedCanary(STEP, (t) => (t < 600 ? rps / 4 : rps), [600], { name, errorRate, latency: lat }, bounds, rng(7 + list.length), 0);
      view.extendTo(steps - 1);
      const series = (values: number[], first: number) => values.map((v, k) => (k >= first ? String(v) : "_")).join(" ");
      const pod = "agent-platform-abc123-x1";
      const input = [
        { series: on("500", pod), values: series(view.errorCounts, view.firstError) },
        { series: on("200", pod), values: series(view.ok, view.firstOk) },
        ...[...bounds, Infinity].map((b, i) => ({ series: le(b === Infinity ? "+Inf" : String(b), pod), values: series(view.buckets.map((x) => x[i]), view.firstObservation) })),
      ];
      const times = Array.from({ length: 12 }, (_, i) => 240 + i * 197 + 0.5);
      const expectations = named.flatMap(([template, metric, check]) =>
        times.map((t) => ({ at: t, expr: rendered(template, metric), value: evidence(view, check, t) })),
      );
      compared += expectations.length;
      list.push(promtoolTest(dir, name, input, expectations));
    }
    const res = runTests("twin.yaml", list);
    assert.equal(res.status, 0, res.out);
    assert.equal(compared, 3 * 8 * 12);
  });

  it("R-PD-5: memory > 90 % for 3 min: a 2 min excursion to 95 % never fails; a sustained one fails 3 min after its first sample, on the pod that has it", async () => {
    const q = await query("rollback-triggers", "memory");
    const n = 120;
    const limit = 2 * 2 ** 30;
    const pod = (suffix: string, values: number[]) => ({
      series: `container_memory_working_set_bytes{namespace="${NS}",pod="agent-platform-${HASH}-${suffix}",container="api"}`,
      values: values.join(" "),
    });
    const high = 0.95 * limit;
    const res = runTests("memory.yaml", [
      promtoolTest(dir, "sustained from 600 s on one pod", [pod("a1b2c", shape(n, 0.5 * limit, high, [[40, n]])), pod("d3e4f", shape(n, 0.5 * limit, 0, []))], [
        { at: 600 + 165, expr: `(${q}) > 0.9`, value: null },
        { at: 600 + 180, expr: `(${q}) > 0.9`, value: 0.95 },
      ]),
      promtoolTest(dir, "a 2 min excursion", [pod("a1b2c", shape(n, 0.5 * limit, high, [[40, 48]]))], [
        { at: 1500, expr: `max_over_time((${q})[25m:15s]) > 0.9`, value: null },
      ]),
    ]);
    assert.equal(res.status, 0, res.out);
  });

  it("R-PD-5: spawn failures > 50 % for 2 min: 55 % fails 1 min window + 2 min after its onset; a 90 s burst and a quiet canary never fail", async () => {
    const q = await query("rollback-triggers", "agent-spawn-failures");
    const n = 120;
    const onset = 40;
    const spawns = (perSecond: number, share: (i: number) => number) => [
      counter(`agent_spawn_total${sel(HASH, ',result="success"')}`, Array.from({ length: n }, (_, i) => perSecond * STEP * (1 - share(i)))),
      counter(`agent_spawn_total${sel(HASH, ',result="failure"')}`, Array.from({ length: n }, (_, i) => perSecond * STEP * share(i))),
    ];
    const res = runTests("spawn.yaml", [
      promtoolTest(dir, "55 % from 600 s", spawns(1, (i) => (i >= onset ? 0.55 : 0)), [
        { at: 600 + 165, expr: `(${q}) > 0.5`, value: null },
        { at: 600 + 180, expr: `(${q}) > 0.5`, value: 0.55 },
      ]),
      promtoolTest(dir, "a 90 s burst of failures", spawns(1, (i) => (i >= onset && i < onset + 6 ? 1 : 0)), [
        { at: 1500, expr: `max_over_time((${q})[25m:15s]) > 0.5`, value: null },
      ]),
      promtoolTest(dir, "quiet canary (0.05 spawns/s, every one failing)", spawns(0.05, () => 1), [{ at: 1500, expr: `max_over_time((${q})[20m:15s])`, value: 0 }]),
    ]);
    assert.equal(res.status, 0, res.out);
  });

  it("R-PD-4: the promtool harness fails on a wrong expectation (the checks can fail)", async () => {
    const q = await query("rollback-triggers", "error-rate");
    const res = runTests("wrong.yaml", [
      promtoolTest(dir, "6 of 120 claimed to be evidence", [lazy(on("200"), steps(60, (i) => (i >= 41 ? 27 : 30))), lazy(on("500"), steps(60, (i) => (i >= 41 ? 3 : 0)))], [
        { at: 42 * STEP + 7, expr: q, value: 6 },
      ]),
    ]);
    assert.notEqual(res.status, 0);
    assert.match(res.out, /FAILED/);
  });

  it("R-PD-3: the hash the Rollout passes is the one every stage query selects on (the values test above proves the selection)", async () => {
    const r = await stack("prod");
    const rollout = r.manifests.find((m) => m.kind === "Rollout") as any;
    const passed = rollout.spec.strategy.canary.steps
      .filter((s: any) => s.analysis?.templates?.[0]?.templateName?.startsWith("canary-stage-"))
      .map((s: any) => s.analysis.args);
    assert.equal(passed.length, 3, "one analysis per stage");
    for (const args of passed) assert.deepEqual(args, [{ name: "canary-hash", valueFrom: { podTemplateHashValue: "Latest" } }]);
    for (const i of [1, 2, 3]) {
      const t = one(r, "AnalysisTemplate", `canary-stage-${i}`) as any;
      assert.deepEqual(t.spec.args, [{ name: "canary-hash" }]);
      for (const m of t.spec.metrics) assert.match(m.provider.prometheus.query, /rollouts_pod_template_hash="\{\{args\.canary-hash\}\}"/, `${t.metadata.name}/${m.name}`);
    }
  });
});
