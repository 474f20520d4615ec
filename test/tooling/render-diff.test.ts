// R-CI-3, R-CI-4: the render diff that pull requests get as a comment. Two real renders
// of prod (the committed stack file, and the same with one threshold changed) must differ
// by exactly that threshold's lines; identical renders say so; a new object is listed as
// added without renumbering the others.
import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { ROOT } from "../../components/config/stackFile";
import { MARKER, renderDiff } from "../../scripts/render-diff";
import { renderCli } from "../../scripts/render";

describe("R-CI-3: the render diff posted on pull requests", function () {
  this.timeout(120_000);
  let tmp: string;
  const render = async (name: string, stackFile: string) => {
    const cfg = path.join(tmp, `cfg-${name}`);
    fs.mkdirSync(cfg);
    fs.copyFileSync(path.join(ROOT, "Pulumi.yaml"), path.join(cfg, "Pulumi.yaml"));
    fs.writeFileSync(path.join(cfg, "Pulumi.prod.yaml"), stackFile);
    const out = path.join(tmp, name);
    let err = "";
    const code = await renderCli(["prod", "--config-dir", cfg, "--out", out], { out: () => undefined, err: (t) => (err += t) });
    assert.equal(code, 0, err);
    return out;
  };
  const committed = () => fs.readFileSync(path.join(ROOT, "Pulumi.prod.yaml"), "utf8");
  /** The +/- lines of the comment's diff blocks, indentation folded. */
  const changedLines = (md: string) =>
    [...md.matchAll(/```diff\n([\s\S]*?)\n```/g)]
      .flatMap((m) => m[1].split("\n"))
      .filter((l) => /^[-+]/.test(l))
      .map((l) => l.replace(/^([-+])\s+/, "$1 "));

  before(() => (tmp = fs.mkdtempSync(path.join(os.tmpdir(), "agent-platform-diff-"))));
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it("R-CI-3: one threshold changed (CPU warning 0.7 → 0.75) gives exactly that rule's lines, in the rule file and the PrometheusRule", async () => {
    const base = await render("base", committed());
    const head = await render(
      "head",
      committed() + "  agent-platform:alerting:\n    rules:\n      cpuSaturation:\n        warning:\n          threshold: 0.75\n",
    );
    const { markdown, diffs } = renderDiff(base, head, "Rendered changes");
    assert.ok(markdown.startsWith(MARKER), "the sticky comment's marker comes first");
    assert.deepEqual(diffs.map((d) => [d.stack, d.added, d.removed, d.changed.map((c) => c.unit)]), [
      ["prod", [], [], ["kubernetes PrometheusRule agent-platform-prod/agent-platform-rules", "prometheus/rules.yaml"]],
    ]);
    const expr = ["- expr: pod:container_cpu_usage:ratio_limit_rate5m > 0.7", "+ expr: pod:container_cpu_usage:ratio_limit_rate5m > 0.75"];
    const description = [
      "- description: CPU use (5m) of the container limit is {{ $value | humanizePercentage }} on pod {{ $labels.pod }} (warning when > 70% for 15m).",
      "+ description: CPU use (5m) of the container limit is {{ $value | humanizePercentage }} on pod {{ $labels.pod }} (warning when > 75% for 15m).",
    ];
    assert.deepEqual(changedLines(markdown), [...description, ...expr, ...description, ...expr]);
    assert.match(markdown, /- \*\*prod\*\*: 2 changed, 0 added, 0 removed/);
  });

  it("R-CI-3: identical renders say there is no change", async () => {
    const a = await render("same-a", committed());
    const b = await render("same-b", committed());
    const { markdown } = renderDiff(a, b);
    assert.equal(markdown, `${MARKER}\n### Rendered changes\n\nNo change to the rendered stacks (prod).\n`);
  });

  it("R-CI-3: objects are compared by kind, namespace and name: a removed add-on is listed object by object, the rest is untouched", async () => {
    const base = await render("flags-base", committed());
    // Leaving the controller to the platform team removes its namespace, policies and release.
    const head = await render("flags-head", committed().replace("  agent-platform:delivery:\n    strategy: canary\n", "  agent-platform:delivery:\n    strategy: canary\n    installController: false\n"));
    const { diffs } = renderDiff(base, head);
    const prod = diffs[0];
    assert.ok(prod.removed.includes("kubernetes Namespace argo-rollouts"), prod.removed.join(", "));
    assert.ok(prod.removed.includes("helm/argo-rollouts.yaml") || prod.removed.some((r) => r.startsWith("helm/")), prod.removed.join(", "));
    assert.deepEqual(prod.added, []);
    assert.ok(!prod.changed.some((c) => c.unit.startsWith("kubernetes PrometheusRule")), "untouched objects are not reported as changed");
  });

  it("R-CI-3: a diff too large for a comment is cut, and says where the rest is", async () => {
    const base = await render("big-base", committed());
    const head = await render("big-head", committed().replace("strategy: canary", "strategy: blueGreen"));
    const { markdown } = renderDiff(base, head, "Rendered changes", 2_000);
    assert.ok(markdown.length < 4_000, `${markdown.length} characters`);
    assert.match(markdown, /diff truncated: the full diff is the workflow's render-diff artifact/);
  });
});
