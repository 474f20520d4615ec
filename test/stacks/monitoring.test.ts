// R-MON-1..5, R-AL-20, R-ENV-7: the monitoring stack, scraping, routing, dashboards and
// runbooks as each stack declares and renders them.
import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parse, stringify } from "yaml";
import { ConfigError, parseStackConfig } from "../../components/config";
import { alertCatalogue } from "../../components/model/alerts";
import { MASKED_RECEIVERS, RECEIVERS, alertmanagerConfig } from "../../components/model/alertmanager";
import { dashboardQueries } from "../../components/model/dashboards";
import { renderRaw } from "../../render";
import { isSecretMarker, unwrap } from "../../render/mockRuntime";
import { alertsMarkdown } from "../../tools/docs/alerts";
import { ROOT } from "../../components/config/stackFile";
import { STACKS, TEST_SECRETS, objects, one, stack, stackRaw } from "../helpers/mocks";
import { promtoolCheckRules, requireTool, run } from "../helpers/tools";

const helm = (r: Awaited<ReturnType<typeof stack>>, chart: string) =>
  r.resources.filter((x) => x.type === "kubernetes:helm.sh/v3:Release" && x.inputs.chart === chart);

describe("R-MON-1: kube-prometheus-stack per cluster, pinned, sized per environment", () => {
  const sizes = { dev: ["3d", "20Gi", 1, 1], staging: ["7d", "50Gi", 1, 2], prod: ["30d", "200Gi", 2, 3] } as const;
  for (const s of STACKS) {
    it(`R-MON-1: ${s}: chart pinned, retention ${sizes[s][0]}, storage ${sizes[s][1]}, ${sizes[s][2]} Prometheus / ${sizes[s][3]} Alertmanager replicas`, async () => {
      const r = await stack(s);
      const [rel] = helm(r, "kube-prometheus-stack");
      assert.ok(rel, "release declared");
      assert.match(String(rel.inputs.version), /^\d+\.\d+\.\d+$/);
      assert.equal(rel.inputs.version, "79.5.0");
      const v = rel.inputs.values as any;
      const p = v.prometheus.prometheusSpec;
      assert.equal(p.retention, sizes[s][0]);
      assert.equal(p.storageSpec.volumeClaimTemplate.spec.resources.requests.storage, sizes[s][1]);
      assert.equal(p.replicas, sizes[s][2]);
      assert.equal(v.alertmanager.alertmanagerSpec.replicas, sizes[s][3]);
      assert.ok(p.resources.requests.cpu && p.resources.limits.memory, "Prometheus has requests and limits");
    });
  }

  it("R-MON-1, R-WL-9: node-exporter alone is privileged, in its own namespace; monitoring and the platform stay restricted", async () => {
    const r = await stack("prod");
    const enforce = (ns: string) => (one(r, "Namespace", ns).metadata.labels as any)["pod-security.kubernetes.io/enforce"];
    assert.equal(enforce("monitoring-node-exporter"), "privileged");
    assert.equal(enforce("monitoring"), "restricted");
    assert.equal(enforce("agent-platform-prod"), "restricted");
    const v = helm(r, "kube-prometheus-stack")[0].inputs.values as any;
    assert.equal(v["prometheus-node-exporter"].namespaceOverride, "monitoring-node-exporter");
  });

  it("R-MON-1: CRDs come with the chart; the preview CRD upgrade Job (unpinned kubectl, CRD-wide ClusterRole) stays off", async () => {
    const v = helm(await stack("prod"), "kube-prometheus-stack")[0].inputs.values as any;
    assert.equal(v.crds.enabled, true);
    assert.equal(v.crds.upgradeJob.enabled, false);
  });

  it("R-MON-1: the release-label selector trap: the chart's Prometheus selects our objects, and they carry the release label", async () => {
    const r = await stack("prod");
    const p = (helm(r, "kube-prometheus-stack")[0].inputs.values as any).prometheus.prometheusSpec;
    for (const k of ["rule", "serviceMonitor", "podMonitor", "probe"]) assert.equal(p[`${k}SelectorNilUsesHelmValues`], false, k);
    for (const kind of ["ServiceMonitor", "Probe", "PrometheusRule"]) {
      for (const m of objects(r, kind)) assert.equal((m.metadata.labels as any).release, "kube-prometheus-stack", `${kind}/${m.metadata.name}`);
    }
  });

  it("R-MON-1: the stack can be left to a platform team: no releases, but rules, monitors and dashboards stay", async () => {
    const r = await renderRaw("prod", stackRaw("prod", { monitoring: { install: false } }));
    assert.equal(helm(r, "kube-prometheus-stack").length, 0);
    assert.equal(helm(r, "prometheus-blackbox-exporter").length, 0);
    assert.equal(objects(r, "PrometheusRule").length, 1);
    assert.equal(objects(r, "ServiceMonitor").length, 1);
    assert.equal(objects(r, "Probe").length, 3);
    assert.equal(r.files["alertmanager/alertmanager.yaml"], undefined, "routing belongs to the platform team then");
    assert.ok(r.files["prometheus/rules.yaml"]);
  });

  it("R-MON-4: Grafana admin password is generated and secret; anonymous access off; the sidecar loads our dashboards", async () => {
    const r = await stack("prod");
    const v = helm(r, "kube-prometheus-stack")[0].inputs.values as any;
    assert.equal(v.grafana["grafana.ini"]["auth.anonymous"].enabled, false);
    assert.equal(v.grafana.admin.existingSecret, "grafana-admin");
    assert.ok(r.resources.some((x) => x.type === "random:index/randomPassword:RandomPassword" && x.name.includes("grafana-admin")));
    const secret = one(r, "Secret", "grafana-admin") as any;
    assert.equal(secret.stringData["admin-password"], "[secret]");
    assert.equal(v.grafana.sidecar.dashboards.label, "grafana_dashboard");
  });
});

