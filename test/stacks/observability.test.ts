// R-OBS-1..5 over the mocked graph of each stack: the collector agent and gateway, Loki
// and Tempo with the profile's retention, storage and sampling, their buckets and roles,
// the namespaces, the Grafana links and what the platform pods are told. Expected values
// are REQUIREMENTS' defaults (logs dev 3 d, staging 7 d, prod 30 d; traces: dev all,
// staging a share, prod tail-based) and the profiles' documented numbers.
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { ROOT } from "../../components/config/stackFile";
import { parse } from "yaml";
import { renderRaw } from "../../render";
import type { RecordedResource } from "../../render/mockRuntime";
import { parseStackConfig } from "../../components/config";
import { patchedRaw, problemsOf } from "../helpers/config";
import { one, stack, stackRaw, tcpPorts } from "../helpers/mocks";
import { redactionStatements } from "../../components/model/observability/redaction";
import { lokiChartRefusals } from "../helpers/charts";

type Render = Awaited<ReturnType<typeof stack>>;
const release = (r: Render, name: string) => r.resources.find((x) => x.type === "kubernetes:helm.sh/v3:Release" && (x.inputs as any).name === name) as RecordedResource & { inputs: any };
const of = (r: Render, type: string) => r.resources.filter((x) => x.type === type) as Array<RecordedResource & { inputs: any }>;
const settings = (r: Render, s: string) => (one(r, "ConfigMap", "agent-platform-config") as any).data as Record<string, string>;

const RETENTION = { dev: ["72h", "72h"], staging: ["168h", "168h"], prod: ["720h", "336h"] } as const;

