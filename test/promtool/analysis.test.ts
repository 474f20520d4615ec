// R-PD-3, R-PD-4, R-PD-5: every PromQL query of the rendered AnalysisTemplates is
// accepted by promtool and computes the right value on synthetic series.
import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { stringify } from "yaml";
import { one, stack } from "../helpers/mocks";
import { promtoolCheckRules, requireTool, run } from "../helpers/tools";

const HASH = "abc123";
const NS = "agent-platform-prod";

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

// canary: 94 good + 6 errors every 15 s -> error rate 0.06
const canarySixPercentErrors = [
  { series: `http_requests_total{namespace="agent-platform-prod",rollouts_pod_template_hash="abc123",code="200"}`, values: "0+94x80" },
  { series: `http_requests_total{namespace="agent-platform-prod",rollouts_pod_template_hash="abc123",code="503"}`, values: "0+6x80" },
];

const r4 = (q: string) => `round((${q}) * 10000)`;
const sel = (hash: string, extra = "") => `{namespace="${NS}",rollouts_pod_template_hash="${hash}"${extra}}`;

describe("R-PD-3, R-PD-4: AnalysisTemplate PromQL under promtool", function () {
  this.timeout(120_000);
  let dir: string;
  before(() => {
    requireTool("promtool");
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "agent-platform-analysis-"));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

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

  it("R-PD-4, R-PD-5: the queries compute the right values on synthetic series (promtool test rules)", async () => {
    const errStage1 = await query("canary-stage-1", "error-rate");
    const p95 = await query("canary-stage-1", "latency-p95");
    const p99 = await query("rollback-triggers", "latency-p99");
    const errTrigger = await query("rollback-triggers", "error-rate");
    const memory = await query("rollback-triggers", "memory");
    const spawn = await query("rollback-triggers", "agent-spawn-failures");
    const bucket = (le: string, perMin: number) => ({
      series: `http_request_duration_seconds_bucket${sel(HASH, `,le="${le}"`)}`,
      values: `0+${perMin}x80`,
    });
    const tests = {
      rule_files: [],
      evaluation_interval: "1m",
      tests: [
        {
          interval: "15s",
          input_series: [
            ...canarySixPercentErrors,
            // stable: all errors; must not leak into the canary's numbers
            { series: `http_requests_total${sel("stable99", ',code="500"')}`, values: "0+50x80" },
            // latency buckets (cumulative per 15 s): 50 ≤ 0.1 s, 90 ≤ 0.5 s, 98 ≤ 1 s, 100 ≤ 2.5 s
            bucket("0.1", 50),
            bucket("0.5", 90),
            bucket("1", 98),
            bucket("2.5", 100),
            bucket("+Inf", 100),
            // memory: 1 GiB working set of a 2 GiB limit -> 0.5
            { series: `container_memory_working_set_bytes{namespace="${NS}",pod="agent-platform-${HASH}-x7k2p",container="api"}`, values: "1073741824x80" },
            { series: `container_memory_working_set_bytes{namespace="${NS}",pod="agent-platform-stable99-aaaaa",container="api"}`, values: "2147483648x80" },
            // agent spawns: half fail -> 0.5
            { series: `agent_spawn_total${sel(HASH, ',result="failure"')}`, values: "0+3x80" },
            { series: `agent_spawn_total${sel(HASH, ',result="success"')}`, values: "0+3x80" },
          ],
          // Values are compared to 4 decimals (round(x × 10⁴)): rates are floating point.
          promql_expr_test: [
            { expr: r4(errStage1), eval_time: "10m", exp_samples: [{ labels: "{}", value: 600 }] },
            { expr: r4(errTrigger), eval_time: "10m", exp_samples: [{ labels: "{}", value: 600 }] },
            // p95: rank 95 in (0.5, 1] -> 0.5 + 0.5 × (95 − 90) / (98 − 90) = 0.8125
            { expr: r4(p95), eval_time: "10m", exp_samples: [{ labels: "{}", value: 8125 }] },
            // p99: rank 99 in (1, 2.5] -> 1 + 1.5 × (99 − 98) / (100 − 98) = 1.75
            { expr: r4(p99), eval_time: "10m", exp_samples: [{ labels: "{}", value: 17500 }] },
            { expr: r4(memory), eval_time: "10m", exp_samples: [{ labels: "{}", value: 5000 }] },
            { expr: r4(spawn), eval_time: "10m", exp_samples: [{ labels: "{}", value: 5000 }] },
          ],
        },
        {
          // Too little canary traffic (1 request a minute < 0.05/s): no result -> inconclusive.
          interval: "1m",
          input_series: [
            { series: `http_requests_total${sel(HASH, ',code="500"')}`, values: "0+1x20" },
            { series: `http_requests_total${sel("stable99", ',code="200"')}`, values: "0+6000x20" },
          ],
          promql_expr_test: [
            { expr: errStage1, eval_time: "10m", exp_samples: [] },
            { expr: errTrigger, eval_time: "10m", exp_samples: [] },
          ],
        },
      ],
    };
    const file = path.join(dir, "analysis-test.yaml");
    fs.writeFileSync(file, stringify(tests));
    const res = run("promtool", ["test", "rules", file]);
    assert.equal(res.status, 0, res.out);
  });

  it("R-PD-4: the promtool harness fails on a wrong expectation (the check can fail)", async () => {
    const err = await query("canary-stage-1", "error-rate");
    const tests = {
      rule_files: [],
      evaluation_interval: "1m",
      tests: [
        {
          interval: "15s",
          input_series: canarySixPercentErrors,
          promql_expr_test: [{ expr: r4(err), eval_time: "10m", exp_samples: [{ labels: "{}", value: 500 }] }],
        },
      ],
    };
    const file = path.join(dir, "analysis-wrong.yaml");
    fs.writeFileSync(file, stringify(tests));
    assert.notEqual(run("promtool", ["test", "rules", file]).status, 0);
  });

  it("R-PD-3: the analysis queries read the canary's series by its pod-template hash", async () => {
    const r = await stack("prod");
    const t = one(r, "AnalysisTemplate", "canary-stage-1") as any;
    assert.deepEqual(t.spec.args, [{ name: "canary-hash" }]);
  });
});
