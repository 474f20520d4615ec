// The alert presets a profile (or a stack, with `alerting.preset`) starts from (R-ENV-7,
// R-ENV-12, R-AL): every rule's threshold, `for`, priority and window, and the SLOs. Each
// preset states all of its numbers: editing prod's (strict) changes no other environment.
// The schema of these numbers, and what each one measures, is ../alerting.ts.
import type { z } from "zod";
import type { PresetName, Priority, rulesSchema, ruleSchema, sloSchema } from "../alerting";

type RuleIn = z.input<typeof ruleSchema>;
type RulesIn = z.input<typeof rulesSchema>;
type SloIn = z.input<typeof sloSchema>;

const r = (threshold: number, forText: string, priority: Priority, window?: string): RuleIn => ({
  threshold,
  for: forText,
  priority,
  ...(window ? { window } : {}),
});
const probe = (threshold: number, priority: Priority): RuleIn => ({ threshold, priority });

/**
 * strict is the R-AL table itself (prod). Windows: the R-PD-5 conditions measure over 1m
 * so a step change pages within `for` + 1m + one evaluation (R-AL-22); warnings over 5m.
 */
const STRICT: RulesIn = {
  errorRate: { warning: r(0.02, "10m", "P2", "5m"), critical: r(0.05, "2m", "P0", "1m") },
  latencyP95: { warning: r(1, "15m", "P2", "5m") },
  latencyP99: { critical: r(3, "5m", "P1", "1m") },
  responseTimeP50: { warning: r(5, "5m", "P2", "5m"), critical: r(10, "5m", "P1", "5m") },
  cpuSaturation: { warning: r(0.7, "15m", "P2", "5m"), critical: r(0.9, "5m", "P1", "5m") },
  memorySaturation: { warning: r(0.8, "10m", "P2"), critical: r(0.95, "1m", "P1") },
  memorySustained: { critical: r(0.9, "3m", "P1") },
  diskUsage: { warning: r(0.85, "15m", "P2"), critical: r(0.95, "5m", "P1") },
  agentErrorRate: { warning: r(0.05, "10m", "P2", "10m"), critical: r(0.15, "5m", "P1", "5m") },
  agentSpawnFailures: { critical: r(0.5, "2m", "P1", "1m") },
  taskDuration: { warning: r(300, "10m", "P2", "10m"), critical: r(900, "10m", "P1", "10m") },
  memoryLeak: { warning: r(1.5, "30m", "P3"), critical: r(3, "15m", "P1") },
  swarmFailures: { warning: r(0.25, "5m", "P2", "5m") },
  taskCompletion: { warning: r(0.9, "15m", "P2", "10m") },
  swarmEfficiency: { warning: r(0.7, "30m", "P3", "1h") },
  availability: { warning: r(0.995, "5m", "P2", "1d") },
  probeBasic: { critical: probe(3, "P0") },
  probeFunctional: { critical: probe(3, "P1") },
  probeIntegration: { critical: probe(3, "P1") },
  metricsMissing: { critical: { for: "5m", priority: "P1" } },
  agentsPerPod: { warning: r(20, "10m", "P2"), critical: r(25, "2m", "P1") },
  trafficAnomaly: { warning: r(3, "10m", "P3", "5m"), critical: r(4, "10m", "P1", "5m") },
  // R-DATA-3: older than twice the schedule. A missed backup is no outage: P2.
  exportStale: { warning: r(2, "5m", "P2") },
  // R-DATA-8: a drill may miss one run (a month) before anyone is told; not urgent: P2.
  drillStale: { warning: r(2, "5m", "P2") },
  // R-OBS-2: what the logs say. A fatal error or a database that refuses connections is
  // an incident (P1); more errors than usual, or a wave of failed logins, is not yet.
  logErrors: { warning: r(0.05, "10m", "P2", "5m"), critical: r(0.2, "5m", "P1", "5m") },
  logFatal: { critical: r(0, "0s", "P1", "5m") },
  authFailures: { warning: r(5, "10m", "P2", "5m") },
  dbConnectionErrors: { warning: r(0.1, "5m", "P2", "5m"), critical: r(1, "2m", "P1", "2m") },
  // R-OBS-4: the pipeline itself; losing telemetry blinds the team but hurts no user: P2.
  telemetryDropped: { warning: r(1, "10m", "P2", "5m") },
  telemetryQueue: { warning: r(0.8, "10m", "P2") },
  telemetryStorage: { warning: r(0.8, "15m", "P2"), critical: r(0.95, "5m", "P1") },
};