for (const s of ["dev", "staging", "prod"] as const) {
  describe(`stack ${s}: logs and traces (R-OBS)`, () => {
    it(`R-OBS-1, R-OBS-3: four releases at the pinned chart versions; logs kept ${RETENTION[s][0]}, traces ${RETENTION[s][1]}`, async () => {
      const r = await stack(s);
      const charts = Object.fromEntries(["otel-agent", "otel-gateway", "loki", "tempo"].map((n) => [n, [release(r, n).inputs.chart, release(r, n).inputs.version, release(r, n).inputs.repositoryOpts.repo, release(r, n).inputs.namespace]]));
      assert.deepEqual(charts, {
        "otel-agent": ["opentelemetry-collector", "0.170.0", "https://open-telemetry.github.io/opentelemetry-helm-charts", "observability-agent"],
        "otel-gateway": ["opentelemetry-collector", "0.170.0", "https://open-telemetry.github.io/opentelemetry-helm-charts", "observability"],
        loki: ["loki", "18.11.0", "https://grafana-community.github.io/helm-charts", "observability"],
        tempo: ["tempo", "2.2.4", "https://grafana-community.github.io/helm-charts", "observability"],
      });
      assert.equal(release(r, "loki").inputs.values.loki.limits_config.retention_period, RETENTION[s][0]);
      assert.equal(release(r, "loki").inputs.values.loki.compactor.retention_enabled, true, "Loki deletes what retention expires only with the compactor's retention on");
      assert.equal(release(r, "tempo").inputs.values.tempo.retention, RETENTION[s][1]);
      // Tempo takes OTLP over gRPC from the gateway and nothing else (null drops the chart's Jaeger and OTLP/HTTP receivers).
      assert.deepEqual(release(r, "tempo").inputs.values.tempo.receivers, { jaeger: null, otlp: { protocols: { grpc: { endpoint: "0.0.0.0:4317" }, http: null } } });
    });

    it(`R-OBS-1: ${s === "dev" ? "volumes in the cluster" : "S3 buckets of their own under the stack's key, each reached by an IRSA role limited to it"}`, async () => {
      const r = await stack(s);
      const loki = release(r, "loki").inputs.values;
      const tempo = release(r, "tempo").inputs.values;
      if (s === "dev") {
        assert.deepEqual(loki.loki.storage, { type: "filesystem" });
        assert.deepEqual(loki.loki.schemaConfig.configs.map((c: any) => c.object_store), ["filesystem"]);
        assert.deepEqual(tempo.tempo.storage, { trace: { backend: "local", local: { path: "/var/tempo/traces" }, wal: { path: "/var/tempo/wal" } } });
        assert.equal(of(r, "aws:s3/bucket:Bucket").length, 0);
        return;
      }
      const key = "arn:aws:kms:eu-west-1:123456789012:key/data-key-key-id";
      for (const [store, bucket, values] of [["loki", `agent-platform-${s}-loki-0a1b2c3`, loki], ["tempo", `agent-platform-${s}-tempo-0a1b2c3`, tempo]] as const) {
        const b: RecordedResource = r.resources.find((x) => x.type === "aws:s3/bucket:Bucket" && x.name === `agent-platform-${s}-${store}`)!;
        assert.equal(b.options.protect, true);
        const on = (type: string) => of(r, type).filter((x) => x.inputs.bucket === bucket);
        assert.deepEqual(on("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration")[0].inputs.rules, [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: key }, bucketKeyEnabled: true }]);
        assert.equal(on("aws:s3/bucketVersioning:BucketVersioning")[0].inputs.versioningConfiguration.status, "Enabled");
        const role = r.resources.find((x) => x.type === "aws:iam/role:Role" && x.name === `observability-${store}`)! as any;
        const trust = JSON.parse(role.inputs.assumeRolePolicy).Statement[0].Condition.StringEquals;
        assert.deepEqual(Object.entries(trust).map(([k, v]) => [k.split(":").pop(), v]), [["sub", `system:serviceaccount:observability:${store}`], ["aud", "sts.amazonaws.com"]]);
        const policy = JSON.parse((r.resources.find((x) => x.type === "aws:iam/rolePolicy:RolePolicy" && x.name === `observability-${store}`)!.inputs as any).policy);
        // Its bucket and the key, nothing else.
        assert.deepEqual(policy, {
          Version: "2012-10-17",
          Statement: [
            { Sid: "ListItsBucket", Effect: "Allow", Action: ["s3:ListBucket", "s3:GetBucketLocation"], Resource: `arn:aws:s3:::${bucket}` },
            { Sid: "ObjectsInItsBucket", Effect: "Allow", Action: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"], Resource: `arn:aws:s3:::${bucket}/*` },
            { Sid: "KeyThroughS3", Effect: "Allow", Action: ["kms:GenerateDataKey", "kms:Decrypt"], Resource: key, Condition: { StringEquals: { "kms:ViaService": "s3.eu-west-1.amazonaws.com" } } },
          ],
        });
        // The store's ServiceAccount carries the role.
        assert.equal(values.serviceAccount.annotations["eks.amazonaws.com/role-arn"], `arn:aws:iam::123456789012:role/agent-platform-${s}-${store}-20260101000000000000000001`);
        assert.equal(values.serviceAccount.automountServiceAccountToken, false);
      }
      assert.deepEqual(loki.loki.storage, { type: "s3", bucketNames: { chunks: `agent-platform-${s}-loki-0a1b2c3`, ruler: `agent-platform-${s}-loki-0a1b2c3`, admin: `agent-platform-${s}-loki-0a1b2c3` }, s3: { region: "eu-west-1" } });
      assert.equal(tempo.tempo.storage.trace.backend, "s3");
      assert.equal(tempo.tempo.storage.trace.s3.bucket, `agent-platform-${s}-tempo-0a1b2c3`);
    });

    it("R-OBS-3: the platform pods are told where to send traces and how many to keep", async () => {
      const r = await stack(s);
      const c = settings(r, s);
      const sampler = {
        dev: { OTEL_TRACES_SAMPLER: "parentbased_always_on" },
        staging: { OTEL_TRACES_SAMPLER: "parentbased_traceidratio", OTEL_TRACES_SAMPLER_ARG: "0.1" },
        prod: { OTEL_TRACES_SAMPLER: "parentbased_always_on" },
      }[s];
      // Every OpenTelemetry setting, and the log format the agent parses (JSON lines).
      assert.deepEqual(Object.fromEntries(Object.entries(c).filter(([k]) => k.startsWith("OTEL_") || k === "LOG_FORMAT")), {
        OTEL_SERVICE_NAME: "agent-platform",
        OTEL_EXPORTER_OTLP_ENDPOINT: "http://otel-gateway.observability.svc.cluster.local:4317",
        OTEL_EXPORTER_OTLP_PROTOCOL: "grpc",
        OTEL_RESOURCE_ATTRIBUTES: `deployment.environment.name=${s}`,
        ...sampler,
        LOG_FORMAT: "json",
      });
      const gw = release(r, "otel-gateway").inputs.values.config;
      if (s === "prod") {
        assert.deepEqual(gw.processors.tail_sampling, {
          decision_wait: "10s",
          policies: [
            { name: "errors", type: "status_code", status_code: { status_codes: ["ERROR"] } },
            { name: "slow", type: "latency", latency: { threshold_ms: 2000 } },
            { name: "baseline", type: "probabilistic", probabilistic: { sampling_percentage: 5 } },
          ],
        });
        assert.ok(gw.service.pipelines.traces.processors.includes("tail_sampling"));
      } else {
        assert.equal(gw.processors.tail_sampling, undefined);
        // The SDK samples (dev all, staging a share); the gateway passes every span on.
        assert.deepEqual(gw.service.pipelines.traces, { receivers: ["otlp"], processors: ["memory_limiter", "k8s_attributes", "transform/redact", "batch"], exporters: ["otlp/tempo"] });
      }
      assert.equal(release(r, "otel-gateway").inputs.values.replicaCount, 1, "tail sampling needs a trace's spans in one collector");
    });

    it("R-OBS-1, R-OBS-5: the agent reads the platform namespace's pod logs, parses JSON, redacts, counts the alert patterns and ships to Loki; the gateway redacts spans and ships the namespace's events", async () => {
      const r = await stack(s);
      const agent = release(r, "otel-agent").inputs.values;
      assert.equal(agent.mode, "daemonset");
      assert.equal(agent.presets.logsCollection.enabled, true);
      assert.deepEqual(agent.config.service.pipelines.logs, {
        receivers: ["file_log"],
        processors: ["memory_limiter", "k8s_attributes", "filter/platform", "transform/parse", "transform/redact", "batch"],
        exporters: ["otlphttp/loki", "count"],
      });
      assert.deepEqual(agent.config.processors["filter/platform"].logs.log_record, [`resource.attributes["k8s.namespace.name"] != "agent-platform-${s}"`]);
      assert.equal(agent.config.exporters["otlphttp/loki"].endpoint, "http://loki.observability.svc.cluster.local:3100/otlp");
      assert.deepEqual(Object.keys(agent.config.connectors.count.logs).sort(), [
        "agent_platform.log.auth_failures",
        "agent_platform.log.db_connection_errors",
        "agent_platform.log.errors",
        "agent_platform.log.fatal",
        "agent_platform.log.records",
      ]);
      for (const d of Object.values(agent.config.connectors.count.logs) as any[]) assert.match(d.conditions[0], new RegExp(`^resource.attributes\\["k8s.namespace.name"\\] == "agent-platform-${s}"`));
      assert.ok(agent.config.processors["transform/redact"].log_statements[0].statements.some((x: string) => x.startsWith("replace_pattern(body,")));
      // No host ports: the agent takes no OTLP; its two metrics ports are scraped through a PodMonitor.
      for (const p of ["otlp", "otlp-http", "jaeger-compact", "jaeger-thrift", "jaeger-grpc", "zipkin"]) assert.equal(agent.ports[p].enabled, false, p);
      assert.deepEqual(agent.podMonitor, { enabled: true, metricsEndpoints: [{ port: "metrics" }, { port: "log-metrics" }], extraLabels: { release: "kube-prometheus-stack" } });
      const gw = release(r, "otel-gateway").inputs.values;
      assert.deepEqual(gw.config.receivers.k8sobjects, { objects: [{ name: "events", mode: "watch", namespaces: [`agent-platform-${s}`] }] });
      assert.ok(gw.config.processors["transform/redact"].trace_statements[0].statements.includes('delete_key(attributes, "http.request.header.authorization")'));
      // The events are read through a Role in the platform namespace, not a ClusterRole.
      const role = one(r, "Role", "otel-gateway-events") as any;
      assert.equal(role.metadata.namespace, `agent-platform-${s}`);
      assert.deepEqual(role.rules, [{ apiGroups: ["", "events.k8s.io"], resources: ["events"], verbs: ["get", "list", "watch"] }]);
      assert.deepEqual((one(r, "RoleBinding", "otel-gateway-events") as any).subjects, [{ kind: "ServiceAccount", name: "otel-gateway", namespace: "observability" }]);
    });

    it("R-OBS-3: Grafana gets Loki and Tempo linked both ways, and exemplars on the Prometheus datasource open traces", async () => {
      const g = release(await stack(s), "kube-prometheus-stack").inputs.values;
      const ds = Object.fromEntries(g.grafana.additionalDataSources.map((d: any) => [d.uid, d]));
      assert.deepEqual(Object.keys(ds).sort(), ["loki", "tempo"]);
      assert.equal(ds.loki.url, "http://loki.observability.svc.cluster.local:3100");
      assert.equal(ds.tempo.url, "http://tempo.observability.svc.cluster.local:3200");
      assert.equal(ds.loki.jsonData.derivedFields[0].datasourceUid, "tempo");
      assert.equal(ds.tempo.jsonData.tracesToLogsV2.datasourceUid, "loki");
      assert.equal(ds.tempo.jsonData.tracesToLogsV2.filterByTraceID, true);
      assert.equal(ds.tempo.jsonData.tracesToMetrics.datasourceUid, "prometheus");
      assert.deepEqual(g.grafana.sidecar.datasources.exemplarTraceIdDestinations, { datasourceUid: "tempo", traceIdLabelName: "trace_id", urlDisplayLabel: "Open the trace" });
      assert.deepEqual(g.prometheus.prometheusSpec.enableFeatures, ["exemplar-storage"]);
      // The incident board's latency panel asks for exemplars on both quantiles, nothing else does.
      const board = JSON.parse((await stack(s)).files["grafana/incident-response.json"]);
      const targets = board.panels.flatMap((p: any) => (p.targets ?? []).map((t: any) => [p.title, t.legendFormat, t.exemplar === true]));
      assert.deepEqual(targets.filter((t: any) => t[2]), [["Performance impact", "p95 (s)", true], ["Performance impact", "p99 (s)", true]]);
    });

    it("R-OBS-4, R-WL-9: observability at restricted, the agent alone privileged with its reason; both deny by default; the gateway, Loki and Tempo run as non-root with nothing to escalate", async () => {
      const r = await stack(s);
      const ns = (n: string) => one(r, "Namespace", n) as any;
      assert.equal(ns("observability").metadata.labels["pod-security.kubernetes.io/enforce"], "restricted");
      assert.equal(ns("observability-agent").metadata.labels["pod-security.kubernetes.io/enforce"], "privileged");
      assert.match(ns("observability-agent").metadata.annotations["agent-platform/pod-security-reason"], /log files from the host/);
      const policies = (n: string) => r.manifests.filter((m) => m.kind === "NetworkPolicy" && m.metadata.namespace === n).map((m) => m.metadata.name).sort();
      assert.deepEqual(policies("observability-agent"), ["allow-apiserver-egress", "allow-dns-egress", "allow-loki-egress", "allow-prometheus-scrape", "default-deny-all"]);
      assert.deepEqual(policies("observability"), [
        "allow-apiserver-egress",
        "allow-dns-egress",
        "allow-gateway-egress",
        "allow-loki-ingress",
        "allow-loki-memberlist",
        "allow-otlp-ingress",
        "allow-prometheus-scrape",
        ...(s === "dev" ? [] : ["allow-s3-egress"]),
        "allow-tempo-ingress",
        "default-deny-all",
      ]);
      const otlp = r.manifests.find((m) => m.kind === "NetworkPolicy" && m.metadata.name === "allow-otlp-ingress") as any;
      assert.deepEqual(otlp.spec.ingress[0].from, [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": `agent-platform-${s}` } } }]);
      const values = { gateway: release(r, "otel-gateway").inputs.values, loki: release(r, "loki").inputs.values.loki, tempo: release(r, "tempo").inputs.values };
      const pods = [
        [values.gateway.podSecurityContext, values.gateway.securityContext],
        [values.loki.podSecurityContext, values.loki.containerSecurityContext],
        [values.tempo.securityContext, values.tempo.tempo.securityContext],
      ];
      for (const [pod, container] of pods) {
        assert.equal(pod.runAsNonRoot, true);
        assert.equal(pod.seccompProfile.type, "RuntimeDefault");
        assert.deepEqual(container, { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } });
      }
      // The agent needs root to read kubelet's files, and nothing more.
      const agent = release(r, "otel-agent").inputs.values;
      assert.deepEqual(agent.podSecurityContext, { runAsUser: 0, runAsGroup: 0, seccompProfile: { type: "RuntimeDefault" } });
      assert.deepEqual(agent.securityContext, { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } });
    });
  });
}

