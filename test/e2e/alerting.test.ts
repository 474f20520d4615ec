// End to end (R-AL-1, R-MON-5): real Prometheus and Alertmanager on 127.0.0.1 with the
// prod stack's rendered rules and the Alertmanager config from the same pure module
// (receiver URLs pointed at a local sink), scraping a fake platform target.
// Healthy traffic: nothing but the Watchdog heartbeat on its dead-man route. Then 10 %
// errors: HighErrorRate/critical reaches the PagerDuty and Slack incident receivers as
// P0 within its `for` + two evaluation intervals + the P0 group_wait.
//
// Test-only changes: scrape every 1s, evaluate every 2s (the rules file's group intervals
// are rewritten) and re-send alerts every 2s. The stack sets the critical error-rate
// alert's `for` to 20s, through a stack-file override (R-ENV-12), so the run takes under
// a minute and proves the override reaches Prometheus; every expression and threshold is
// the rendered one. (The prod profile's own 2m is proven by test/promtool/alerts.test.ts.)
import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parse, stringify } from "yaml";
import { parseStackConfig } from "../../components/config";
import { alertCatalogue } from "../../components/model/alerts";
import { alertmanagerConfig } from "../../components/model/alertmanager";
import { renderRaw } from "../../render";
import { stackRaw } from "../helpers/mocks";
import { requireAnyTool, requireTool } from "../helpers/tools";
import { FakePlatform, WebhookSink, freePort, getJson, sleep, start, stopAll, waitFor } from "./harness";

const EVAL_SECONDS = 2;
const NS = "agent-platform-prod";
/** The stack-file override the test deploys: a 20 s `for` instead of the profile's 2 min. */
const OVERRIDE = { alerting: { rules: { errorRate: { critical: { for: "20s" } } } } };

