// R-ENV-1..10 over the mocked resource graph of each committed stack.
import { strict as assert } from "assert";
import * as fs from "fs";
import { parse } from "yaml";
import { PROFILES } from "../../components/config";
import { stackFilePath } from "../../components/config/stackFile";
import { STACKS, StackName, objects, one, stack, workload } from "../helpers/mocks";

// REQUIREMENTS §1, copied here on purpose: the test is the independent statement of the table.
const TABLE: Record<StackName, {
  replicas: number;
  hpa?: { min: number; max: number; cpu: number; memory: number };
  cpu: string;
  memory: string;
  logLevel: string;
  tracing: string;
  profiling: boolean;
  sla: boolean;
  paging: boolean;
  thresholds: string;
  externalServices: string;
}> = {
  dev: { replicas: 1, cpu: "500m", memory: "1Gi", logLevel: "debug", tracing: "detailed", profiling: true, sla: false, paging: false, thresholds: "informational", externalServices: "mocked" },
  staging: { replicas: 2, cpu: "750m", memory: "1.5Gi", logLevel: "info", tracing: "basic", profiling: false, sla: false, paging: false, thresholds: "relaxed", externalServices: "real" },
  prod: { replicas: 3, hpa: { min: 3, max: 10, cpu: 70, memory: 80 }, cpu: "1000m", memory: "2Gi", logLevel: "info", tracing: "comprehensive", profiling: false, sla: true, paging: true, thresholds: "strict", externalServices: "real" },
};

const deployment = async (s: StackName) => workload(await stack(s));
const settings = async (s: StackName) => (one(await stack(s), "ConfigMap", "agent-platform-config") as any).data;