describe("R-OBS-6: prod's public endpoint checked from outside", () => {
  it("R-OBS-6: prod: a Route 53 HTTPS health check of https://agents.example.com/health from three regions, three failures in a row at 30 s", async () => {
    const r = await stack("prod");
    const check = of(r, "aws:route53/healthCheck:HealthCheck");
    assert.equal(check.length, 1);
    assert.deepEqual(check[0].inputs, {
      type: "HTTPS",
      fqdn: "agents.example.com",
      port: 443,
      resourcePath: "/health",
      requestInterval: 30,
      failureThreshold: 3,
      regions: ["us-east-1", "eu-west-1", "ap-southeast-1"],
      measureLatency: true,
      enableSni: true,
      referenceName: "agent-platform-prod",
    });
  });

  it("R-OBS-6: prod: a CloudWatch alarm in us-east-1 on the check's status (below 1, missing data breaching) pages the P0 service through SNS, alarm and recovery", async () => {
    const r = await stack("prod");
    const provider = r.resources.find((x) => x.type === "pulumi:providers:aws" && x.name === "aws-us-east-1")!;
    assert.equal((provider.inputs as any).region, "us-east-1");
    const alarm = of(r, "aws:cloudwatch/metricAlarm:MetricAlarm")[0].inputs;
    assert.equal(alarm.namespace, "AWS/Route53");
    assert.equal(alarm.metricName, "HealthCheckStatus");
    assert.equal(alarm.statistic, "Minimum");
    assert.equal(alarm.comparisonOperator, "LessThanThreshold");
    assert.equal(alarm.threshold, 1);
    assert.equal(alarm.period, 60);
    assert.equal(alarm.evaluationPeriods, 1);
    assert.equal(alarm.treatMissingData, "breaching");
    assert.equal(alarm.alarmDescription, 'R-OBS-6: https://agents.example.com/health is failing from outside the cluster (Route 53 health check). Runbook: docs/observability.md, "The outside-in uptime check"');
    // Worst case to the page: 3 failures × 30 s, then one 60 s metric period.
    assert.ok(
      r.summary.includes("  uptime (R-OBS-6): Route 53 checks https://agents.example.com/health from us-east-1, eu-west-1, ap-southeast-1 every 30s; 3 failures in a row, then a CloudWatch alarm (us-east-1) pages the P0 service through SNS within 150s\n"),
      r.summary,
    );
    assert.deepEqual(alarm.dimensions, { HealthCheckId: "uptime-check-id" }, "the mock's id of the health check");
    const topic = of(r, "aws:sns/topic:Topic")[0];
    assert.equal(topic.inputs.name, "agent-platform-prod-uptime");
    assert.deepEqual(alarm.alarmActions, ["arn:aws:sns:us-east-1:123456789012:uptime-alarm"], "the topic in us-east-1");
    assert.deepEqual(alarm.okActions, alarm.alarmActions);
    const sub = of(r, "aws:sns/topicSubscription:TopicSubscription")[0].inputs;
    assert.equal(sub.protocol, "https");
    assert.equal(sub.endpointAutoConfirms, true);
    assert.match(JSON.stringify(sub.endpoint), /4dabf18193072939515e22adb298388d/, "the pager URL stays a secret");
  });

  it("R-OBS-6: prod: the alarm's topic is encrypted under a rotating key of its own in us-east-1, which CloudWatch may use for this alarm only", async () => {
    const r = await stack("prod");
    const keys = of(r, "aws:kms/key:Key").filter((k) => k.name === "uptime-key");
    assert.equal(keys.length, 1);
    const { policy, ...key } = keys[0].inputs;
    assert.deepEqual(key, { description: "agent-platform-prod-uptime: the uptime alarm's topic", enableKeyRotation: true, rotationPeriodInDays: 365, deletionWindowInDays: 30 });
    assert.equal(keys[0].options.protect, true);
    assert.deepEqual(JSON.parse(policy), {
      Version: "2012-10-17",
      Statement: [
        { Sid: "TheAccountAdministersThroughIam", Effect: "Allow", Principal: { AWS: "arn:aws:iam::123456789012:root" }, Action: "kms:*", Resource: "*" },
        {
          Sid: "TheUptimeAlarmPublishes",
          Effect: "Allow",
          Principal: { Service: "cloudwatch.amazonaws.com" },
          Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
          Resource: "*",
          Condition: {
            StringEquals: { "aws:SourceAccount": "123456789012" },
            ArnLike: { "aws:SourceArn": "arn:aws:cloudwatch:us-east-1:123456789012:alarm:agent-platform-prod-uptime" },
          },
        },
      ],
    });
    // The key, its alias and the topic are declared through the us-east-1 provider, where the alarm is.
    const inUsEast1 = (t: string, n: string) => (r.resources.find((x) => x.type === t && x.name === n)! as any).provider as string;
    for (const [t, n] of [["aws:kms/key:Key", "uptime-key"], ["aws:kms/alias:Alias", "uptime-key-alias"], ["aws:sns/topic:Topic", "uptime-alarm"], ["aws:cloudwatch/metricAlarm:MetricAlarm", "uptime-alarm"]]) {
      assert.match(inUsEast1(t, n), /aws-us-east-1/, `${t} ${n}`);
    }
    assert.equal(of(r, "aws:kms/alias:Alias").find((a) => a.name === "uptime-key-alias")!.inputs.name, "alias/agent-platform-prod-uptime");
    assert.equal(of(r, "aws:sns/topic:Topic")[0].inputs.kmsMasterKeyId, "arn:aws:kms:us-east-1:123456789012:key/uptime-key-id", "the mock's ARN of the key, in us-east-1");
  });

  it("R-OBS-6: dev and staging have no outside-in check; prod without the URL, or with paging and no pager URL, is refused with the command to set it", async () => {
    for (const s of ["dev", "staging"] as const) assert.equal(of(await stack(s), "aws:route53/healthCheck:HealthCheck").length, 0, s);
    const noUrl = problemsOf("prod", { observability: { uptime: { url: undefined } } } as any);
    assert.ok(noUrl.some((p) => /observability\.uptime\.url is required and not set/.test(p) && /pulumi config set --path observability\.uptime\.url https:\/\/<your public host>\/health/.test(p)), noUrl.join("\n"));
    assert.deepEqual(problemsOf("prod", { observability: { uptime: { url: "https://status.example.org/healthz" } } } as any), []);
    const http = problemsOf("prod", { observability: { uptime: { url: "http://agents.example.com/health" } } } as any);
    assert.equal(http.length, 1);
    assert.match(http[0], /observability\.uptime\.url/);
    assert.throws(() => parseStackConfig(stackRaw("prod", { uptimeAlertUrl: undefined }), "prod"), /uptimeAlertUrl is required and not set: the outside-in uptime alarm pages through it/);
    assert.doesNotThrow(() => parseStackConfig(stackRaw("prod", { uptimeAlertUrl: undefined, alerting: { paging: false } }), "prod"), "without paging, no pager URL is needed");
  });
});