describe("R-MON-2: ServiceMonitor and blackbox probes", () => {
  it("R-MON-2: the ServiceMonitor scrapes every platform pod once, keeps the contract's service label and the canary hash", async () => {
    const r = await stack("prod");
    const sm = one(r, "ServiceMonitor") as any;
    const svc = one(r, "Service", "agent-platform-metrics") as any;
    assert.equal(svc.spec.clusterIP, "None");
    for (const [k, v] of Object.entries(sm.spec.selector.matchLabels)) assert.equal(svc.metadata.labels[k], v, k);
    // Only the metrics Service matches: the stable/canary Services would double-scrape.
    for (const other of objects(r, "Service").filter((x) => x.metadata.name !== "agent-platform-metrics")) {
      assert.ok(Object.entries(sm.spec.selector.matchLabels).some(([k, v]) => (other.metadata.labels as any)[k] !== v), other.metadata.name);
    }
    assert.deepEqual(sm.spec.podTargetLabels, ["rollouts-pod-template-hash"]);
    assert.equal(sm.spec.endpoints[0].honorLabels, true);
    assert.equal(sm.spec.endpoints[0].path, "/metrics");
  });

  it("R-MON-2: three probe layers: /health 30s/5s, functional 2m/30s, integration 5m/60s, each with its own blackbox module", async () => {
    const r = await stack("prod");
    const probes = Object.fromEntries(objects(r, "Probe").map((p: any) => [p.spec.targets.staticConfig.labels.layer, p.spec]));
    assert.deepEqual(
      Object.fromEntries(Object.entries(probes).map(([l, p]: [string, any]) => [l, [p.interval, p.scrapeTimeout]])),
      { basic: ["30s", "5s"], functional: ["2m", "30s"], integration: ["5m", "60s"] },
    );
    assert.match(probes.basic.targets.staticConfig.static[0], /^http:\/\/agent-platform\.agent-platform-prod\.svc\/health$/);
    const bb = helm(r, "prometheus-blackbox-exporter")[0].inputs.values as any;
    for (const [layer, p] of Object.entries(probes) as Array<[string, any]>) {
      assert.equal(bb.config.modules[p.module].timeout, p.scrapeTimeout, layer);
      assert.match(p.prober.url, /^blackbox-exporter-prometheus-blackbox-exporter\.monitoring\.svc:9115$/);
    }
  });

  it("R-MON-2: the blackbox exporter's resources are monitoring.blackboxResources: 25m/32Mi requested, 200m/128Mi limit, overridable", async () => {
    const values = (r: Awaited<ReturnType<typeof stack>>) => helm(r, "prometheus-blackbox-exporter")[0].inputs.values as any;
    assert.deepEqual(values(await stack("prod")).resources, { requests: { cpu: "25m", memory: "32Mi" }, limits: { cpu: "200m", memory: "128Mi" } });
    const raw = stackRaw("prod", { monitoring: { blackboxResources: { limits: { cpu: "500m", memory: "256Mi" } } } });
    assert.deepEqual(values(await renderRaw("prod", raw)).resources, { requests: { cpu: "25m", memory: "32Mi" }, limits: { cpu: "500m", memory: "256Mi" } });
  });

  it("R-ENV-11: a probe timeout longer than its interval is refused before anything is declared", () => {
    assert.throws(
      () => parseStackConfig(stackRaw("prod", { monitoring: { probes: { basic: { path: "/health", interval: "30s", timeout: "45s" } } } }), "prod"),
      (e: unknown) => e instanceof ConfigError && /monitoring\.probes\.basic\.timeout = "45s": must not be longer than/.test(e.message),
    );
  });
});

