// The canary-verdict section of the render summary (R-PD-11): each check's least evidence,
// whether each stage can judge its criteria at the profile's minimum traffic, and the
// simulator's figures (simulated on the rendered Rollout and AnalysisTemplates) at that
// traffic and where the abort budgets start, against the budgets.
import type { StackConfig } from "../components/config";
import { formatDuration } from "../components/model/format";
import { healthyLatency, planFromRendered, releases, stageEvidence, trafficFigures, verdictChecks } from "../components/model/delivery";
import type { Manifest } from "./manifests";

const pct = (x: number) => `${+(x * 100).toFixed(2)} %`;
const secs = (x: number) => (x === Infinity ? "never" : formatDuration(x));

export function verdictsSummary(cfg: StackConfig, manifests: Manifest[]): string | undefined {
  const d = cfg.delivery;
  if (d.strategy !== "canary") return undefined;
  const v = d.verdicts;
  const checks = verdictChecks(cfg);
  const { plan } = prodPlan({ manifests, config: cfg });
  const out = [
    `Canary verdicts (R-PD-11; docs/delivery.md): a check fails only on evidence, derived from a ${pct(v.falseAbortBudget)} false-abort budget and a healthy release of ${pct(v.healthyErrorRate)} 5xx, latency median ${v.healthyLatency.medianMs} ms, p99 ${v.healthyLatency.p99Ms} ms`,
  ];
  const describe = (c: NonNullable<typeof checks.errorTrigger>) =>
    c.bad.kind === "errors"
      ? `≥ ${c.minCount} 5xx over ${formatDuration(c.window)}, and > ${pct(c.share)} of the requests`
      : `≥ ${c.minCount} requests slower than ${c.bad.le * 1000} ms over ${formatDuration(c.window)}, and > ${pct(c.share)} of them`;
  out.push(`  trigger error rate > ${pct(checks.errorTrigger!.share)}: ${describe(checks.errorTrigger!)}; every ${formatDuration(checks.errorTrigger!.interval)}`);
  out.push(`  trigger p99 > ${d.rollback.latencyP99.thresholdMs} ms: ${describe(checks.latencyTrigger!)}; every ${formatDuration(checks.latencyTrigger!.interval)}`);
  const evidence = stageEvidence(cfg);
  checks.stages.forEach((c, i) => {
    const e = evidence[i];
    const judge = e.feasible
      ? `judges its criteria at ${v.minTraffic} rps (~${e.requests} requests; needs ${Math.max(...e.needs.map((n) => n.requests))})`
      : `CANNOT judge its criteria at ${v.minTraffic} rps: ~${e.requests} requests, needs ${Math.max(...e.needs.map((n) => n.requests))}; widen it to ≥ ${e.remedy!.weight} % (delivery.canarySteps[${i}].weight) or lengthen it to ≥ ${formatDuration(e.remedy!.durationSeconds)} (.duration)`;
    out.push(`  stage ${e.stage} (${e.weight} %, ${e.duration}): ${describe(c.errors)}; ${describe(c.latency)}; ${judge}`);
  });
  const rel = releases({ errorRate: v.healthyErrorRate, latency: healthyLatency(cfg) }, cfg.alerting.rules.latencyP99.critical.threshold!);
  const b = v.abortBudgets;
  const latencyBudget = d.rollback.latencyP99.sustained.seconds + b.latencySlack.seconds;
  const mark = (x: number, budget: number) => (x <= budget ? "" : " (over budget)");
  const levels = [...new Set([v.minTraffic, b.fromTraffic])].sort((x, y) => x - y);
  out.push(
    `  simulated, ${v.simulatedRollouts} rollouts per case (fixed seeds), on the rendered Rollout and AnalysisTemplates; budgets: ≤ ${pct(v.falseAbortBudget)} healthy rolled back from ${v.minTraffic} rps; ` +
      `abort p95 ≤ ${b.errorRate.text} (10 % 5xx), ≤ ${b.outage.text} (only 5xx), ≤ ${formatDuration(latencyBudget)} (p99 = ${cfg.alerting.rules.latencyP99.critical.threshold} s) from ${b.fromTraffic} rps:`,
  );
  for (const rps of levels) {
    const f = trafficFigures(plan, rel, rps, v.simulatedRollouts);
    const timed = rps >= b.fromTraffic;
    out.push(
      `    ${rps} rps: healthy rolled back ${pct(f.falseAbort)}${mark(f.falseAbort, v.falseAbortBudget)}; abort p95: 10 % 5xx ${secs(f.errorsP95)}${timed ? mark(f.errorsP95, b.errorRate.seconds) : ""}, ` +
        `only 5xx ${secs(f.outageP95)}${timed ? mark(f.outageP95, b.outage.seconds) : ""}, p99 = ${cfg.alerting.rules.latencyP99.critical.threshold} s ${secs(f.latencyP95)}${timed ? mark(f.latencyP95, latencyBudget) : ""}`,
    );
  }
  return out.join("\n");
}

/** The config and the simulator's plan of a rendered canary stack (its Rollout and AnalysisTemplates). */
export function prodPlan(r: { manifests: Manifest[]; config?: StackConfig }): { cfg: StackConfig; plan: ReturnType<typeof planFromRendered> } {
  const cfg = r.config!;
  const rollout = r.manifests.find((m) => m.kind === "Rollout") as Manifest & { spec: Parameters<typeof planFromRendered>[0] };
  const templates = r.manifests.filter((m) => m.kind === "AnalysisTemplate") as unknown as Parameters<typeof planFromRendered>[1];
  return { cfg, plan: planFromRendered(rollout.spec, templates, verdictChecks(cfg), cfg.monitoring.scrapeInterval.seconds, cfg.namespace) };
}