describe("R-OBS: observability.install off", () => {
  it("R-OBS-3: no release, namespace or bucket, no observability alerts, and the pods' SDK is off", async () => {
    const r = await renderRaw("prod", stackRaw("prod", { observability: { install: false } }));
    assert.equal(r.resources.filter((x) => x.type === "kubernetes:helm.sh/v3:Release" && ["otel-agent", "otel-gateway", "loki", "tempo"].includes((x.inputs as any).name)).length, 0);
    assert.equal(r.manifests.filter((m) => m.kind === "Namespace" && /^observability/.test(m.metadata.name)).length, 0);
    assert.equal(r.resources.filter((x) => x.type === "aws:s3/bucket:Bucket" && /-(loki|tempo)$/.test(x.name)).length, 0);
    assert.doesNotMatch(r.files["prometheus/rules.yaml"], /agent-platform\.observability/);
    assert.equal(((one(r, "ConfigMap", "agent-platform-config") as any).data as Record<string, string>).OTEL_SDK_DISABLED, "true");
    assert.equal(release(r, "kube-prometheus-stack").inputs.values.grafana.additionalDataSources, undefined);
  });
});

describe("R-OBS-1: what the charts' own templates refuse at install", () => {
  it("R-OBS-1: Loki 18.11.0's validate.yaml accepts each stack's values (one monolithic replica; read, write and backend at 0)", async () => {
    for (const s of ["dev", "staging", "prod"] as const) {
      assert.deepEqual(lokiChartRefusals(release(await stack(s), "loki").inputs.values), [], s);
    }
  });

  it("R-OBS-1: the check refuses what the chart refuses: the scalable defaults beside a monolithic replica, two replicas on a volume, no schema", async () => {
    const prod = release(await stack("prod"), "loki").inputs.values;
    const without = (...keys: string[]) => Object.fromEntries(Object.entries(prod).filter(([k]) => !keys.includes(k)));
    assert.deepEqual(lokiChartRefusals(without("read", "write", "backend")), ["You have more than zero replicas configured for both the monolithic and simple scalable targets."]);
    assert.deepEqual(lokiChartRefusals({ ...without("write"), write: { replicas: 1 } }), ["You have more than zero replicas configured for both the monolithic and simple scalable targets."]);
    assert.deepEqual(lokiChartRefusals({ ...without("read", "write", "backend"), deploymentMode: "Monolithic<->SimpleScalable" }), []);
    const dev = release(await stack("dev"), "loki").inputs.values;
    assert.deepEqual(lokiChartRefusals({ ...dev, singleBinary: { ...dev.singleBinary, replicas: 2 } }), ["Cannot run more than 1 Monolithic replica without an object storage backend."]);
    assert.deepEqual(lokiChartRefusals({ ...prod, singleBinary: { ...prod.singleBinary, replicas: 2 } }), [], "on S3, two are allowed");
    assert.deepEqual(lokiChartRefusals({ ...prod, ingester: { replicas: 1 } }), ["You have more than zero replicas configured for both the monolithic and distributed targets."]);
    assert.deepEqual(lokiChartRefusals({ ...prod, loki: { ...prod.loki, schemaConfig: {} } }), ["You must provide a schema_config for Loki."]);
  });
});

describe("R-OBS-1: the chart values we set are few, and documented", () => {
  /** Top-level keys and their first level below, as "key" or "key.sub". */
  const keys = (v: Record<string, unknown>) =>
    Object.entries(v)
      .flatMap(([k, x]) => (x && typeof x === "object" && !Array.isArray(x) && !["config", "resources", "podSecurityContext", "securityContext", "podMonitor", "ports", "presets", "image"].includes(k) ? Object.keys(x).map((s) => `${k}.${s}`) : [k]))
      .sort();

  it("R-OBS-1: each release's keys are the ones docs/observability.md lists for its chart (a new key must be checked against the chart's values.yaml and listed there)", async () => {
    const r = await stack("prod");
    const v = (name: string) => release(r, name).inputs.values;
    assert.deepEqual(keys(v("otel-agent")), ["config", "fullnameOverride", "image", "mode", "podMonitor", "podSecurityContext", "ports", "presets", "resources", "securityContext"]);
    assert.deepEqual(keys(v("otel-gateway")), ["config", "fullnameOverride", "image", "mode", "podMonitor", "podSecurityContext", "ports", "presets", "replicaCount", "resources", "securityContext"]);
    assert.deepEqual(keys(v("loki")), [
      "backend.replicas",
      "chunksCache.enabled",
      "deploymentMode",
      "fullnameOverride",
      "gateway.enabled",
      "loki.auth_enabled",
      "loki.commonConfig",
      "loki.compactor",
      "loki.containerSecurityContext",
      "loki.limits_config",
      "loki.podSecurityContext",
      "loki.schemaConfig",
      "loki.storage",
      "lokiCanary.enabled",
      "read.replicas",
      "resultsCache.enabled",
      "serviceAccount.annotations",
      "serviceAccount.automountServiceAccountToken",
      "serviceAccount.create",
      "singleBinary.persistence",
      "singleBinary.replicas",
      "singleBinary.resources",
      "singleBinary.sidecar",
      "test.enabled",
      "write.replicas",
    ]);
    assert.deepEqual(keys(v("tempo")), [
      "fullnameOverride",
      "persistence.enabled",
      "persistence.size",
      "securityContext",
      "serviceAccount.annotations",
      "serviceAccount.automountServiceAccountToken",
      "serviceAccount.create",
      "tempo.receivers",
      "tempo.reportingEnabled",
      "tempo.resources",
      "tempo.retention",
      "tempo.securityContext",
      "tempo.storage",
    ]);
    const doc = fs.readFileSync(path.join(ROOT, "docs", "observability.md"), "utf8");
    for (const k of ["presets.logsCollection", "presets.kubernetesAttributes", "podMonitor", "replicaCount", "deploymentMode: Monolithic", "singleBinary.{replicas, sidecar, resources, persistence}", "tempo.{reportingEnabled, retention, storage, receivers, resources, securityContext}"]) {
      assert.ok(doc.includes(k), `docs/observability.md lists ${k}`);
    }
  });
});

