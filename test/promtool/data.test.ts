// R-DATA-3 under `promtool test rules`: the export freshness alert of the prod stack,
// from kube-state-metrics' CronJob series. Exports run daily (15 2 * * *), so "older than
// twice the schedule" is 48 h; the rule holds for 5 min (alerting.rules.exportStale) and is
// evaluated every 30 s. Times below are seconds after the last successful export.
import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parse, stringify } from "yaml";
import { renderRaw } from "../../render";
import { stack, stackRaw } from "../helpers/mocks";
import { requireTool, run } from "../helpers/tools";

const NS = "agent-platform-prod";
const SEL = `namespace="${NS}",cronjob="agent-platform-export",job="kube-state-metrics"`;
const H = 3600;
const LIMIT = 48 * H; // R-DATA-3: twice the daily schedule
const FOR = 300; // alerting.rules.exportStale.warning.for in the prod profile
const MINUTES = 3 * 24 * 60 + 30; // three days and a half hour of samples, one a minute

const lastSuccess = (valueAtMinute: (m: number) => number) => ({
  series: `kube_cronjob_status_last_successful_time{${SEL}}`,
  values: Array.from({ length: MINUTES }, (_, m) => valueAtMinute(m)).join(" "),
});
const created = (at: number) => ({ series: `kube_cronjob_created{${SEL}}`, values: `${at}x${MINUTES}` });

const fired = (age: string) => ({
  exp_labels: { namespace: NS, cronjob: "agent-platform-export", severity: "warning", priority: "P2", service: "agent-platform" },
  exp_annotations: {
    summary: "The memory-store export is stale: no successful export for twice its schedule",
    description:
      `The newest successful run of CronJob agent-platform-export in ${NS} is ${age} old; exports run "15 2 * * *" (UTC), ` +
      "so more than 2d means at least one export is missing.",
    runbook_url: "https://github.com/acme/agent-platform-infra/blob/main/docs/runbooks/ExportStale.md",
  },
});