describe("R-AL-20, R-ENV-7: the rule catalogue", () => {
  for (const s of STACKS) {
    it(`R-AL-20: ${s}: every alert carries severity, priority, service, summary, a description with its value and a runbook in this repository`, async () => {
      const groups = parse((await stack(s)).files["prometheus/rules.yaml"]).groups as Array<{ rules: any[] }>;
      const alerts = groups.flatMap((g) => g.rules).filter((r) => r.alert);
      assert.ok(alerts.length >= 30);
      // Alerts whose value is not the signal describe the condition instead.
      const noValue = new Set(["SyntheticProbeFailing", "PlatformMetricsMissing", "Watchdog"]);
      for (const a of alerts) {
        const where = `${s} ${a.alert}/${a.labels.severity}`;
        assert.match(a.labels.severity, /^(critical|warning|info)$/, where);
        assert.match(a.labels.priority, /^P[0-3]$/, where);
        assert.ok(a.labels.service || /\b(service|slo):|by \(namespace, service/.test(a.expr), `${where} has a service label (its own or its recorded series')`);
        assert.ok(a.annotations.summary, where);
        if (!noValue.has(a.alert)) assert.match(a.annotations.description, /\{\{ \$value/, where);
        const m = /\/docs\/runbooks\/([A-Za-z0-9]+)\.md$/.exec(a.annotations.runbook_url);
        assert.ok(m && m[1] === a.alert, `${where} runbook_url ${a.annotations.runbook_url}`);
        const file = path.join(ROOT, "docs", "runbooks", `${a.alert}.md`);
        assert.ok(fs.existsSync(file), `${where}: ${file} exists`);
        const text = fs.readFileSync(file, "utf8");
        for (const h of ["## What it means", "## How to confirm", "## How to mitigate"]) assert.ok(text.includes(h), `${a.alert}.md has ${h}`);
        // A release can cause every platform alert, so their runbooks say how to roll back;
        // the heartbeat, the backup's freshness and the drill are not about the platform's release.
        if (!["Watchdog", "ExportStale", "RestoreDrillStale", "TelemetryDropped", "TelemetryQueueFilling", "TelemetryStorageFilling"].includes(a.alert)) assert.match(text, /kubectl argo rollouts (abort|undo)/, `${a.alert}.md says how to roll back`);
      }
    });
  }

  it("R-AL-21: no runbook without an alert (docs/runbooks matches the catalogue)", () => {
    const alerts = new Set(alertCatalogue(parseStackConfig(stackRaw("prod"), "prod")).map((e) => e.alert));
    const files = fs.readdirSync(path.join(ROOT, "docs", "runbooks")).map((f) => f.replace(/\.md$/, ""));
    assert.deepEqual(files.sort(), [...alerts].sort());
  });

  it("R-AL-1..19: every row of the R-AL table has an alert; docs/alerts.md is the generated mapping", () => {
    const entries = alertCatalogue(parseStackConfig(stackRaw("prod"), "prod"));
    for (let i = 1; i <= 19; i++) {
      assert.ok(entries.some((e) => e.requirement.split(", ").includes(`R-AL-${i}`)), `R-AL-${i} has an alert`);
    }
    const doc = fs.readFileSync(path.join(ROOT, "docs", "alerts.md"), "utf8");
    assert.equal(doc, alertsMarkdown(), "docs/alerts.md is stale: run `npm run docs:alerts`");
  });

  it("R-ENV-7: prod strict, staging relaxed, dev informational (relaxed, nothing above P3), read from the rendered rules", async () => {
    const alerts = async (st: string) =>
      (parse((await stack(st as never)).files["prometheus/rules.yaml"]).groups as Array<{ rules: any[] }>).flatMap((g) => g.rules).filter((r) => r.alert);
    const rule = async (st: string, alert: string, sev: string) => {
      const found = (await alerts(st)).filter((r) => r.alert === alert && r.labels.severity === sev);
      assert.equal(found.length, 1, `${st} ${alert}/${sev}`);
      return found[0];
    };
    // R-AL-1: strict 2 % / 5 %; relaxed (staging, dev) 4 % / 10 %.
    assert.match((await rule("prod", "HighErrorRate", "critical")).expr, /^service:http_error_ratio:rate1m > 0\.05 and /);
    assert.match((await rule("prod", "HighErrorRate", "warning")).expr, /^service:http_error_ratio:rate5m > 0\.02 and /);
    assert.match((await rule("prod", "HighLatencyP99", "critical")).expr, /^service:http_request_duration_seconds:p99_rate1m > 3 and /);
    assert.match((await rule("staging", "HighErrorRate", "critical")).expr, /^service:http_error_ratio:rate1m > 0\.1 and /);
    assert.match((await rule("dev", "HighErrorRate", "critical")).expr, /^service:http_error_ratio:rate1m > 0\.1 and /);
    // Priorities: prod pages on P0/P1; dev has nothing above P3.
    assert.equal((await rule("prod", "HighErrorRate", "critical")).labels.priority, "P0");
    assert.equal((await rule("staging", "HighErrorRate", "critical")).labels.priority, "P0");
    assert.deepEqual([...new Set((await alerts("dev")).map((a) => a.labels.priority))], ["P3"]);
  });

  it("R-AL-19: the latency SLO threshold matches both Prometheus 2 and 3 bucket labels", async () => {
    const groups = parse((await stack("prod")).files["prometheus/rules.yaml"]).groups as Array<{ rules: any[] }>;
    const rec = groups.flatMap((g) => g.rules).find((r) => r.record === "slo:http_latency_misses:ratio_rate5m");
    assert.ok(rec, "the latency SLI is recorded");
    assert.match(rec.expr, /le=~"1\(\\\\\.0\)\?"/);
  });
});

describe("R-MON-5: Alertmanager routing by priority", function () {
  this.timeout(60_000);
  let dir: string;
  before(() => {
    requireTool("amtool");
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "agent-platform-am-"));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  const write = async (s: string) => {
    const file = path.join(dir, `${s}.yaml`);
    fs.writeFileSync(file, (await stack(s as never)).files["alertmanager/alertmanager.yaml"]);
    return file;
  };

  for (const s of STACKS) {
    it(`R-MON-5: ${s}: amtool check-config accepts the rendered config`, async () => {
      const res = run("amtool", ["check-config", await write(s)]);
      assert.equal(res.status, 0, res.out);
      assert.match(res.out, /SUCCESS/);
    });
  }

  const cases: Array<[string, string, string[]]> = [
    ["prod", RECEIVERS.page, ["priority=P0", "severity=critical", "alertname=HighErrorRate"]],
    ["prod", RECEIVERS.page, ["priority=P1", "severity=critical", "alertname=HighLatencyP99"]],
    ["prod", RECEIVERS.minor, ["priority=P2", "severity=warning", "alertname=HighErrorRate"]],
    ["prod", RECEIVERS.ticket, ["priority=P3", "severity=warning", "alertname=LowSwarmEfficiency"]],
    ["prod", RECEIVERS.deadman, ["alertname=Watchdog", "priority=P3", "severity=info"]],
    ["prod", RECEIVERS.minor, ["alertname=KubePodCrashLooping", "severity=warning"]],
    ["prod", RECEIVERS.none, ["alertname=InfoInhibitor", "severity=none"]],
    // R-ENV-7: no paging outside prod: P0/P1 reach the Slack incident channel only.
    ["staging", RECEIVERS.incident, ["priority=P0", "severity=critical", "alertname=HighErrorRate"]],
    ["staging", RECEIVERS.minor, ["priority=P2", "severity=warning", "alertname=HighErrorRate"]],
    ["dev", RECEIVERS.ticket, ["priority=P3", "severity=critical", "alertname=HighErrorRate"]],
    ["dev", RECEIVERS.deadman, ["alertname=Watchdog", "priority=P3", "severity=info"]],
  ];
  for (const [s, receiver, labels] of cases) {
    it(`R-MON-5: ${s}: {${labels.join(", ")}} → ${receiver} (amtool config routes test --verify.receivers)`, async () => {
      const res = run("amtool", ["config", "routes", "test", `--config.file=${await write(s)}`, `--verify.receivers=${receiver}`, ...labels]);
      assert.equal(res.status, 0, res.out);
      assert.equal(res.out.split("\n")[0].trim(), receiver);
    });
  }

  it("R-MON-5: the route check can fail (a P2 alert does not page)", async () => {
    const res = run("amtool", ["config", "routes", "test", `--config.file=${await write("prod")}`, `--verify.receivers=${RECEIVERS.page}`, "priority=P2"]);
    assert.notEqual(res.status, 0);
  });

  it("R-MON-5: critical inhibits warning of the same alert and service; P0 repeats faster than P3; receivers carry masked secrets only", async () => {
    const text = (await stack("prod")).files["alertmanager/alertmanager.yaml"];
    const cfg = parse(text);
    assert.deepEqual(cfg.inhibit_rules, [
      { source_matchers: ['severity="critical"'], target_matchers: ['severity="warning"'], equal: ["alertname", "namespace", "service"] },
    ]);
    const routes = Object.fromEntries(cfg.route.routes.filter((r: any) => /priority/.test(r.matchers[0])).map((r: any) => [r.matchers[0], r]));
    assert.equal(routes['priority="P0"'].repeat_interval, "15m");
    assert.equal(routes['priority="P3"'].repeat_interval, "24h");
    const page = cfg.receivers.find((r: any) => r.name === RECEIVERS.page);
    assert.ok(page.pagerduty_configs[0].routing_key.startsWith("MASKED"));
    assert.ok(page.slack_configs[0].api_url.startsWith("https://masked.invalid/"));
    for (const v of Object.values(TEST_SECRETS)) assert.ok(!text.includes(v));
  });

  it("R-MON-5: the cluster gets the config only as a Secret whose contents are Pulumi secrets", async () => {
    const r = await stack("prod");
    const secret = r.resources.find((x) => (x.inputs.metadata as any)?.name === "alertmanager-agent-platform")!;
    const data = secret.inputs.stringData as any;
    const config = isSecretMarker(data) ? data : data["alertmanager.yaml"];
    assert.ok(isSecretMarker(config), "the config is a Pulumi secret");
    assert.match(String((unwrap(config, "reveal") as any)["alertmanager.yaml"] ?? unwrap(config, "reveal")), /hooks\.slack\.com/);
    assert.ok(!JSON.stringify(unwrap(secret.inputs, "mask")).includes(TEST_SECRETS.slackWebhookUrl), "masked in the render");
    const values = (helm(r, "kube-prometheus-stack")[0].inputs.values as any).alertmanager.alertmanagerSpec;
    assert.equal(values.configSecret, "alertmanager-agent-platform");
    assert.equal(values.useExistingSecret, true);
  });

  it("R-MON-5: the PagerDuty receiver uses PagerDuty's own Events API unless a harness points it elsewhere; the routing model never pages without a key", () => {
    const prod = parseStackConfig(stackRaw("prod"), "prod");
    const pd = (cfg: ReturnType<typeof alertmanagerConfig>) => (cfg.receivers as any[]).find((r) => r.name === RECEIVERS.page).pagerduty_configs[0];
    assert.equal("url" in pd(alertmanagerConfig(prod, MASKED_RECEIVERS)), false, "no url: Alertmanager's default Events API v2 endpoint");
    assert.equal(pd(alertmanagerConfig(prod, MASKED_RECEIVERS, { pagerdutyUrl: "http://127.0.0.1:9/pagerduty" })).url, "http://127.0.0.1:9/pagerduty");
    // The configuration check refuses this first (below); the model refuses it on its own too.
    assert.throws(
      () => alertmanagerConfig(prod, { ...MASKED_RECEIVERS, pagerdutyRoutingKey: undefined }),
      /^Error: alertmanagerConfig: alerting\.paging is on but no PagerDuty routing key was given$/,
    );
  });

  it("R-ENV-11: prod (paging on) without a PagerDuty key stops with one message naming the key", () => {
    assert.throws(
      () => parseStackConfig(stackRaw("prod", { pagerdutyRoutingKey: undefined }), "prod"),
      (e: unknown) => e instanceof ConfigError && /agent-platform:pagerdutyRoutingKey is required and not set.*pulumi config set --secret pagerdutyRoutingKey/.test(e.message),
    );
    // dev does not page: no key needed.
    assert.doesNotThrow(() => parseStackConfig(stackRaw("dev", { pagerdutyRoutingKey: undefined }), "dev"));
  });
});

describe("R-MON-3: dashboards as code", function () {
  this.timeout(60_000);
  const find = (d: any, title: string) => {
    const p = d.panels.find((x: any) => x.title === title);
    assert.ok(p, `panel ${title}`);
    return p;
  };
  const grafana = async (key: string) => JSON.parse((await stack("prod")).files[`grafana/${key}.json`]);

  it("R-MON-3: executive (30s): health score 70/90, active swarms, task throughput 1h, error-rate trend 24h", async () => {
    const d = await grafana("executive");
    assert.equal(d.refresh, "30s");
    const score = find(d, "System health score");
    assert.deepEqual(score.fieldConfig.defaults.thresholds.steps, [
      { value: null, color: "red" },
      { value: 70, color: "yellow" },
      { value: 90, color: "green" },
    ]);
    find(d, "Active swarms");
    const tp = find(d, "Task throughput (1h)");
    assert.deepEqual(tp.targets.map((t: any) => t.legendFormat), ["completed", "failed"]);
    assert.match(tp.targets[0].expr, /increase\(tasks_total\{.*status="completed"\}\[1h\]\)/);
    assert.equal(find(d, "Error-rate trend (24h)").timeFrom, "24h");
  });

  it("R-MON-3: technical operations (10s): golden signals table, agent heatmap, CPU/memory/disk gauges at 70/85/95", async () => {
    const d = await grafana("technical-operations");
    assert.equal(d.refresh, "10s");
    const golden = find(d, "Golden signals");
    assert.equal(golden.type, "table");
    assert.deepEqual(golden.targets.map((t: any) => t.legendFormat), [
      "p95 latency (s)",
      "p99 latency (s)",
      "requests/s",
      "error rate",
      "errors (1h)",
      "CPU of limit",
      "memory of limit",
    ]);
    assert.equal(find(d, "Agent status heatmap").type, "heatmap");
    for (const g of ["CPU", "Memory", "Disk"]) {
      const p = find(d, g);
      assert.equal(p.type, "gauge");
      assert.deepEqual(p.fieldConfig.defaults.thresholds.steps, [
        { value: null, color: "green" },
        { value: 70, color: "yellow" },
        { value: 85, color: "orange" },
        { value: 95, color: "red" },
      ]);
    }
  });

  it("R-MON-3: incident response (5s): active alerts, 4h events timeline, performance impact with alert annotations", async () => {
    const d = await grafana("incident-response");
    assert.equal(d.refresh, "5s");
    assert.match(find(d, "Active alerts").targets[0].expr, /ALERTS\{.*alertstate="firing"\}/);
    assert.match(find(d, "Active alerts").targets[1].expr, /time\(\) - ALERTS_FOR_STATE/);
    assert.equal(find(d, "Events timeline (4h)").timeFrom, "4h");
    find(d, "Performance impact");
    assert.match(d.annotations.list.find((a: any) => a.name === "Firing alerts").expr, /ALERTS\{/);
  });

  it("R-MON-3: MCP server status and security monitoring dashboards exist; every dashboard is a sidecar ConfigMap", async () => {
    const r = await stack("prod");
    find(await grafana("mcp-server"), "MCP success ratio (5m)");
    find(await grafana("security"), "Authentication failures (401/403)");
    const cms = objects(r, "ConfigMap").filter((c) => (c.metadata.labels as any)?.grafana_dashboard === "1");
    assert.deepEqual(cms.map((c) => c.metadata.name).sort(), [
      "agent-platform-prod-dashboard-executive",
      "agent-platform-prod-dashboard-incident-response",
      "agent-platform-prod-dashboard-mcp-server",
      "agent-platform-prod-dashboard-security",
      "agent-platform-prod-dashboard-technical-operations",
    ]);
  });

  it("R-MON-3: every rate and quantile on the dashboards uses monitoring.grafana.rateWindow: 5m by default, 10m from the stack file", async () => {
    const windows = (files: Record<string, string>) =>
      Object.entries(files)
        .filter(([f]) => f.startsWith("grafana/"))
        .flatMap(([, json]) => dashboardQueries(JSON.parse(json)).flatMap((q) => [...q.expr.matchAll(/rate\([^[]*\[(\w+)\]\)/g)].map((m) => m[1])));
    const before = windows((await stack("prod")).files);
    assert.ok(before.length >= 15, `${before.length} rates`);
    // The executive dashboard's 1h throughput and 24h trend are panels of their own; every other range is the window.
    assert.deepEqual([...new Set(before)].sort(), ["1h", "5m"]);
    const after = await renderRaw("prod", stackRaw("prod", { monitoring: { grafana: { rateWindow: "10m" } } }));
    const now = windows(after.files);
    assert.equal(now.length, before.length);
    assert.deepEqual(now, before.map((w) => (w === "5m" ? "10m" : w)));
    assert.ok(dashboardQueries(JSON.parse(after.files["grafana/mcp-server.json"])).some((q) => q.panel === "MCP success ratio (10m)"));
  });

  it("R-MON-3: refreshes, colour thresholds and the error-rate trend follow the stack: staging's alerts (4 %, 10 %) colour its trend; overrides reach every panel", async () => {
    const files = (r: Awaited<ReturnType<typeof stack>>, key: string) => JSON.parse(r.files[`grafana/${key}.json`]);
    const steps = (d: any, title: string) => find(d, title).fieldConfig.defaults.thresholds.steps.map((x: any) => [x.value, x.color]);
    const prod = await stack("prod");
    assert.deepEqual(steps(files(prod, "executive"), "Error-rate trend (24h)"), [[null, "green"], [0.02, "yellow"], [0.05, "red"]]);
    assert.deepEqual(steps(files(prod, "mcp-server"), "MCP success ratio (5m)"), [[null, "red"], [0.95, "yellow"], [0.99, "green"]]);
    assert.deepEqual(
      ["executive", "technical-operations", "incident-response", "mcp-server", "security"].map((k) => files(prod, k).refresh),
      ["30s", "10s", "5s", "10s", "30s"],
    );
    // The stack's `monitoring.dashboards` output: the titles Grafana shows, in the render's order.
    assert.deepEqual((prod.outputs as any).monitoring.dashboards, [
      "Agent platform (prod) · Executive",
      "Agent platform (prod) · Technical operations",
      "Agent platform (prod) · Incident response",
      "Agent platform (prod) · MCP server status",
      "Agent platform (prod) · Security monitoring",
    ]);
    // The alert annotations are sampled at the rule evaluation interval (30s).
    assert.equal(files(prod, "incident-response").annotations.list.find((a: any) => a.name === "Firing alerts").step, "30s");
    const staging = await stack("staging");
    assert.deepEqual(steps(files(staging, "executive"), "Error-rate trend (24h)"), [[null, "green"], [0.04, "yellow"], [0.1, "red"]]);

    const grafana = {
      refresh: { executive: "1m", technicalOperations: "15s", incidentResponse: "10s", mcpServer: "20s", security: "2m" },
      healthScore: { yellowFrom: 80, greenFrom: 95 },
      resourceGauges: { yellowFrom: 60, orangeFrom: 75, redFrom: 90 },
      mcpSuccess: { yellowFrom: 0.9, greenFrom: 0.98 },
    };
    const r = await renderRaw("prod", stackRaw("prod", { monitoring: { grafana } }));
    assert.deepEqual(
      ["executive", "technical-operations", "incident-response", "mcp-server", "security"].map((k) => files(r, k).refresh),
      ["1m", "15s", "10s", "20s", "2m"],
    );
    assert.deepEqual(steps(files(r, "executive"), "System health score"), [[null, "red"], [80, "yellow"], [95, "green"]]);
    for (const gauge of ["CPU", "Memory", "Disk"]) {
      assert.deepEqual(steps(files(r, "technical-operations"), gauge), [[null, "green"], [60, "yellow"], [75, "orange"], [90, "red"]], gauge);
    }
    assert.deepEqual(steps(files(r, "mcp-server"), "MCP success ratio (5m)"), [[null, "red"], [0.9, "yellow"], [0.98, "green"]]);
  });

  it("R-MON-3: every dashboard query is valid PromQL (promtool check rules)", async () => {
    requireTool("promtool");
    const r = await stack("prod");
    const queries = Object.entries(r.files)
      .filter(([f]) => f.startsWith("grafana/"))
      .flatMap(([f, json]) => dashboardQueries(JSON.parse(json)).map((q) => ({ ...q, file: f })));
    assert.ok(queries.length >= 25, `${queries.length} queries`);
    const res = promtoolCheckRules(
      stringify({ groups: [{ name: "dashboards", rules: queries.map((q, i) => ({ record: `dashboard:query:${i}`, expr: q.expr })) }] }),
    );
    assert.equal(res.status, 0, res.out);
    assert.match(res.out, new RegExp(`SUCCESS: ${queries.length} rules found`));
  });

  it("R-MON-3: the query check reads every target and annotation with an expression, each named by where it is", () => {
    const d = {
      panels: [{ targets: [{ expr: "up" }] }, { title: "Errors", targets: [{}, { expr: "sum(x)" }] }, { title: "Text" }],
      annotations: { list: [{ name: "Firing alerts", expr: "ALERTS" }, { name: "Built-in" }] },
    };
    assert.deepEqual(dashboardQueries(d as any), [
      { panel: "", expr: "up" },
      { panel: "Errors", expr: "sum(x)" },
      { panel: "annotation: Firing alerts", expr: "ALERTS" },
    ]);
  });
});