describe("R-OBS-2, R-OBS-4: prod's observability rules, stated whole", () => {
  it("R-OBS-2, R-OBS-4: recording rules and alerts with the strict preset's thresholds, `for`s, priorities and summaries", async () => {
    const prod = await stack("prod");
    const g = (parse(prod.files["prometheus/rules.yaml"]).groups as any[]).find((x) => x.name === "agent-platform.observability");
    const rows = g.rules.map((r: any) => (r.record ? [r.record, r.expr] : [r.alert, r.expr, r.for ?? null, r.labels.severity, r.labels.priority, r.labels.service, r.annotations.summary]));
    const ns = 'namespace=~"observability|observability-agent"';
    assert.deepEqual(rows, [
      ["platform:log_error_ratio:rate5m", "sum(rate(agent_platform_log_errors_total[5m])) / sum(rate(agent_platform_log_records_total[5m]))"],
      ["platform:log_fatal:increase5m", "(sum(increase(agent_platform_log_fatal_total[5m])) or vector(0)) + (sum(agent_platform_log_fatal_total unless agent_platform_log_fatal_total offset 5m) or vector(0))"],
      ["platform:log_auth_failures:rate5m", "sum(rate(agent_platform_log_auth_failures_total[5m]))"],
      ["platform:log_db_connection_errors:rate5m", "sum(rate(agent_platform_log_db_connection_errors_total[5m]))"],
      ["platform:log_db_connection_errors:rate2m", "sum(rate(agent_platform_log_db_connection_errors_total[2m]))"],
      ["telemetry:lost_records:rate5m", `sum(rate({__name__=~"otelcol_(exporter_send_failed|exporter_enqueue_failed|receiver_refused)_(log_records|spans)(_total)?",${ns}}[5m]))`],
      ["telemetry:exporter_queue_fill:max", `max(otelcol_exporter_queue_size{${ns}} / otelcol_exporter_queue_capacity{${ns}})`],
      ["telemetry:volume_usage:max", 'max(kubelet_volume_stats_used_bytes{namespace="observability"} / kubelet_volume_stats_capacity_bytes{namespace="observability"})'],
      ["LogErrorRateHigh", "platform:log_error_ratio:rate5m > 0.05", "10m", "warning", "P2", "agent-platform", "The platform logs more errors than usual"],
      ["LogErrorRateHigh", "platform:log_error_ratio:rate5m > 0.2", "5m", "critical", "P1", "agent-platform", "The platform logs errors on a large share of its records"],
      ["PlatformFatalErrors", "platform:log_fatal:increase5m > 0", null, "critical", "P1", "agent-platform", "The platform logged a fatal or unhandled error"],
      ["AuthenticationFailuresHigh", "platform:log_auth_failures:rate5m > 5", "10m", "warning", "P2", "agent-platform", "Many failed logins, API keys or tokens: a broken client, or someone guessing"],
      ["DatabaseConnectionErrors", "platform:log_db_connection_errors:rate5m > 0.1", "5m", "warning", "P2", "agent-platform", "The platform's database connections are failing"],
      ["DatabaseConnectionErrors", "platform:log_db_connection_errors:rate2m > 1", "2m", "critical", "P1", "agent-platform", "The platform cannot reach its database"],
      ["TelemetryDropped", "telemetry:lost_records:rate5m > 1", "10m", "warning", "P2", "agent-platform", "Logs or traces are being lost on their way to Loki or Tempo"],
      ["TelemetryQueueFilling", "telemetry:exporter_queue_fill:max > 0.8", "10m", "warning", "P2", "agent-platform", "A collector queues telemetry its backend does not take: it will drop when full"],
      ["TelemetryStorageFilling", "telemetry:volume_usage:max > 0.8", "15m", "warning", "P2", "agent-platform", "Loki's or Tempo's volume is filling"],
      ["TelemetryStorageFilling", "telemetry:volume_usage:max > 0.95", "5m", "critical", "P1", "agent-platform", "Loki's or Tempo's volume is nearly full: ingestion stops when it is"],
    ]);
    // What the page says: the signal, its value, where, and the condition.
    assert.deepEqual(
      g.rules.filter((r: any) => r.alert).map((r: any) => r.annotations.description),
      [
        "share of the platform's log records at error or fatal over 5m is {{ $value | humanizePercentage }} (the platform's logs) (warning when > 5% for 10m).",
        "share of the platform's log records at error or fatal over 5m is {{ $value | humanizePercentage }} (the platform's logs) (critical when > 20% for 5m).",
        'fatal and unhandled-error log records over 5m is {{ $value | printf "%.2f" }} (the platform\'s logs) (critical when > 0).',
        'authentication failures per second over 5m is {{ $value | printf "%.2f" }} (the platform\'s logs) (warning when > 5 for 10m).',
        'database connection errors per second over 5m is {{ $value | printf "%.2f" }} (the platform\'s logs) (warning when > 0.1 for 5m).',
        'database connection errors per second over 2m is {{ $value | printf "%.2f" }} (the platform\'s logs) (critical when > 1 for 2m).',
        'log records and spans the collectors failed to send or refused, per second over 5m is {{ $value | printf "%.2f" }} (the collectors) (warning when > 1 for 10m).',
        "fill of the fullest exporter sending queue is {{ $value | humanizePercentage }} (the collectors) (warning when > 80% for 10m).",
        "usage of the fullest Loki or Tempo volume is {{ $value | humanizePercentage }} (observability) (warning when > 80% for 15m).",
        "usage of the fullest Loki or Tempo volume is {{ $value | humanizePercentage }} (observability) (critical when > 95% for 5m).",
      ],
    );
    // The stack's alert table (rendered/prod/alerts.md) files each under its requirement.
    const names = new Set(["LogErrorRateHigh", "PlatformFatalErrors", "AuthenticationFailuresHigh", "DatabaseConnectionErrors", "TelemetryDropped", "TelemetryQueueFilling", "TelemetryStorageFilling"]);
    const table = prod.files["alerts.md"]
      .split("\n")
      .map((l) => /^\| ([^|]*) \| \[(\w+)\]/.exec(l))
      .filter((m): m is RegExpExecArray => m !== null && names.has(m[2]))
      .map((m) => `${m[1]} ${m[2]}`);
    assert.deepEqual(table, [
      "R-OBS-2 LogErrorRateHigh",
      "R-OBS-2 LogErrorRateHigh",
      "R-OBS-2 PlatformFatalErrors",
      "R-OBS-2 AuthenticationFailuresHigh",
      "R-OBS-2 DatabaseConnectionErrors",
      "R-OBS-2 DatabaseConnectionErrors",
      "R-OBS-4 TelemetryDropped",
      "R-OBS-4 TelemetryQueueFilling",
      "R-OBS-4 TelemetryStorageFilling",
      "R-OBS-4 TelemetryStorageFilling",
    ]);
  });
});

