// R-PD-11: the budgets, measured by the simulator on prod's rendered Rollout and
// AnalysisTemplates with fixed seeds, 10,000 rollouts per case: a healthy release rolled
// back in at most 1 % of rollouts from 5 requests/s; from 20 requests/s, 10 % 5xx aborted
// within 60 s and a full outage within 45 s (p95), and a p99 regression within its held
// duration plus 60 s. The same table is in docs/delivery.md. R-PD-2's own weights are
// accepted, and the render says what they miss. About 20 s of simulation: `npm test` runs
// it, `npm run test:fast` leaves it out (*.slow.test.ts).
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { ROOT } from "../../components/config/stackFile";
import { abortQuantile, healthyLatency, releases, simulateCase } from "../../components/model/delivery";
import { renderRaw } from "../../render";
import { prodPlan } from "../../render/verdicts";
import { TABLE_ROLLOUTS, TABLE_TRAFFIC, VERDICTS_BEGIN, VERDICTS_END, verdictsTable } from "../../tools/docs/verdicts";
import { RPD2 } from "../helpers/delivery";
import { stack, stackRaw } from "../helpers/mocks";

describe("R-PD-11: the budgets, simulated on prod's rendered canary plan (10,000 rollouts per case, fixed seeds)", function () {
  this.timeout(300_000);

  it("R-PD-11: rolled back healthy ≤ 1 % from 5 rps; from 20 rps, 10 % 5xx ≤ 60 s, only 5xx ≤ 45 s, p99 = 3 s ≤ 3 min + 60 s (p95); the table in docs/delivery.md is this one", async () => {
    const { cfg, plan } = prodPlan(await stack("prod"));
    const table = verdictsTable(cfg, plan);
    const rows = table.split("\n").slice(2).map((l) => l.split("|").slice(1, -1).map((c) => c.trim()));
    assert.deepEqual(rows.map((r) => r[0]), TABLE_TRAFFIC.map((t) => `${t} rps`));
    assert.deepEqual(TABLE_TRAFFIC, [5, 20, 50, 200, 1000]);
    assert.equal(TABLE_ROLLOUTS, 10000);
    const seconds = (s: string) => (s === "never" ? Infinity : [...s.matchAll(/(\d+)([hms])/g)].reduce((t, m) => t + Number(m[1]) * { h: 3600, m: 60, s: 1 }[m[2] as "h"], 0));
    for (const [traffic, healthy, errors, outage, latency] of rows) {
      const rps = Number(traffic.split(" ")[0]);
      assert.ok(Number(healthy.replace(" %", "")) <= 1, `${traffic}: healthy rolled back ${healthy}`);
      if (rps >= 20) {
        assert.ok(seconds(errors) <= 60, `${traffic}: 10 % 5xx aborted at p95 ${errors}`);
        assert.ok(seconds(outage) <= 45, `${traffic}: only 5xx aborted at p95 ${outage}`);
        assert.ok(seconds(latency) <= 180 + 60, `${traffic}: p99 = 3 s aborted at p95 ${latency}`);
      }
    }
    const doc = fs.readFileSync(path.join(ROOT, "docs", "delivery.md"), "utf8");
    const inDoc = doc.slice(doc.indexOf(VERDICTS_BEGIN) + VERDICTS_BEGIN.length, doc.indexOf(VERDICTS_END)).trim();
    assert.equal(inDoc, table, "docs/delivery.md is stale: run `npm run docs:verdicts`");
  });

  it("R-PD-11, R-PD-2: R-PD-2's 1 % → 5 % → 50 % misses the budgets at 20 rps, and the render says so, with the remedy", async () => {
    const raw = stackRaw("prod");
    raw["agent-platform:delivery"] = { value: JSON.stringify({ ...JSON.parse(raw["agent-platform:delivery"].value), canarySteps: RPD2 }), secret: false };
    const r = await renderRaw("prod", raw);
    const { cfg, plan } = prodPlan(r);
    const rel = releases({ errorRate: 0.001, latency: healthyLatency(cfg) }, 3);
    const bad = simulateCase(plan, rel.errors, 20, 2000, 2);
    assert.ok(abortQuantile(bad, 0.95) > 60, `10 % 5xx at 20 rps: p95 ${abortQuantile(bad, 0.95)} s`);
    assert.match(r.summary, /^ {2}stage 1 \(1 %, 10m\): .*CANNOT judge its criteria at 5 rps: ~30 requests, needs 195; widen it to ≥ 7 % \(delivery\.canarySteps\[0\]\.weight\) or lengthen it to ≥ 1h5m \(\.duration\)$/m);
    assert.match(r.summary, /^ {4}20 rps: healthy rolled back [\d.]+ %; abort p95: 10 % 5xx \S+ \(over budget\)/m);
    const shipped = (await stack("prod")).summary;
    assert.doesNotMatch(shipped, /over budget|CANNOT/);
    assert.match(shipped, /^ {4}5 rps: healthy rolled back 0 %; abort p95: 10 % 5xx 3m, only 5xx 30s, p99 = 3 s 4m$/m);
    assert.match(shipped, /^ {2}trigger error rate > 5 %: ≥ 4 5xx over 1m, and > 5 % of the requests; every 5s$/m);
  });
});
