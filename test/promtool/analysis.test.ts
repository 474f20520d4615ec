// R-PD-3, R-PD-4, R-PD-5: every PromQL query of the rendered AnalysisTemplates is
// accepted by promtool, stage queries compute the right values, and each rollback trigger
// answers "did the condition hold for its whole duration" on synthetic series:
// a spike shorter than the window never fails, several short spikes over an hour never
// fail, a sustained breach fails exactly when the window has filled, and an error-rate
// jump fails within the worst case. Argo fails a trigger on the first failed measurement
// (failureLimit 0), and a measurement can come at any time: so "never fails" is checked at
// every 15 s point (max_over_time of the query), "fails at" at the exact time.
import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { stringify } from "yaml";
import { one, stack } from "../helpers/mocks";
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

/** Canary HTTP traffic: `rps` requests/s, `errShare(i)` of them 5xx in step i. */
function http(steps: number, rps: number, errShare: (i: number) => number) {
  const per = rps * STEP;
  return [
    counter(`http_requests_total${sel(HASH, ',code="200"')}`, Array.from({ length: steps }, (_, i) => per * (1 - errShare(i)))),
    counter(`http_requests_total${sel(HASH, ',code="500"')}`, Array.from({ length: steps }, (_, i) => per * errShare(i))),
  ];
}

/** Latency histogram: per step, `slow(i)` of the requests at 2.5 s, the rest at 0.1 s (20 req/s). */
function latency(steps: number, slow: (i: number) => number) {
  const per = 20 * STEP;
  const b = (le: string, share: (i: number) => number) =>
    counter(`http_request_duration_seconds_bucket${sel(HASH, `,le="${le}"`)}`, Array.from({ length: steps }, (_, i) => per * share(i)));
  return [
    b("0.1", (i) => 1 - slow(i)),
    b("1", (i) => 1 - slow(i)),
    b("2.5", () => 1),
    b("+Inf", () => 1),
    counter(`http_requests_total${sel(HASH, ',code="200"')}`, Array.from({ length: steps }, () => per)),
  ];
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
      eval_time: `${c.at}s`,
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

  it("R-PD-3: stage queries compute the canary's own error rate and quantiles; too little traffic gives no result (inconclusive)", async () => {
    const err = await query("canary-stage-1", "error-rate");
    const p95 = await query("canary-stage-1", "latency-p95");
    const n = 80;
    const per = 100 / STEP; // 100 requests per step
    const bucket = (le: string, perStep: number) => counter(`http_request_duration_seconds_bucket${sel(HASH, `,le="${le}"`)}`, Array(n).fill(perStep));
    tests.push(
      promtoolTest(dir, "stage values", [
        ...http(n, per, () => 0.06),
        // stable: all errors; must not leak into the canary's numbers
        counter(`http_requests_total${sel("stable99", ',code="500"')}`, Array(n).fill(50)),
        // cumulative per step: 50 ≤ 0.1 s, 90 ≤ 0.5 s, 98 ≤ 1 s, 100 ≤ 2.5 s
        bucket("0.1", 50),
        bucket("0.5", 90),
        bucket("1", 98),
        bucket("2.5", 100),
        bucket("+Inf", 100),
      ], [
        { at: 600, expr: err, value: 0.06 },
        // p95: rank 95 in (0.5, 1] -> 0.5 + 0.5 × (95 − 90) / (98 − 90) = 0.8125
        { at: 600, expr: p95, value: 0.8125 },
      ]),
      // 1 request a minute < 0.05/s: no result, which Argo counts as inconclusive.
      promtoolTest(dir, "stage low traffic", [...http(n, 1 / 60, () => 1), counter(`http_requests_total${sel("stable99", ',code="200"')}`, Array(n).fill(6000))], [
        { at: 600, expr: err, value: null },
      ]),
    );
    const res = runTests("stage.yaml", tests.splice(0));
    assert.equal(res.status, 0, res.out);
  });

  it("R-PD-4: error rate > 5 %: a jump to 5.1 % fails 30 s after it (the window), so the rollback completes within 30 + 15 + 10 = 55 s; 4.9 % never fails", async () => {
    const q = await query("rollback-triggers", "error-rate");
    const n = 120;
    const onset = 40; // step: the jump happens right after the sample at 600 s
    const at = onset * STEP;
    const t = (share: number) => http(n, 20, (i) => (i >= onset ? share : 0));
    const res = runTests("error-rate.yaml", [
      promtoolTest(dir, "5.1 % from 600 s", t(0.051), [
        { at: at + 15, expr: `(${q}) > 0.05`, value: null },
        { at: at + 30, expr: `(${q}) > 0.05`, value: 0.051 },
      ]),
      promtoolTest(dir, "4.9 % never fails", t(0.049), [{ at: at + 600, expr: `max_over_time((${q})[10m:15s]) > 0.05`, value: null }]),
      promtoolTest(dir, "quiet canary: 0, never inconclusive", http(n, 0.01, () => 1), [{ at: 900, expr: q, value: 0 }]),
    ]);
    assert.equal(res.status, 0, res.out);
  });

  it("R-PD-4: p99 > 2 s: spikes up to 90 s never fail, nor four of them within an hour; a sustained breach fails exactly 1 min window + 3 min after its onset", async () => {
    const q = await query("rollback-triggers", "latency-p99");
    const n = 300; // 75 minutes
    // 3.3 % of requests at 2.5 s: p99 = 1 + 1.5 × (3.3 − 1) / 3.3 = 2.045 s, just above 2 s.
    const slowShare = 0.033;
    const onset = 40;
    const spikes: Array<[number, number]> = [
      [20, 26],
      [80, 86],
      [150, 156],
      [230, 236],
    ];
    const res = runTests("p99.yaml", [
      promtoolTest(dir, "sustained from 600 s", latency(n, (i) => (i >= onset ? slowShare : 0)), [
        { at: onset * STEP + 225, expr: `(${q}) > 2`, value: null },
        { at: onset * STEP + 240, expr: `round((${q}) * 1000) / 1000`, value: 2.045 },
      ]),
      promtoolTest(dir, "four 90 s spikes of every request at 2.5 s within an hour", latency(n, (i) => (spikes.some(([a, b]) => i >= a && i < b) ? 1 : 0)), [
        { at: 270 * STEP, expr: `max_over_time((${q})[70m:15s]) > 2`, value: null },
      ]),
    ]);
    assert.equal(res.status, 0, res.out);
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
      promtoolTest(dir, "5.1 % claimed to fail at 15 s", http(80, 20, (i) => (i >= 40 ? 0.051 : 0)), [{ at: 615, expr: `(${q}) > 0.05`, value: 0.051 }]),
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