describe("R-OBS-1, R-OBS-3, R-OBS-5: prod's collector values, stated whole", () => {
  // The collectors' configuration is a chart value Helm hands to the collector as it is:
  // no schema stands between a wrong word here and a collector that will not start, so
  // each value is stated. The redaction statements are the redaction module's (stated and
  // run on planted secrets in test/model/redaction.test.ts); here they must be wired in whole.
  const ns = 'resource.attributes["k8s.namespace.name"]';
  const level = (sev: string, words: string[]) =>
    `set(severity_number, SEVERITY_NUMBER_${sev}) where severity_number == SEVERITY_NUMBER_UNSPECIFIED and (${words.map((w) => `String(attributes["level"]) == "${w}"`).join(" or ")})`;
  const queue = { sending_queue: { enabled: true, queue_size: 5000 }, retry_on_failure: { enabled: true } };
  const closed = { "jaeger-compact": { enabled: false }, "jaeger-thrift": { enabled: false }, "jaeger-grpc": { enabled: false }, zipkin: { enabled: false } };
  const hardened = { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } };
  const values = async (n: string) => {
    const v = JSON.parse(JSON.stringify(release(await stack("prod"), n).inputs.values));
    const redact = v.config.processors["transform/redact"];
    const [kind, statements] = redact.log_statements ? ["log_statements", redactionStatements().logs] : ["trace_statements", redactionStatements().spans];
    assert.deepEqual(redact[kind][0].statements, statements, `${n}: the redaction module's statements, whole and in order`);
    redact[kind][0].statements = "(the redaction module's)";
    return v;
  };

  it("R-OBS-1, R-OBS-5: the agent: the platform's pod logs, parsed, levelled, redacted, counted and sent to Loki; no OTLP, no host ports", async () => {
    assert.deepEqual(await values("otel-agent"), {
      mode: "daemonset",
      fullnameOverride: "otel-agent",
      image: { repository: "otel/opentelemetry-collector-contrib" },
      presets: { logsCollection: { enabled: true, includeCollectorLogs: false, storeCheckpoints: true }, kubernetesAttributes: { enabled: true } },
      config: {
        receivers: { jaeger: null, zipkin: null, prometheus: null, otlp: null },
        processors: {
          "filter/platform": { error_mode: "ignore", logs: { log_record: [`${ns} != "agent-platform-prod"`] } },
          "transform/parse": {
            error_mode: "ignore",
            log_statements: [
              {
                context: "log",
                statements: [
                  'merge_maps(attributes, ParseJSON(body), "upsert") where IsMatch(body, "^\\\\s*\\\\{")',
                  level("FATAL", ["fatal", "60"]),
                  level("ERROR", ["error", "50"]),
                  level("WARN", ["warn", "warning", "40"]),
                  level("INFO", ["info", "30"]),
                  level("DEBUG", ["debug", "20", "trace", "10"]),
                ],
              },
            ],
          },
          "transform/redact": { error_mode: "ignore", log_statements: [{ context: "log", statements: "(the redaction module's)" }] },
        },
        connectors: {
          count: {
            logs: {
              "agent_platform.log.records": { description: "The platform's log records.", conditions: [`${ns} == "agent-platform-prod"`] },
              "agent_platform.log.errors": { description: "The platform's log records at level error or fatal.", conditions: [`${ns} == "agent-platform-prod" and severity_number >= SEVERITY_NUMBER_ERROR`] },
              "agent_platform.log.fatal": {
                description: "Fatal records and unhandled errors (an uncaught exception or rejection).",
                conditions: [`${ns} == "agent-platform-prod" and (severity_number >= SEVERITY_NUMBER_FATAL or IsMatch(body, "(uncaughtException|unhandledRejection|UnhandledPromiseRejection)"))`],
              },
              "agent_platform.log.auth_failures": {
                description: "Authentication failures: refused logins, API keys and tokens.",
                conditions: [`${ns} == "agent-platform-prod" and IsMatch(body, "(?i)(authentication failed|invalid (api key|token|credentials)|jwt (expired|malformed)|unauthorized)")`],
              },
              "agent_platform.log.db_connection_errors": {
                description: "Database connection errors: refused, timed out, dropped, too many clients, bad credentials.",
                conditions: [
                  `${ns} == "agent-platform-prod" and IsMatch(body, "(?i)(ECONNREFUSED|ETIMEDOUT|connection terminated|too many clients|password authentication failed|could not connect to (the )?(server|database)|Connection terminated unexpectedly)")`,
                ],
              },
            },
          },
        },
        exporters: {
          "otlphttp/loki": { endpoint: "http://loki.observability.svc.cluster.local:3100/otlp", ...queue },
          prometheus: { endpoint: "${env:MY_POD_IP}:8889" },
        },
        service: {
          pipelines: {
            metrics: null,
            traces: null,
            logs: { receivers: ["file_log"], processors: ["memory_limiter", "k8s_attributes", "filter/platform", "transform/parse", "transform/redact", "batch"], exporters: ["otlphttp/loki", "count"] },
            "metrics/logs": { receivers: ["count"], processors: ["batch"], exporters: ["prometheus"] },
          },
        },
      },
      ports: {
        otlp: { enabled: false },
        "otlp-http": { enabled: false },
        ...closed,
        metrics: { enabled: true },
        "log-metrics": { enabled: true, containerPort: 8889, servicePort: 8889, protocol: "TCP" },
      },
      podMonitor: { enabled: true, metricsEndpoints: [{ port: "metrics" }, { port: "log-metrics" }], extraLabels: { release: "kube-prometheus-stack" } },
      resources: { requests: { cpu: "50m", memory: "128Mi" }, limits: { cpu: "500m", memory: "512Mi" } },
      podSecurityContext: { runAsUser: 0, runAsGroup: 0, seccompProfile: { type: "RuntimeDefault" } },
      securityContext: hardened,
    });
  });

  it("R-OBS-3, R-OBS-5: the gateway: OTLP from the pods, spans redacted and tail-sampled to Tempo, the namespace's events to Loki", async () => {
    assert.deepEqual(await values("otel-gateway"), {
      mode: "deployment",
      fullnameOverride: "otel-gateway",
      image: { repository: "otel/opentelemetry-collector-contrib" },
      replicaCount: 1,
      presets: { kubernetesAttributes: { enabled: true } },
      config: {
        receivers: {
          jaeger: null,
          zipkin: null,
          prometheus: null,
          otlp: { protocols: { grpc: { endpoint: "${env:MY_POD_IP}:4317" }, http: { endpoint: "${env:MY_POD_IP}:4318" } } },
          k8sobjects: { objects: [{ name: "events", mode: "watch", namespaces: ["agent-platform-prod"] }] },
        },
        processors: {
          "transform/redact": { error_mode: "ignore", trace_statements: [{ context: "span", statements: "(the redaction module's)" }] },
          tail_sampling: {
            decision_wait: "10s",
            policies: [
              { name: "errors", type: "status_code", status_code: { status_codes: ["ERROR"] } },
              { name: "slow", type: "latency", latency: { threshold_ms: 2000 } },
              { name: "baseline", type: "probabilistic", probabilistic: { sampling_percentage: 5 } },
            ],
          },
        },
        exporters: {
          "otlp/tempo": { endpoint: "tempo.observability.svc.cluster.local:4317", tls: { insecure: true }, ...queue },
          "otlphttp/loki": { endpoint: "http://loki.observability.svc.cluster.local:3100/otlp", ...queue },
        },
        service: {
          pipelines: {
            metrics: null,
            traces: { receivers: ["otlp"], processors: ["memory_limiter", "k8s_attributes", "transform/redact", "tail_sampling", "batch"], exporters: ["otlp/tempo"] },
            logs: { receivers: ["k8sobjects"], processors: ["memory_limiter", "batch"], exporters: ["otlphttp/loki"] },
          },
        },
      },
      ports: { ...closed, metrics: { enabled: true } },
      podMonitor: { enabled: true, metricsEndpoints: [{ port: "metrics" }], extraLabels: { release: "kube-prometheus-stack" } },
      resources: { requests: { cpu: "100m", memory: "256Mi" }, limits: { cpu: "1", memory: "1Gi" } },
      podSecurityContext: { runAsUser: 10001, runAsGroup: 10001, runAsNonRoot: true, fsGroup: 10001, seccompProfile: { type: "RuntimeDefault" } },
      securityContext: hardened,
    });
  });
});

