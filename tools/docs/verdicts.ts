// The simulator's table in docs/delivery.md (R-PD-11): prod's canary plan, simulated on its
// rendered Rollout and AnalysisTemplates at each traffic level, `rollouts` rollouts per
// case with fixed seeds. `npm run docs:verdicts` writes it between the markers; the test
// that asserts the budgets computes the same table and compares.
import type { StackConfig } from "../../components/config";
import { formatDuration } from "../../components/model/format";
import { SimPlan, healthyLatency, releases, trafficFigures } from "../../components/model/delivery";

export const VERDICTS_BEGIN = "<!-- verdicts-table:begin (npm run docs:verdicts) -->";
export const VERDICTS_END = "<!-- verdicts-table:end -->";
/** Traffic levels of the table, requests/s in total: the issue's and the reviews' (about 20). */
export const TABLE_TRAFFIC = [5, 20, 50, 200, 1000];
export const TABLE_ROLLOUTS = 10000;

const secs = (x: number) => (x === Infinity ? "never" : formatDuration(x));

export function verdictsTable(cfg: StackConfig, plan: SimPlan, rollouts = TABLE_ROLLOUTS): string {
  const rel = releases({ errorRate: cfg.delivery.verdicts.healthyErrorRate, latency: healthyLatency(cfg) }, cfg.alerting.rules.latencyP99.critical.threshold!);
  const rows = TABLE_TRAFFIC.map((rps) => trafficFigures(plan, rel, rps, rollouts));
  const p99 = cfg.alerting.rules.latencyP99.critical.threshold;
  return [
    `| total traffic | healthy release rolled back (${+(cfg.delivery.verdicts.healthyErrorRate * 100).toFixed(2)} % 5xx) | 10 % 5xx: abort p95 | only 5xx: abort p95 | p99 = ${p99} s: abort p95 |`,
    "|---|---|---|---|---|",
    ...rows.map((f) => `| ${f.totalRps} rps | ${+(f.falseAbort * 100).toFixed(2)} % | ${secs(f.errorsP95)} | ${secs(f.outageP95)} | ${secs(f.latencyP95)} |`),
  ].join("\n");
}