describe("R-DATA-3, R-DATA-8: ExportStale and RestoreDrillStale fire when the newest successful export or drill is older than twice its schedule, not before", function () {
  this.timeout(300_000);
  let dir: string;

  before(async () => {
    requireTool("promtool");
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "agent-platform-data-rules-"));
  });
  beforeEach(async () => {
    // Per case, not in before(), for Stryker's per-test coverage (test/promtool/alerts.test.ts).
    const groups = parse((await stack("prod")).files["prometheus/rules.yaml"]).groups as Array<{ name: string; interval: string }>;
    const data = groups.filter((g) => g.name === "agent-platform.data");
    assert.equal(data.length, 1, "prod has the data group");
    assert.equal(data[0].interval, "30s");
    fs.writeFileSync(path.join(dir, "data.yaml"), stringify({ groups: data }, { lineWidth: 0 }));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  function promtool(name: string, input_series: unknown[], checks: Array<[number, unknown[]]>, alertname = "ExportStale", rules = "data.yaml") {
    const file = path.join(dir, `${name}.test.yaml`);
    const test = {
      rule_files: [rules],
      evaluation_interval: "30s",
      tests: [
        {
          name,
          interval: "1m",
          input_series,
          alert_rule_test: checks.map(([t, exp_alerts]) => ({ eval_time: `${t}s`, alertname, exp_alerts })),
        },
      ],
    };
    fs.writeFileSync(file, stringify(test, { lineWidth: 0 }));
    const res = run("promtool", ["test", "rules", path.basename(file)], dir);
    assert.equal(res.status, 0, res.out);
  }

  it("R-DATA-3: one success at t=0 and none after: silent at 48 h and while pending, firing at 48 h + 30 s + 5 min", () => {
    promtool("stale-after-48h", [lastSuccess(() => 0), created(-7 * 24 * H)], [
      [24 * H, []],
      [LIMIT, []], // exactly twice the schedule: not older than it
      [LIMIT + 30 + FOR - 30, []], // above the limit, still pending one evaluation short of `for`
      [LIMIT + 30 + FOR, [fired("2d 0h 5m 30s")]],
      [LIMIT + 6 * H, [fired("2d 6h 0m 0s")]],
    ]);
  });

  it("R-DATA-3: daily successes keep it silent for three days; a success one hour later moves the deadline by that hour", () => {
    // Successful at 0, 24 h and 48 h: the age never passes 24 h.
    promtool("daily-successes", [lastSuccess((m) => Math.floor(m / 1440) * 24 * H), created(-7 * 24 * H)], [
      [LIMIT + 30 + FOR, []],
      [72 * H, []],
    ]);
    // One success at 1 h (the series says 3600 from then on): just short at 49 h + 5 min, firing 30 s later.
    promtool("late-success", [lastSuccess((m) => (m < 60 ? 0 : H)), created(-7 * 24 * H)], [
      [LIMIT + 30 + FOR, []],
      [H + LIMIT + FOR, []],
      [H + LIMIT + 30 + FOR, [fired("2d 0h 5m 30s")]],
    ]);
  });

  // R-DATA-8: prod's drill runs "30 4 1 * *": its longest gap is 31 days (1 January to
  // 1 February), so "older than twice the schedule" is 62 days. Evaluating 62 days every
  // 30 s takes promtool minutes, so the rule's behaviour is proven on prod with a drill
  // every 6 h (limit 12 h), and prod's own threshold is read from its rule.
  const DRILL = `namespace="${NS}",cronjob="agent-platform-restore-drill",job="kube-state-metrics"`;
  const drillFired = (age: string, every: string, limit: string) => ({
    exp_labels: { namespace: NS, cronjob: "agent-platform-restore-drill", severity: "warning", priority: "P2", service: "agent-platform" },
    exp_annotations: {
      summary: "No restore drill has proven the exports restorable for too long",
      description:
        `The newest successful run of CronJob agent-platform-restore-drill in ${NS} is ${age} old; drills run "${every}" (UTC), ` +
        `so more than ${limit} means the newest export has not been proven to restore.`,
      runbook_url: "https://github.com/acme/agent-platform-infra/blob/main/docs/runbooks/RestoreDrillStale.md",
    },
  });

  it("R-DATA-8: RestoreDrillStale in prod: older than 62 days (twice the 31-day longest gap of 30 4 1 * *), held 5 min, P2", async () => {
    const groups = parse((await stack("prod")).files["prometheus/rules.yaml"]).groups as Array<{ name: string; rules: Array<Record<string, any>> }>;
    const rule = groups.flatMap((g) => g.rules).find((r) => r.alert === "RestoreDrillStale")!;
    assert.equal(rule.expr, "cronjob:restore_drill_age_seconds:max > 5356800");
    assert.equal(rule.for, "5m");
    assert.equal(rule.labels.priority, "P2");
  });

  it("R-DATA-8: RestoreDrillStale with a drill every 6 h: silent at 12 h and while pending, firing at 12 h + 30 s + 5 min; a drill that never succeeded counts from its creation", async () => {
    const every = "0 */6 * * *";
    const groups = parse((await renderRaw("prod", stackRaw("prod", { backups: { drill: { schedule: every } } }))).files["prometheus/rules.yaml"]).groups as Array<{ name: string }>;
    fs.writeFileSync(path.join(dir, "drill.yaml"), stringify({ groups: groups.filter((g) => g.name === "agent-platform.data") }, { lineWidth: 0 }));
    const LIMIT6 = 12 * H;
    const series = (metric: string) => ({ series: `${metric}{${DRILL}}`, values: `0x${LIMIT6 / 60 + 60}` });
    const checks: Array<[number, unknown[]]> = [
      [6 * H, []],
      [LIMIT6, []],
      [LIMIT6 + 30 + FOR - 30, []],
      [LIMIT6 + 30 + FOR, [drillFired("12h 5m 30s", every, "12h")]],
    ];
    promtool("drill-stale", [series("kube_cronjob_status_last_successful_time"), series("kube_cronjob_created")], checks, "RestoreDrillStale", "drill.yaml");
    promtool("drill-never-succeeded", [series("kube_cronjob_created")], checks, "RestoreDrillStale", "drill.yaml");
  });

  it("R-DATA-3: a CronJob that never succeeded is measured from its creation (no success series at all)", () => {
    promtool("never-succeeded", [created(0)], [
      [LIMIT, []],
      [LIMIT + FOR, []],
      [LIMIT + 30 + FOR, [fired("2d 0h 5m 30s")]],
    ]);
  });
});