/** relaxed (staging): the same rules, `for`s and priorities as strict, with wider margins. */
const RELAXED: RulesIn = {
  errorRate: { warning: r(0.04, "10m", "P2", "5m"), critical: r(0.1, "2m", "P0", "1m") },
  latencyP95: { warning: r(1.5, "15m", "P2", "5m") },
  latencyP99: { critical: r(4.5, "5m", "P1", "1m") },
  responseTimeP50: { warning: r(7.5, "5m", "P2", "5m"), critical: r(15, "5m", "P1", "5m") },
  cpuSaturation: { warning: r(0.8, "15m", "P2", "5m"), critical: r(0.95, "5m", "P1", "5m") },
  memorySaturation: { warning: r(0.85, "10m", "P2"), critical: r(0.97, "1m", "P1") },
  memorySustained: { critical: r(0.93, "3m", "P1") },
  diskUsage: { warning: r(0.9, "15m", "P2"), critical: r(0.97, "5m", "P1") },
  agentErrorRate: { warning: r(0.1, "10m", "P2", "10m"), critical: r(0.25, "5m", "P1", "5m") },
  agentSpawnFailures: { critical: r(0.6, "2m", "P1", "1m") },
  taskDuration: { warning: r(450, "10m", "P2", "10m"), critical: r(1200, "10m", "P1", "10m") },
  memoryLeak: { warning: r(2, "30m", "P3"), critical: r(4, "15m", "P1") },
  swarmFailures: { warning: r(0.35, "5m", "P2", "5m") },
  taskCompletion: { warning: r(0.85, "15m", "P2", "10m") },
  swarmEfficiency: { warning: r(0.6, "30m", "P3", "1h") },
  availability: { warning: r(0.99, "5m", "P2", "1d") },
  probeBasic: { critical: probe(3, "P0") },
  probeFunctional: { critical: probe(3, "P1") },
  probeIntegration: { critical: probe(3, "P1") },
  metricsMissing: { critical: { for: "5m", priority: "P1" } },
  agentsPerPod: { warning: r(22, "10m", "P2"), critical: r(25, "2m", "P1") },
  trafficAnomaly: { warning: r(4, "10m", "P3", "5m"), critical: r(5, "10m", "P1", "5m") },
  exportStale: { warning: r(2, "5m", "P2") },
  drillStale: { warning: r(2, "5m", "P2") },
  logErrors: { warning: r(0.1, "10m", "P2", "5m"), critical: r(0.3, "5m", "P2", "5m") },
  logFatal: { critical: r(0, "0s", "P2", "5m") },
  authFailures: { warning: r(10, "10m", "P3", "5m") },
  dbConnectionErrors: { warning: r(0.2, "5m", "P2", "5m"), critical: r(2, "2m", "P2", "2m") },
  telemetryDropped: { warning: r(5, "10m", "P3", "5m") },
  telemetryQueue: { warning: r(0.9, "10m", "P3") },
  telemetryStorage: { warning: r(0.85, "15m", "P3"), critical: r(0.97, "5m", "P2") },
};

