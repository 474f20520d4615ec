import { parseStackConfig } from "./components/config";
import { stackRaw } from "./test/helpers/mocks";
import { analysisTemplates, rolloutSpec, verdictChecks } from "./components/model/delivery";
import { planFromRendered, simulateCase, abortQuantile } from "./components/model/delivery/simulator";
import { healthyLatency } from "./components/model/delivery/verdicts";
const weights = process.argv[2] ? JSON.parse(process.argv[2]) : null;
const raw = stackRaw("prod");
if (weights) { const d = JSON.parse(raw["agent-platform:delivery"].value); d.canarySteps = weights; raw["agent-platform:delivery"].value = JSON.stringify(d); }
const cfg = parseStackConfig(raw, "prod");
const checks = verdictChecks(cfg);
console.log(JSON.stringify({ err: checks.errorTrigger!.minCount, p99: checks.latencyTrigger!.minCount, stages: checks.stages.map(s => [s.errors.minCount, s.latency.minCount]) }));
const templates = analysisTemplates(cfg).map((t) => ({ metadata: { name: t.name }, spec: t.spec as any }));
const spec = rolloutSpec(cfg, { metadata: {}, spec: {} } as any) as any;
const plan = planFromRendered(spec, templates, checks, cfg.monitoring.scrapeInterval.seconds, cfg.namespace);
const h = healthyLatency(cfg);
const healthy = { name: "healthy", errorRate: 0.001, latency: h };
const bad10 = { name: "10% 5xx", errorRate: 0.1, latency: h };
const outage = { name: "outage", errorRate: 1, latency: h };
const slow = { name: "p99=3s", errorRate: 0.001, latency: { mu: Math.log(3) - 2.3263 * h.sigma, sigma: h.sigma } };
const N = Number(process.argv[3] ?? 2000);
for (const rps of [5, 20, 50, 200, 1000]) {
  const t = Date.now();
  const hr = simulateCase(plan, healthy, rps, N, 1);
  const dt = Date.now() - t;
  const b = simulateCase(plan, bad10, rps, 1000, 2), o = simulateCase(plan, outage, rps, 1000, 3), s = simulateCase(plan, slow, rps, 1000, 4);
  console.log(rps, "healthy aborted", (hr.aborted / N * 100).toFixed(2) + "%", JSON.stringify(hr.by), `${dt}ms`, "| 10%: p50", abortQuantile(b, .5), "p95", abortQuantile(b, .95), "| outage p95", abortQuantile(o, .95), "| p99 p50", abortQuantile(s, .5), "p95", abortQuantile(s, .95), JSON.stringify(s.by));
}
