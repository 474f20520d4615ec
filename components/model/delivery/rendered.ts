// The simulator's plan read from the rendered AnalysisTemplates (R-PD-11): each metric's
// PromQL is checked against the builder whose TypeScript twin the simulator runs.
import { DELIVERY_NAMES } from "../names";
import { EvidenceCheck, evidenceQuery } from "./queries";
import { VerdictChecks } from "./verdicts";
import { SimMetric, SimPlan } from "./simulator";

type Template = { metadata: { name: string }; spec: { metrics: Array<Record<string, unknown>> } };

/** Go duration text (Argo's intervals) to seconds: h, m, s, ms. */
export function goSeconds(text: string): number {
  let total = 0;
  const re = /(\d+(?:\.\d+)?)(h|ms|m|s)/g;
  let m: RegExpExecArray | null;
  let seen = "";
  while ((m = re.exec(text))) {
    total += Number(m[1]) * { h: 3600, m: 60, s: 1, ms: 0.001 }[m[2] as "h" | "m" | "s" | "ms"];
    seen += m[0];
  }
  if (seen !== text) throw new Error(`not a Go duration: ${text}`);
  return total;
}

/**
 * The plan as the rendered objects state it: the Rollout's steps and weights, each
 * template's metrics with their intervals, counts and limits. Each HTTP metric's query and
 * conditions must be the evidence builder's (so the simulated check is the rendered one);
 * other metrics are listed as not simulated.
 */
export function planFromRendered(
  rollout: { strategy: { canary?: { steps: Array<Record<string, unknown>>; analysis?: { templates: Array<{ templateName: string }> } } } },
  templates: Template[],
  checks: VerdictChecks,
  scrapeInterval: number,
  namespace: string,
): SimPlan {
  const canary = rollout.strategy.canary;
  if (!canary) throw new Error("the simulator runs canary plans");
  const byName = new Map(templates.map((t) => [t.metadata.name, t]));
  const expected = new Map<string, EvidenceCheck>();
  if (checks.errorTrigger) expected.set(`${DELIVERY_NAMES.triggersTemplate}/error-rate`, checks.errorTrigger);
  if (checks.latencyTrigger) expected.set(`${DELIVERY_NAMES.triggersTemplate}/latency-p99`, checks.latencyTrigger);
  checks.stages.forEach((s, i) => {
    expected.set(`${DELIVERY_NAMES.stageTemplate(i)}/error-rate`, s.errors);
    expected.set(`${DELIVERY_NAMES.stageTemplate(i)}/${s.latencyMetric}`, s.latency);
  });
  const notSimulated: string[] = [];
  const metricsOf = (name: string): SimMetric[] => {
    const t = byName.get(name);
    if (!t) throw new Error(`no rendered AnalysisTemplate ${name}`);
    return t.spec.metrics.flatMap((m) => {
      const key = `${name}/${String(m.name)}`;
      const check = expected.get(key);
      if (!check) {
        notSimulated.push(key);
        return [];
      }
      const query = (m.provider as { prometheus?: { query?: string } }).prometheus?.query;
      if (query !== evidenceQuery({ namespace }, check)) throw new Error(`${key}: the rendered query is not the evidence check the simulator runs`);
      if (m.successCondition !== "result[0] == 0" || m.failureCondition !== "result[0] > 0") throw new Error(`${key}: conditions are not the evidence conditions`);
      return [
        {
          template: name,
          name: String(m.name),
          interval: goSeconds(String(m.interval)),
          count: typeof m.count === "number" ? m.count : undefined,
          failureLimit: Number(m.failureLimit ?? 0),
          check,
        },
      ];
    });
  };
  const stages: SimPlan["stages"] = [];
  let weight = 0;
  for (const step of canary.steps) {
    if (typeof step.setWeight === "number") weight = step.setWeight;
    const analysis = step.analysis as { templates?: Array<{ templateName: string }> } | undefined;
    if (analysis && weight > 0) stages.push({ weight, metrics: analysis.templates!.flatMap((x) => metricsOf(x.templateName)) });
  }
  const background = (canary.analysis?.templates ?? []).flatMap((x) => metricsOf(x.templateName));
  return { scrapeInterval, stages, background, notSimulated };
}