/** informational (dev): relaxed's margins, and nothing above P3: no alert pages or interrupts anyone. */
const INFORMATIONAL: RulesIn = {
  errorRate: { warning: r(0.04, "10m", "P3", "5m"), critical: r(0.1, "2m", "P3", "1m") },
  latencyP95: { warning: r(1.5, "15m", "P3", "5m") },
  latencyP99: { critical: r(4.5, "5m", "P3", "1m") },
  responseTimeP50: { warning: r(7.5, "5m", "P3", "5m"), critical: r(15, "5m", "P3", "5m") },
  cpuSaturation: { warning: r(0.8, "15m", "P3", "5m"), critical: r(0.95, "5m", "P3", "5m") },
  memorySaturation: { warning: r(0.85, "10m", "P3"), critical: r(0.97, "1m", "P3") },
  memorySustained: { critical: r(0.93, "3m", "P3") },
  diskUsage: { warning: r(0.9, "15m", "P3"), critical: r(0.97, "5m", "P3") },
  agentErrorRate: { warning: r(0.1, "10m", "P3", "10m"), critical: r(0.25, "5m", "P3", "5m") },
  agentSpawnFailures: { critical: r(0.6, "2m", "P3", "1m") },
  taskDuration: { warning: r(450, "10m", "P3", "10m"), critical: r(1200, "10m", "P3", "10m") },
  memoryLeak: { warning: r(2, "30m", "P3"), critical: r(4, "15m", "P3") },
  swarmFailures: { warning: r(0.35, "5m", "P3", "5m") },
  taskCompletion: { warning: r(0.85, "15m", "P3", "10m") },
  swarmEfficiency: { warning: r(0.6, "30m", "P3", "1h") },
  availability: { warning: r(0.99, "5m", "P3", "1d") },
  probeBasic: { critical: probe(3, "P3") },
  probeFunctional: { critical: probe(3, "P3") },
  probeIntegration: { critical: probe(3, "P3") },
  metricsMissing: { critical: { for: "5m", priority: "P3" } },
  agentsPerPod: { warning: r(22, "10m", "P3"), critical: r(25, "2m", "P3") },
  trafficAnomaly: { warning: r(4, "10m", "P3", "5m"), critical: r(5, "10m", "P3", "5m") },
  exportStale: { warning: r(2, "5m", "P3") },
  drillStale: { warning: r(2, "5m", "P3") },
  logErrors: { warning: r(0.1, "10m", "P3", "5m"), critical: r(0.3, "5m", "P3", "5m") },
  logFatal: { critical: r(0, "0s", "P3", "5m") },
  authFailures: { warning: r(10, "10m", "P3", "5m") },
  dbConnectionErrors: { warning: r(0.2, "5m", "P3", "5m"), critical: r(2, "2m", "P3", "2m") },
  telemetryDropped: { warning: r(5, "10m", "P3", "5m") },
  telemetryQueue: { warning: r(0.9, "10m", "P3") },
  telemetryStorage: { warning: r(0.85, "15m", "P3"), critical: r(0.97, "5m", "P3") },
};

// SRE workbook ch. 5: page on 14.4× over 1h confirmed by 5m, or 6× over 6h confirmed by
// 30m; ticket on 3× over 1d confirmed by 2h, or 1× over 3d confirmed by 6h.
const PAGE_WINDOWS = [
  { long: "1h", short: "5m", factor: 14.4 },
  { long: "6h", short: "30m", factor: 6 },
];
const TICKET_WINDOWS = [
  { long: "1d", short: "2h", factor: 3 },
  { long: "3d", short: "6h", factor: 1 },
];

type Burn = SloIn["availability"]["fastBurn"];
const burn = (severity: Burn["severity"], priority: Priority, forText: string, windows: Burn["windows"]): Burn => ({ severity, priority, for: forText, windows });

const SLO_PRESETS: Record<PresetName, SloIn> = {
  // An availability burn is an outage in the making (P0); a latency burn a major degradation (P1).
  strict: {
    availability: { target: 0.999, fastBurn: burn("critical", "P0", "2m", PAGE_WINDOWS), slowBurn: burn("warning", "P3", "15m", TICKET_WINDOWS) },
    latency: { target: 0.999, thresholdSeconds: 1, fastBurn: burn("critical", "P1", "2m", PAGE_WINDOWS), slowBurn: burn("warning", "P3", "15m", TICKET_WINDOWS) },
  },
  // Staging: a looser objective, and even a fast burn is a P2 for working hours, never a page.
  relaxed: {
    availability: { target: 0.99, fastBurn: burn("warning", "P2", "2m", PAGE_WINDOWS), slowBurn: burn("warning", "P3", "15m", TICKET_WINDOWS) },
    latency: { target: 0.99, thresholdSeconds: 1, fastBurn: burn("warning", "P2", "2m", PAGE_WINDOWS), slowBurn: burn("warning", "P3", "15m", TICKET_WINDOWS) },
  },
  informational: {
    availability: { target: 0.99, fastBurn: burn("warning", "P3", "2m", PAGE_WINDOWS), slowBurn: burn("warning", "P3", "15m", TICKET_WINDOWS) },
    latency: { target: 0.99, thresholdSeconds: 1, fastBurn: burn("warning", "P3", "2m", PAGE_WINDOWS), slowBurn: burn("warning", "P3", "15m", TICKET_WINDOWS) },
  },
};

export const RULE_PRESETS: Record<PresetName, { rules: RulesIn; slo: SloIn }> = {
  strict: { rules: STRICT, slo: SLO_PRESETS.strict },
  relaxed: { rules: RELAXED, slo: SLO_PRESETS.relaxed },
  informational: { rules: INFORMATIONAL, slo: SLO_PRESETS.informational },
};

/** The rule and SLO data of a preset, for a stack that names `alerting.preset`. */
export function presetAlerting(preset: PresetName): { rules: RulesIn; slo: SloIn } {
  return JSON.parse(JSON.stringify(RULE_PRESETS[preset])) as { rules: RulesIn; slo: SloIn };
}
