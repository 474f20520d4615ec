// R-ENV-12: an operator changes one alert number in a stack file, key by key, and exactly
// that rule changes in the rendered rules (its expression and the description that states
// the threshold); the stack's rendered alert table shows the new number.
import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parse } from "yaml";
import { ROOT } from "../../components/config/stackFile";
import { renderCli } from "../../scripts/render";

type Rule = { alert?: string; record?: string; expr: string; labels?: Record<string, string>; annotations?: Record<string, string> };

async function renderWith(extraLine: string): Promise<{ rules: Array<{ name: string; rules: Rule[] }>; alertsMd: string }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "agent-platform-override-"));
  try {
    fs.copyFileSync(path.join(ROOT, "Pulumi.yaml"), path.join(dir, "Pulumi.yaml"));
    fs.writeFileSync(path.join(dir, "Pulumi.staging.yaml"), fs.readFileSync(path.join(ROOT, "Pulumi.staging.yaml"), "utf8") + extraLine);
    const out = path.join(dir, "out");
    let err = "";
    const code = await renderCli(["staging", "--config-dir", dir, "--out", out], { out: () => undefined, err: (t) => (err += t) });
    assert.equal(code, 0, err);
    return {
      rules: parse(fs.readFileSync(path.join(out, "staging", "prometheus", "rules.yaml"), "utf8")).groups,
      alertsMd: fs.readFileSync(path.join(out, "staging", "alerts.md"), "utf8"),
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

describe("R-ENV-12: one line in a stack file changes one alert", function () {
  this.timeout(60_000);

  it("R-ENV-12, R-ENV-7: raising staging's error-rate warning from 4 % to 3 % changes exactly that rule, and the rendered table says 3 %", async () => {
    const before = await renderWith("");
    const after = await renderWith("  agent-platform:alerting: {rules: {errorRate: {warning: {threshold: 0.03}}}}\n");
    const flat = (g: Array<{ name: string; rules: Rule[] }>) => g.flatMap((x) => x.rules.map((r) => ({ group: x.name, r })));
    const a = flat(before.rules);
    const b = flat(after.rules);
    assert.equal(a.length, b.length, "no rule added or removed");
    const changed = a.map((x, i) => [x, b[i]] as const).filter(([x, y]) => JSON.stringify(x) !== JSON.stringify(y));
    assert.equal(changed.length, 1, `exactly one rule changed: ${changed.map(([x]) => x.r.alert ?? x.r.record).join(", ")}`);
    const [[old, now]] = changed;
    assert.equal(now.r.alert, "HighErrorRate");
    assert.equal(now.r.labels?.severity, "warning");
    // staging's relaxed preset had 4 %; the stack now says 3 %.
    assert.match(old.r.expr, /^service:http_error_ratio:rate5m > 0\.04 and /);
    assert.match(now.r.expr, /^service:http_error_ratio:rate5m > 0\.03 and /);
    assert.equal(now.r.expr.replace("0.03", "0.04"), old.r.expr, "only the number moved");
    assert.match(now.r.annotations!.description, /\(warning when > 3% for 10m\)\.$/);
    assert.match(after.alertsMd, /\| R-AL-1 \| \[HighErrorRate\]\([^)]*\) \| warning \| P2 \| HTTP 5xx ratio over 5m \| > 3% for 10m \|/);
    assert.match(before.alertsMd, /\| warning \| P2 \| HTTP 5xx ratio over 5m \| > 4% for 10m \|/);
  });

  it("R-ENV-12: a `for` and a priority are overridable the same way", async () => {
    const after = await renderWith("  agent-platform:alerting: {rules: {latencyP99: {critical: {for: 7m, priority: P0}}}}\n");
    const rule = after.rules.flatMap((g) => g.rules).find((r) => r.alert === "HighLatencyP99")!;
    assert.equal((rule as unknown as { for: string }).for, "7m");
    assert.equal(rule.labels?.priority, "P0");
  });

  it("R-ENV-12: a `for` of 0s leaves the rule without `for` and its description without \"for\"", async () => {
    const after = await renderWith("  agent-platform:alerting: {rules: {latencyP99: {critical: {for: 0s}}}}\n");
    const rule = after.rules.flatMap((g) => g.rules).find((r) => r.alert === "HighLatencyP99")!;
    assert.equal("for" in rule, false, JSON.stringify(rule));
    assert.match(rule.annotations!.description, /\(critical when > 4\.5s\)\.$/);
  });

  it("R-AL-19: a latency SLO threshold that is not a whole number of seconds (0.5 s) counts the bucket le=\"0.5\" exactly", async () => {
    const after = await renderWith("  agent-platform:alerting: {slo: {latency: {thresholdSeconds: 0.5}}}\n");
    const rec = after.rules.flatMap((g) => g.rules).find((r) => r.record === "slo:http_latency_misses:ratio_rate5m")!;
    assert.match(rec.expr, /http_request_duration_seconds_bucket\{[^}]*,le="0\.5"\}/);
    assert.doesNotMatch(rec.expr, /le=~/);
  });
});
