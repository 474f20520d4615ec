// R-OBS-2, R-OBS-4 under `promtool test rules`: the log-based and pipeline alerts of the
// prod stack, just above and just below each threshold, with the priorities of the strict
// preset. Series arrive every 15 s (monitoring.scrapeInterval); rules are evaluated every
// 30 s. The rules' annotations are checked by test/stacks/monitoring.test.ts; here they are
// stripped from the copy promtool reads, so each case states what this file is about: when
// an alert fires, and with which labels.
import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parse, stringify } from "yaml";
import { stack } from "../helpers/mocks";
import { requireTool, run } from "../helpers/tools";

const STEP = 15;
const PROD_LABELS = { service: "agent-platform" };

/** A counter growing at `perSecond` for `minutes`, one sample per 15 s. */
const counter = (series: string, perSecond: number, minutes: number) => ({ series, values: `0+${perSecond * STEP}x${(minutes * 60) / STEP}` });
const gauge = (series: string, value: number, minutes: number) => ({ series, values: `${value}x${(minutes * 60) / STEP}` });

describe("R-OBS-2, R-OBS-4: the log-based and pipeline alerts under promtool", function () {
  this.timeout(300_000);
  let dir: string;

  before(() => {
    requireTool("promtool");
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "agent-platform-obs-rules-"));
  });
  /**
   * The prod rules of the group, written for promtool. Rendered inside each test (the
   * render is cached), so mutation testing attributes the rules' code to these tests.
   */
  async function prepare() {
    const groups = parse((await stack("prod")).files["prometheus/rules.yaml"]).groups as Array<{ name: string; interval: string; rules: Array<Record<string, unknown>> }>;
    const obs = groups.filter((g) => g.name === "agent-platform.observability");
    assert.equal(obs.length, 1, "prod has the observability group");
    assert.equal(obs[0].interval, "30s");
    for (const r of obs[0].rules) delete r.annotations;
    fs.writeFileSync(path.join(dir, "obs.yaml"), stringify({ groups: obs }, { lineWidth: 0 }));
  }
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  function promtool(name: string, alertname: string, input_series: unknown[], checks: Array<[string, unknown[]]>) {
    const file = path.join(dir, `${name}.test.yaml`);
    const test = {
      rule_files: ["obs.yaml"],
      evaluation_interval: "30s",
      tests: [{ name, interval: `${STEP}s`, input_series, alert_rule_test: checks.map(([eval_time, exp_alerts]) => ({ eval_time, alertname, exp_alerts })) }],
    };
    fs.writeFileSync(file, stringify(test, { lineWidth: 0 }));
    const res = run("promtool", ["test", "rules", path.basename(file)], dir);
    assert.equal(res.status, 0, res.out);
  }
  const fired = (severity: string, priority: string) => ({ exp_labels: { severity, priority, ...PROD_LABELS } });
  const REC = "agent_platform_log_records_total";
  const ERR = "agent_platform_log_errors_total";

  it("R-OBS-2: LogErrorRateHigh: 6 % of records at error fires the warning (P2) after its 10 min, 4 % does not; 21 % fires the critical (P1), 19 % does not", async () => {
    await prepare();
    promtool("errors-6pc", "LogErrorRateHigh", [counter(REC, 100, 30), counter(ERR, 6, 30)], [
      ["9m", []],
      ["16m", [fired("warning", "P2")]],
    ]);
    promtool("errors-4pc", "LogErrorRateHigh", [counter(REC, 100, 30), counter(ERR, 4, 30)], [["25m", []]]);
    promtool("errors-21pc", "LogErrorRateHigh", [counter(REC, 100, 30), counter(ERR, 21, 30)], [
      ["4m", []],
      ["12m", [fired("warning", "P2"), fired("critical", "P1")]],
    ]);
    promtool("errors-19pc", "LogErrorRateHigh", [counter(REC, 100, 30), counter(ERR, 19, 30)], [["25m", [fired("warning", "P2")]]]);
  });

  it("R-OBS-2: PlatformFatalErrors (P1, threshold 0): one fatal record fires, also on a counter born with it; none is silent", async () => {
    await prepare();
    const M = "agent_platform_log_fatal_total";
    // An existing counter steps from 0 to 1 at minute 10.
    promtool("fatal-step", "PlatformFatalErrors", [{ series: M, values: `0x40 1x40` }], [
      ["9m", []],
      ["11m", [fired("critical", "P1")]],
      ["16m", []],
    ]);
    // The counter appears with the first fatal record (value 1) at minute 10.
    promtool("fatal-born", "PlatformFatalErrors", [{ series: M, values: `_x40 1x40` }], [
      ["9m", []],
      ["11m", [fired("critical", "P1")]],
    ]);
    promtool("fatal-none", "PlatformFatalErrors", [{ series: M, values: "0x80" }], [["15m", []]]);
  });

  it("R-OBS-2: AuthenticationFailuresHigh (P2) above 5/s for 10 min, not at 4.5/s", async () => {
    await prepare();
    const M = "agent_platform_log_auth_failures_total";
    promtool("auth-6", "AuthenticationFailuresHigh", [counter(M, 6, 30)], [
      ["9m", []],
      ["16m", [fired("warning", "P2")]],
    ]);
    promtool("auth-4.5", "AuthenticationFailuresHigh", [counter(M, 4.5, 30)], [["25m", []]]);
  });

  it("R-OBS-2: DatabaseConnectionErrors: warning (P2) above 0.1/s, critical (P1) above 1/s; just below each is quiet", async () => {
    await prepare();
    const M = "agent_platform_log_db_connection_errors_total";
    promtool("db-0.2", "DatabaseConnectionErrors", [counter(M, 0.2, 20)], [
      ["4m", []],
      ["11m", [fired("warning", "P2")]],
    ]);
    promtool("db-0.08", "DatabaseConnectionErrors", [counter(M, 0.08, 20)], [["15m", []]]);
    promtool("db-1.2", "DatabaseConnectionErrors", [counter(M, 1.2, 20)], [["11m", [fired("warning", "P2"), fired("critical", "P1")]]]);
    promtool("db-0.9", "DatabaseConnectionErrors", [counter(M, 0.9, 20)], [["15m", [fired("warning", "P2")]]]);
  });

  it("R-OBS-4: TelemetryDropped (P2): 1.2 records/s failing to send fires after 10 min, with either metric spelling; 0.8/s does not", async () => {
    await prepare();
    const ns = 'namespace="observability-agent"';
    promtool("dropped-new", "TelemetryDropped", [counter(`otelcol_exporter_send_failed_log_records_total{${ns},exporter="otlphttp/loki"}`, 1.2, 30)], [
      ["9m", []],
      ["16m", [fired("warning", "P2")]],
    ]);
    promtool("dropped-old", "TelemetryDropped", [counter(`otelcol_receiver_refused_spans{namespace="observability",receiver="otlp"}`, 1.2, 30)], [["16m", [fired("warning", "P2")]]]);
    promtool("dropped-below", "TelemetryDropped", [counter(`otelcol_exporter_send_failed_log_records_total{${ns},exporter="otlphttp/loki"}`, 0.8, 30)], [["25m", []]]);
    // Another namespace's collector is not ours.
    promtool("dropped-elsewhere", "TelemetryDropped", [counter('otelcol_exporter_send_failed_spans_total{namespace="team-x"}', 50, 30)], [["25m", []]]);
  });

  it("R-OBS-4: TelemetryQueueFilling (P2) above 80 % for 10 min, not at 78 %", async () => {
    await prepare();
    const sel = '{namespace="observability",exporter="otlp/tempo"}';
    promtool("queue-85", "TelemetryQueueFilling", [gauge(`otelcol_exporter_queue_size${sel}`, 4250, 20), gauge(`otelcol_exporter_queue_capacity${sel}`, 5000, 20)], [
      ["9m", []],
      ["11m", [fired("warning", "P2")]],
    ]);
    promtool("queue-78", "TelemetryQueueFilling", [gauge(`otelcol_exporter_queue_size${sel}`, 3900, 20), gauge(`otelcol_exporter_queue_capacity${sel}`, 5000, 20)], [["15m", []]]);
  });

  it("R-OBS-4: TelemetryStorageFilling: warning (P2) above 80 % for 15 min, critical (P1) above 95 % for 5 min; just below each is quiet", async () => {
    await prepare();
    const sel = '{namespace="observability",persistentvolumeclaim="storage-loki-0"}';
    const volume = (used: number) => [gauge(`kubelet_volume_stats_used_bytes${sel}`, used, 30), gauge(`kubelet_volume_stats_capacity_bytes${sel}`, 100, 30)];
    promtool("disk-81", "TelemetryStorageFilling", volume(81), [
      ["14m", []],
      ["16m", [fired("warning", "P2")]],
    ]);
    promtool("disk-79", "TelemetryStorageFilling", volume(79), [["25m", []]]);
    promtool("disk-96", "TelemetryStorageFilling", volume(96), [
      ["4m", []],
      ["6m", [fired("critical", "P1")]],
      ["16m", [fired("warning", "P2"), fired("critical", "P1")]],
    ]);
    promtool("disk-94", "TelemetryStorageFilling", volume(94), [["25m", [fired("warning", "P2")]]]);
    // Another namespace's volume is not Loki's or Tempo's.
    promtool("disk-elsewhere", "TelemetryStorageFilling", [gauge('kubelet_volume_stats_used_bytes{namespace="monitoring"}', 99, 30), gauge('kubelet_volume_stats_capacity_bytes{namespace="monitoring"}', 100, 30)], [["25m", []]]);
  });
});