describe("R-OBS-4: every allowance of the observability namespaces, stated whole (prod)", () => {
  it("R-OBS-4: who may reach the gateway, Loki and Tempo, and where they may go", async () => {
    const r = await stack("prod");
    const spec = (ns: string, name: string) => (r.manifests.find((m) => m.kind === "NetworkPolicy" && m.metadata.namespace === ns && m.metadata.name === name) as any).spec;
    const nsSel = (n: string) => ({ matchLabels: { "kubernetes.io/metadata.name": n } });
    const inst = (n: string) => ({ matchLabels: { "app.kubernetes.io/instance": n } });
    const grafana = { namespaceSelector: nsSel("monitoring"), podSelector: { matchLabels: { "app.kubernetes.io/name": "grafana" } } };
    const prometheus = { namespaceSelector: nsSel("monitoring"), podSelector: { matchLabels: { "app.kubernetes.io/name": "prometheus" } } };
    assert.deepEqual(spec("observability", "allow-otlp-ingress"), { podSelector: inst("otel-gateway"), policyTypes: ["Ingress"], ingress: [{ from: [{ namespaceSelector: nsSel("agent-platform-prod") }], ports: tcpPorts(4317, 4318) }] });
    assert.deepEqual(spec("observability", "allow-gateway-egress"), {
      podSelector: inst("otel-gateway"),
      policyTypes: ["Egress"],
      egress: [{ to: [{ podSelector: inst("tempo") }], ports: tcpPorts(4317) }, { to: [{ podSelector: inst("loki") }], ports: tcpPorts(3100) }],
    });
    assert.deepEqual(spec("observability", "allow-loki-ingress"), {
      podSelector: inst("loki"),
      policyTypes: ["Ingress"],
      ingress: [{ from: [{ namespaceSelector: nsSel("observability-agent"), podSelector: inst("otel-agent") }, { podSelector: inst("otel-gateway") }, grafana], ports: tcpPorts(3100) }],
    });
    // Loki's gossip to its own pods on 7946, both ways, and from nobody else.
    assert.deepEqual(spec("observability", "allow-loki-memberlist"), {
      podSelector: inst("loki"),
      policyTypes: ["Ingress", "Egress"],
      ingress: [{ from: [{ podSelector: inst("loki") }], ports: tcpPorts(7946) }],
      egress: [{ to: [{ podSelector: inst("loki") }], ports: tcpPorts(7946) }],
    });
    assert.deepEqual(spec("observability", "allow-tempo-ingress"), {
      podSelector: inst("tempo"),
      policyTypes: ["Ingress"],
      ingress: [{ from: [{ podSelector: inst("otel-gateway") }], ports: tcpPorts(4317) }, { from: [grafana], ports: tcpPorts(3200) }],
    });
    assert.deepEqual(spec("observability", "allow-prometheus-scrape"), { podSelector: inst("otel-gateway"), policyTypes: ["Ingress"], ingress: [{ from: [prometheus], ports: tcpPorts(8888) }] });
    assert.deepEqual(spec("observability-agent", "allow-prometheus-scrape"), { podSelector: inst("otel-agent"), policyTypes: ["Ingress"], ingress: [{ from: [prometheus], ports: tcpPorts(8888, 8889) }] });
    assert.deepEqual(spec("observability-agent", "allow-loki-egress"), {
      podSelector: inst("otel-agent"),
      policyTypes: ["Egress"],
      egress: [{ to: [{ namespaceSelector: nsSel("observability"), podSelector: inst("loki") }], ports: tcpPorts(3100) }],
    });
    assert.deepEqual(spec("observability", "allow-s3-egress"), {
      podSelector: { matchExpressions: [{ key: "app.kubernetes.io/instance", operator: "In", values: ["loki", "tempo"] }] },
      policyTypes: ["Egress"],
      egress: [{ to: [{ ipBlock: { cidr: "0.0.0.0/0", except: ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10", "169.254.0.0/16"] } }], ports: tcpPorts(443) }],
    });
    for (const [ns, who] of [["observability", "otel-gateway"], ["observability-agent", "otel-agent"]]) {
      // The API server at prod's apiServerCidrs (Pulumi.prod.yaml), on 443 and 6443.
      assert.deepEqual(spec(ns, "allow-apiserver-egress"), { podSelector: inst(who), policyTypes: ["Egress"], egress: [{ to: [{ ipBlock: { cidr: "10.0.0.0/8" } }], ports: tcpPorts(443, 6443) }] });
      assert.deepEqual(spec(ns, "allow-dns-egress"), {
        podSelector: {},
        policyTypes: ["Egress"],
        egress: [{ to: [{ namespaceSelector: nsSel("kube-system"), podSelector: { matchLabels: { "k8s-app": "kube-dns" } } }], ports: [{ protocol: "UDP", port: 53 }, { protocol: "TCP", port: 53 }] }],
      });
      assert.deepEqual(spec(ns, "default-deny-all"), { podSelector: {}, policyTypes: ["Ingress", "Egress"] });
    }
    // Each allowance says why it exists (the agent-platform/why annotation), every one of them.
    const whys = Object.fromEntries(
      r.manifests
        .filter((m) => m.kind === "NetworkPolicy" && /^observability/.test(m.metadata.namespace ?? ""))
        .map((m: any) => [`${m.metadata.namespace}/${m.metadata.name}`, m.metadata.annotations["agent-platform/why"]]),
    );
    assert.deepEqual(whys, {
      "observability/default-deny-all": "nothing in or out unless a policy below allows it",
      "observability/allow-dns-egress": "DNS to kube-dns (and NodeLocal DNSCache when configured)",
      "observability/allow-apiserver-egress": "the gateway to the API server: the platform namespace's events, and pod attributes for spans",
      "observability/allow-prometheus-scrape": "Prometheus (monitoring) scrapes the collector's metrics (8888)",
      "observability/allow-otlp-ingress": "the platform pods (agent-platform-prod) send traces to the gateway over OTLP (4317, 4318)",
      "observability/allow-gateway-egress": "the gateway to Tempo (4317) and Loki (3100)",
      "observability/allow-loki-ingress": "Loki (3100) from the agent (observability-agent), the gateway and Grafana, nothing else",
      "observability/allow-loki-memberlist": "Loki's ring gossip (7946) between Loki's own pods, nothing else",
      "observability/allow-tempo-ingress": "Tempo: OTLP (4317) from the gateway, queries (3200) from Grafana",
      "observability/allow-s3-egress": "Loki and Tempo to S3 and STS over HTTPS (443), not 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16, 100.64.0.0/10, 169.254.0.0/16",
      "observability-agent/default-deny-all": "nothing in or out unless a policy below allows it",
      "observability-agent/allow-dns-egress": "DNS to kube-dns (and NodeLocal DNSCache when configured)",
      "observability-agent/allow-apiserver-egress": "the agent to the API server: the attributes of the pods whose logs it reads",
      "observability-agent/allow-prometheus-scrape": "Prometheus (monitoring) scrapes the collector's metrics (8888, 8889)",
      "observability-agent/allow-loki-egress": "the agent to Loki (observability, 3100) only",
    });
  });

  it("R-OBS-1, R-OBS-4: HTTPS out to S3 whenever either store is on S3, and not when neither is", async () => {
    const s3Egress = async (logs: string, traces: string) => {
      const r = await renderRaw("prod", patchedRaw("prod", { observability: { logs: { storage: logs }, traces: { storage: traces } } }));
      return r.manifests.filter((m) => m.kind === "NetworkPolicy" && m.metadata.namespace === "observability" && m.metadata.name === "allow-s3-egress").length;
    };
    assert.equal(await s3Egress("s3", "volume"), 1, "logs on S3, traces on a volume");
    assert.equal(await s3Egress("volume", "s3"), 1, "logs on a volume, traces on S3");
    assert.equal(await s3Egress("volume", "volume"), 0, "both on volumes");
  });
});

describe("R-OBS-1, R-OBS-3: staging's Grafana datasources, Loki and Tempo values, stated whole", () => {
  const rel = async (n: string) => release(await stack("staging"), n).inputs.values;
  it("R-OBS-3: the Loki and Tempo datasources with their links (Grafana provisioning escapes $ as $$)", async () => {
    assert.deepEqual((await rel("kube-prometheus-stack")).grafana.additionalDataSources, [
      {
        "access": "proxy",
        "jsonData": {
          "derivedFields": [
            {
              "datasourceUid": "tempo",
              "matcherRegex": "\"trace_id\":\"(\\w+)\"",
              "matcherType": "regex",
              "name": "TraceID",
              "url": "$${__value.raw}",
              "urlDisplayLabel": "Open the trace"
            }
          ]
        },
        "name": "Loki",
        "type": "loki",
        "uid": "loki",
        "url": "http://loki.observability.svc.cluster.local:3100"
      },
      {
        "access": "proxy",
        "jsonData": {
          "lokiSearch": {
            "datasourceUid": "loki"
          },
          "nodeGraph": {
            "enabled": true
          },
          "serviceMap": {
            "datasourceUid": "prometheus"
          },
          "tracesToLogsV2": {
            "datasourceUid": "loki",
            "filterBySpanID": false,
            "filterByTraceID": true,
            "spanEndTimeShift": "5m",
            "spanStartTimeShift": "-5m",
            "tags": [
              {
                "key": "k8s.namespace.name",
                "value": "k8s_namespace_name"
              }
            ]
          },
          "tracesToMetrics": {
            "datasourceUid": "prometheus",
            "queries": [
              {
                "name": "Request rate",
                "query": "sum(rate(http_requests_total{$$__tags}[5m]))"
              },
              {
                "name": "p99 latency",
                "query": "histogram_quantile(0.99, sum by (le) (rate(http_request_duration_seconds_bucket{$$__tags}[5m])))"
              }
            ],
            "spanEndTimeShift": "5m",
            "spanStartTimeShift": "-5m"
          }
        },
        "name": "Tempo",
        "type": "tempo",
        "uid": "tempo",
        "url": "http://tempo.observability.svc.cluster.local:3200"
      }
    ]);
  });
  it("R-OBS-1: Loki: monolithic, 7 days, on S3 in its own bucket through its role, hardened, without the scalable mode's parts", async () => {
    assert.deepEqual(await rel("loki"), {
      "backend": {
        "replicas": 0
      },
      "chunksCache": {
        "enabled": false
      },
      "deploymentMode": "Monolithic",
      "fullnameOverride": "loki",
      "gateway": {
        "enabled": false
      },
      "loki": {
        "auth_enabled": false,
        "commonConfig": {
          "replication_factor": 1
        },
        "compactor": {
          "delete_request_store": "s3",
          "retention_enabled": true
        },
        "containerSecurityContext": {
          "allowPrivilegeEscalation": false,
          "capabilities": {
            "drop": [
              "ALL"
            ]
          },
          "readOnlyRootFilesystem": true
        },
        "limits_config": {
          "allow_structured_metadata": true,
          "retention_period": "168h",
          "volume_enabled": true
        },
        "podSecurityContext": {
          "fsGroup": 10001,
          "runAsGroup": 10001,
          "runAsNonRoot": true,
          "runAsUser": 10001,
          "seccompProfile": {
            "type": "RuntimeDefault"
          }
        },
        "schemaConfig": {
          "configs": [
            {
              "from": "2026-01-01",
              "index": {
                "period": "24h",
                "prefix": "index_"
              },
              "object_store": "s3",
              "schema": "v13",
              "store": "tsdb"
            }
          ]
        },
        "storage": {
          "bucketNames": {
            "admin": "agent-platform-staging-loki-0a1b2c3",
            "chunks": "agent-platform-staging-loki-0a1b2c3",
            "ruler": "agent-platform-staging-loki-0a1b2c3"
          },
          "s3": {
            "region": "eu-west-1"
          },
          "type": "s3"
        }
      },
      "lokiCanary": {
        "enabled": false
      },
      "read": {
        "replicas": 0
      },
      "resultsCache": {
        "enabled": false
      },
      "serviceAccount": {
        "annotations": {
          "eks.amazonaws.com/role-arn": "arn:aws:iam::123456789012:role/agent-platform-staging-loki-20260101000000000000000001"
        },
        "automountServiceAccountToken": false,
        "create": true
      },
      "singleBinary": {
        "persistence": {
          "enabled": true,
          "size": "10Gi"
        },
        "replicas": 1,
        "resources": {
          "limits": {
            "cpu": "1",
            "memory": "2Gi"
          },
          "requests": {
            "cpu": "100m",
            "memory": "256Mi"
          }
        },
        "sidecar": false
      },
      "test": {
        "enabled": false
      },
      "write": {
        "replicas": 0
      }
    });
  });
  it("R-OBS-3: Tempo: 7 days, on S3 in its own bucket through its role, OTLP over gRPC only, hardened", async () => {
    assert.deepEqual(await rel("tempo"), {
      "fullnameOverride": "tempo",
      "persistence": {
        "enabled": true,
        "size": "10Gi"
      },
      "securityContext": {
        "fsGroup": 10001,
        "runAsGroup": 10001,
        "runAsNonRoot": true,
        "runAsUser": 10001,
        "seccompProfile": {
          "type": "RuntimeDefault"
        }
      },
      "serviceAccount": {
        "annotations": {
          "eks.amazonaws.com/role-arn": "arn:aws:iam::123456789012:role/agent-platform-staging-tempo-20260101000000000000000001"
        },
        "automountServiceAccountToken": false,
        "create": true
      },
      "tempo": {
        "receivers": {
          "jaeger": null,
          "otlp": {
            "protocols": {
              "grpc": {
                "endpoint": "0.0.0.0:4317"
              },
              "http": null
            }
          }
        },
        "reportingEnabled": false,
        "resources": {
          "limits": {
            "cpu": "1",
            "memory": "2Gi"
          },
          "requests": {
            "cpu": "100m",
            "memory": "256Mi"
          }
        },
        "retention": "168h",
        "securityContext": {
          "allowPrivilegeEscalation": false,
          "capabilities": {
            "drop": [
              "ALL"
            ]
          },
          "readOnlyRootFilesystem": true
        },
        "storage": {
          "trace": {
            "backend": "s3",
            "s3": {
              "bucket": "agent-platform-staging-tempo-0a1b2c3",
              "endpoint": "s3.eu-west-1.amazonaws.com",
              "region": "eu-west-1"
            },
            "wal": {
              "path": "/var/tempo/wal"
            }
          }
        }
      }
    });
  });
});