describe("R-AL-1, R-MON-5: end to end with real Prometheus and Alertmanager", function () {
  this.timeout(300_000);
  let dir: string;
  const target = new FakePlatform();
  const sink = new WebhookSink();
  let promUrl = "";
  let amUrl = "";
  let logs: Array<() => string> = [];

  before(async () => {
    const prometheus = requireTool("prometheus");
    const alertmanager = requireAnyTool(["alertmanager", "prometheus-alertmanager"]);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "agent-platform-e2e-"));
    await target.start();
    await sink.start();

    const cfg = parseStackConfig(stackRaw("prod", OVERRIDE), "prod");
    const rules = parse((await renderRaw("prod", stackRaw("prod", OVERRIDE))).files["prometheus/rules.yaml"]) as { groups: Array<{ interval: string }> };
    for (const g of rules.groups) g.interval = `${EVAL_SECONDS}s`;
    fs.writeFileSync(path.join(dir, "rules.yaml"), stringify(rules, { lineWidth: 0 }));

    const am = alertmanagerConfig(
      cfg,
      {
        pagerdutyRoutingKey: "e2e-routing-key",
        slackWebhookUrl: sink.url("/slack"),
        ticketWebhookUrl: sink.url("/ticket"),
        watchdogUrl: sink.url("/watchdog"),
      },
      { pagerdutyUrl: sink.url("/pagerduty") },
    );
    // No mail relay here: point SMTP at a closed local port (P2 is not exercised).
    (am.global as Record<string, unknown>).smtp_smarthost = "127.0.0.1:9";
    fs.writeFileSync(path.join(dir, "alertmanager.yaml"), stringify(am, { lineWidth: 0 }));

    const amPort = await freePort();
    const promPort = await freePort();
    fs.writeFileSync(
      path.join(dir, "prometheus.yaml"),
      stringify({
        global: { scrape_interval: "1s", scrape_timeout: "1s", evaluation_interval: `${EVAL_SECONDS}s` },
        rule_files: ["rules.yaml"],
        alerting: { alertmanagers: [{ static_configs: [{ targets: [`127.0.0.1:${amPort}`] }] }] },
        scrape_configs: [
          {
            job_name: "agent-platform-metrics",
            static_configs: [{ targets: [`127.0.0.1:${target.port}`], labels: { namespace: NS } }],
          },
        ],
      }),
    );

    const amProc = start(alertmanager, [
      `--config.file=${path.join(dir, "alertmanager.yaml")}`,
      `--storage.path=${path.join(dir, "am-data")}`,
      `--web.listen-address=127.0.0.1:${amPort}`,
      "--cluster.listen-address=",
    ]);
    const promProc = start(prometheus, [
      `--config.file=${path.join(dir, "prometheus.yaml")}`,
      `--storage.tsdb.path=${path.join(dir, "prom-data")}`,
      `--web.listen-address=127.0.0.1:${promPort}`,
      // Alerts evaluated before Alertmanager is discovered are re-sent after this delay
      // (1m by default); short so the heartbeat test does not wait a minute.
      `--rules.alert.resend-delay=${EVAL_SECONDS}s`,
    ]);
    logs = [amProc.log, promProc.log];
    promUrl = `http://127.0.0.1:${promPort}`;
    amUrl = `http://127.0.0.1:${amPort}`;
    await waitFor("Alertmanager ready", 30_000, async () => ((await fetch(`http://127.0.0.1:${amPort}/-/ready`)).ok ? true : undefined));
    await waitFor("Prometheus ready", 30_000, async () => ((await fetch(`${promUrl}/-/ready`)).ok ? true : undefined));
    await waitFor("the fake target scraped", 30_000, async () => {
      const r = await getJson(`${promUrl}/api/v1/query?query=${encodeURIComponent(`service:http_requests:rate5m{namespace="${NS}"}`)}`);
      return r.data.result.length > 0 ? true : undefined;
    });
  });

  after(async () => {
    await stopAll();
    await target.stop();
    await sink.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  const promAlerts = async () => (await getJson(`${promUrl}/api/v1/alerts`)).data.alerts as Array<{
    labels: Record<string, string>;
    state: string;
    activeAt: string;
  }>;

  it("R-MON-5: healthy traffic: no notification, only the Watchdog on the dead-man route", async () => {
    await waitFor("the Watchdog at the dead-man's switch", 30_000, async () =>
      sink.received.some((r) => r.path === "/watchdog") ? true : undefined,
    );
    await sleep(8 * EVAL_SECONDS * 1000);
    const others = sink.received.filter((r) => r.path !== "/watchdog");
    assert.deepEqual(others.map((r) => r.path), [], "no notification on healthy traffic");
    for (const r of sink.received) {
      for (const a of r.body.alerts) assert.equal(a.labels.alertname, "Watchdog");
    }
    const firing = (await promAlerts()).filter((a) => a.state === "firing").map((a) => a.labels.alertname);
    assert.deepEqual(firing, ["Watchdog"]);
  });

  it("R-AL-1, R-ENV-12: 10 % errors: HighErrorRate/critical pages (PagerDuty + Slack incident) as P0 within the overridden for + 2 evaluations + group_wait", async () => {
    const cfg = parseStackConfig(stackRaw("prod", OVERRIDE), "prod");
    const rule = alertCatalogue(cfg).find((e) => e.alert === "HighErrorRate" && e.severity === "critical")!;
    assert.equal(rule.priority, "P0");
    assert.equal(rule.rule.for, "20s", "the stack's override is the rule's for");
    const forSeconds = 20;
    const groupWait = cfg.alerting.routing.P0.groupWait.seconds;
    const bound = (forSeconds + 2 * EVAL_SECONDS + groupWait) * 1000;

    target.errorRatio = 0.1;
    const pending = await waitFor("HighErrorRate/critical pending", 120_000, async () =>
      (await promAlerts()).find((a) => a.labels.alertname === "HighErrorRate" && a.labels.severity === "critical"),
    );
    const activeAt = Date.parse(pending.activeAt);
    // ErrorBudgetBurn (also P0) may page first at 10 % errors; this test is about HighErrorRate.
    const page = await waitFor("the P0 HighErrorRate page at PagerDuty", bound + 30_000, async () =>
      sink.received.find(
        (r) => r.path === "/pagerduty" && r.body.payload?.custom_details?.priority === "P0" && /HighErrorRate/.test(r.body.payload?.summary),
      ),
    );
    const latency = page.at - activeAt;
    assert.ok(
      latency <= bound,
      `page ${latency} ms after the condition held; bound ${bound} ms (for ${forSeconds}s + 2×${EVAL_SECONDS}s + group_wait ${groupWait}s)`,
    );
    assert.ok(latency >= forSeconds * 1000, `not before its for (${latency} ms)`);

    assert.equal(page.body.routing_key, "e2e-routing-key");
    assert.equal(page.body.event_action, "trigger");
    assert.equal(page.body.payload.severity, "critical");
    assert.match(page.body.payload.summary, /\[P0\] HighErrorRate: HTTP error rate critical/);
    assert.equal(page.body.payload.custom_details.service, "agent-platform");
    assert.match(page.body.payload.custom_details.runbook_url, /docs\/runbooks\/HighErrorRate\.md$/);

    const slack = await waitFor("the Slack incident message", 15_000, async () =>
      sink.received.find(
        (r) => r.path === "/slack" && r.body.channel === cfg.alerting.receivers.slackIncidentChannel && /HighErrorRate/.test(r.body.attachments?.[0]?.title),
      ),
    );
    assert.match(slack.body.attachments[0].title, /P0 HighErrorRate \(critical\)/);
    assert.ok(!sink.received.some((r) => r.path === "/ticket"), "nothing went to the ticket webhook");
  });

  afterEach(async function () {
    if (this.currentTest?.state === "failed") {
      // eslint-disable-next-line no-console
      console.error(`--- prometheus alertmanagers: ${JSON.stringify(await getJson(`${promUrl}/api/v1/alertmanagers`).catch((e) => String(e)))}`);
      console.error(`--- alertmanager alerts: ${JSON.stringify(await getJson(`${amUrl}/api/v2/alerts`).catch((e) => String(e)))}`);
      console.error(`--- prometheus alerts: ${JSON.stringify(await promAlerts().catch((e) => String(e)))}`);
      console.error(`--- received: ${JSON.stringify(sink.received.map((r) => [r.path, r.body?.payload?.summary ?? r.body?.alerts?.map((a: any) => a.labels.alertname)]))}`);
      console.error(`--- alertmanager/prometheus logs ---\n${logs.map((l) => l().slice(-3000)).join("\n---\n")}`);
    }
  });
});