for (const s of STACKS) {
  const want = TABLE[s];
  describe(`stack ${s}: environment profile (R-ENV)`, () => {
    it(`R-ENV-1: ${s} runs ${want.replicas} replica(s)`, async () => {
      const d = await deployment(s);
      if (want.hpa) {
        assert.equal(d.spec.replicas, undefined, "with an HPA the Deployment leaves spec.replicas to it");
        const hpa = one(await stack(s), "HorizontalPodAutoscaler") as any;
        assert.equal(hpa.spec.minReplicas, want.replicas);
      } else {
        assert.equal(d.spec.replicas, want.replicas);
      }
    });

    it(`R-ENV-2: ${s} autoscaling is ${want.hpa ? `min ${want.hpa.min}, max ${want.hpa.max}, CPU ${want.hpa.cpu} %, memory ${want.hpa.memory} %` : "off"}`, async () => {
      const hpas = objects(await stack(s), "HorizontalPodAutoscaler") as any[];
      if (!want.hpa) return assert.equal(hpas.length, 0);
      assert.equal(hpas.length, 1);
      const h = hpas[0];
      assert.equal(h.apiVersion, "autoscaling/v2");
      const w = await deployment(s);
      assert.deepEqual(h.spec.scaleTargetRef, { apiVersion: w.apiVersion, kind: w.kind, name: "agent-platform" });
      assert.equal(h.spec.minReplicas, want.hpa.min);
      assert.equal(h.spec.maxReplicas, want.hpa.max);
      const target = (name: string) => h.spec.metrics.find((m: any) => m.resource.name === name).resource.target;
      assert.deepEqual(target("cpu"), { type: "Utilization", averageUtilization: want.hpa.cpu });
      assert.deepEqual(target("memory"), { type: "Utilization", averageUtilization: want.hpa.memory });
    });

    it(`R-ENV-3, R-ENV-4: ${s} pods get ${want.cpu} CPU and ${want.memory} memory`, async () => {
      const c = (await deployment(s)).spec.template.spec.containers[0];
      assert.deepEqual(c.resources.requests, { cpu: want.cpu, memory: want.memory });
      assert.deepEqual(c.resources.limits, { cpu: want.cpu, memory: want.memory });
    });

    it(`R-ENV-5: ${s} debug logging is ${want.logLevel === "debug" ? "on" : "off"}`, async () => {
      const data = await settings(s);
      assert.equal(data.LOG_LEVEL, want.logLevel);
      assert.equal(data.DEBUG, String(want.logLevel === "debug"));
    });

    it(`R-ENV-6: ${s} tracing ${want.tracing}, profiling ${want.profiling}, SLA monitoring ${want.sla}`, async () => {
      const data = await settings(s);
      assert.equal(data.TRACING_LEVEL, want.tracing);
      assert.equal(data.PROFILING_ENABLED, String(want.profiling));
      assert.equal(data.SLA_MONITORING_ENABLED, String(want.sla));
    });

    it(`R-ENV-7: ${s} alerting is ${want.thresholds}${want.paging ? " with paging" : ", no paging"} (rendered rules and routing)`, async () => {
      const r = await stack(s);
      const am = parse(r.files["alertmanager/alertmanager.yaml"]);
      const paging = (am.receivers as Array<{ pagerduty_configs?: unknown[] }>).some((x) => x.pagerduty_configs?.length);
      assert.equal(paging, want.paging, "a PagerDuty receiver exists exactly where paging is on");
      const alerts = (parse(r.files["prometheus/rules.yaml"]).groups as Array<{ rules: any[] }>).flatMap((g) => g.rules).filter((x) => x.alert);
      const critical = alerts.find((a) => a.alert === "HighErrorRate" && a.labels.severity === "critical");
      const threshold = Number(/ > ([\d.]+) and /.exec(critical.expr)![1]);
      // R-AL-1: strict is the table's 5 %; relaxed (staging) and informational (dev) are wider.
      if (want.thresholds === "strict") assert.equal(threshold, 0.05);
      else assert.ok(threshold > 0.05, `${want.thresholds}: ${threshold} is wider than the table's 5 %`);
      const priorities = new Set(alerts.map((a) => a.labels.priority));
      // informational: nothing above P3; the others keep P0/P1 labels (staging routes them to Slack only).
      if (want.thresholds === "informational") assert.deepEqual([...priorities], ["P3"]);
      else assert.ok(priorities.has("P0"), "P0 alerts exist");
    });

    it(`R-ENV-8: ${s} external services are ${want.externalServices}`, async () => {
      assert.equal((await settings(s)).EXTERNAL_SERVICES_MODE, want.externalServices);
    });

    it(`R-ENV-9: ${s} application settings reach the pods as a ConfigMap`, async () => {
      const data = await settings(s);
      assert.equal(data.PORT, "3000");
      assert.equal(data.NODE_ENV, s === "dev" ? "development" : "production");
      assert.equal(data.API_PREFIX, "/api/v1");
      assert.equal(data.API_RATE_LIMIT, "100");
      assert.equal(data.LOG_LEVEL, want.logLevel);
      const c = (await deployment(s)).spec.template.spec.containers[0];
      assert.deepEqual(c.envFrom, [{ configMapRef: { name: "agent-platform-config" } }]);
    });

    it(`R-ENV-10: Pulumi.${s}.yaml names its environment and states only what differs from the profile`, () => {
      const doc = parse(fs.readFileSync(stackFilePath(s), "utf8")) as { config: Record<string, unknown> };
      assert.equal(doc.config["agent-platform:environment"], s);
      // Walk every leaf the stack file sets; none may equal the profile's value there.
      const leaves = (v: unknown, path: string[]): Array<[string[], unknown]> =>
        v && typeof v === "object" && !Array.isArray(v)
          ? Object.entries(v).flatMap(([k, e]) => leaves(e, [...path, k]))
          : [[path, v]];
      for (const [key, value] of Object.entries(doc.config)) {
        for (const [path, leaf] of leaves(value, [key.replace(/^agent-platform:/, "")])) {
          const inProfile = path.reduce<any>((o, k) => (o === undefined ? undefined : o[k]), PROFILES[s]);
          assert.notDeepEqual(leaf, inProfile, `agent-platform:${path.join(".")} repeats the ${s} profile's value`);
        }
      }
    });
  });
}
