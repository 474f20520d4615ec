// Synthetic series for `promtool test rules`, written as step changes: healthy until the
// onset, then the scenario's value. Counters start high so Prometheus's rate() never
// extrapolates towards zero, and both sides of a ratio share their sample times, so a
// ratio over a window is exactly bad/all of the increments in it.

export const NS = "agent-platform-prod";
export const SVC = "agent-platform";
export const BASE = `namespace="${NS}",service="${SVC}"`;
export const POD = "agent-platform-7d9f8c6b5-x2x4q";
export const POD_LABELS = `namespace="${NS}",pod="${POD}",container="api"`;

export interface Series {
  series: string;
  values: string;
}

/** Per-step values of one series: `before` for steps < onset, `after` from the onset on. */
export type Level = { before: number; after: number };

/** A sequence of [value, count] runs, as promtool's expanding notation. */
function runs(parts: Array<[number, number]>): string {
  return parts
    .filter(([, n]) => n > 0)
    .map(([v, n]) => (n === 1 ? String(v) : `${v}x${n - 1}`))
    .join(" ");
}

/**
 * A counter with `perStep` increments: `before` for the increments up to sample `onset`,
 * `after` from there on (the condition starts right after sample `onset`, the last healthy
 * one); `steps` increments in all (steps + 1 samples).
 */
export function counter(metric: string, labels: string, perStep: Level, onset: number, steps: number, start = 1_000_000): Series {
  const parts = [String(start)];
  let v = start;
  const pre = Math.min(onset, steps);
  if (pre > 0) {
    parts.push(`${v + perStep.before}+${perStep.before}x${pre - 1}`);
    v += perStep.before * pre;
  }
  if (steps > pre) {
    parts.push(`${v + perStep.after}+${perStep.after}x${steps - pre - 1}`);
  }
  return { series: `${metric}{${labels}}`, values: parts.join(" ") };
}

/** A gauge: `before` up to sample `onset` (the last healthy one), `after` from the next sample on. */
export function gauge(metric: string, labels: string, level: Level, onset: number, steps: number): Series {
  return { series: `${metric}{${labels}}`, values: runs([[level.before, onset + 1], [level.after, steps - onset]]) };
}

/** A gauge sampled every `every` steps only (a probe slower than the input interval), blank between. */
export function sparseGauge(metric: string, labels: string, values: number[], every: number, offset = 0): Series {
  const blank = every > 1 ? ` _x${every - 1}` : "";
  const lead = offset > 0 ? `_x${offset} ` : "";
  return { series: `${metric}{${labels}}`, values: lead + values.map((v) => `${v}${blank}`).join(" ") };
}

/** HTTP requests at `rps` per second (15 s steps): `errShare` of them 5xx. */
export function http(rps: Level, errShare: Level, onset: number, steps: number, stepSeconds = 15, labels = BASE): Series[] {
  const per = (r: number) => r * stepSeconds;
  return [
    counter("http_requests_total", `${labels},route="/api/v1/tasks",method="POST",code="200"`, { before: per(rps.before) * (1 - errShare.before), after: per(rps.after) * (1 - errShare.after) }, onset, steps),
    counter("http_requests_total", `${labels},route="/api/v1/tasks",method="POST",code="500"`, { before: per(rps.before) * errShare.before, after: per(rps.after) * errShare.after }, onset, steps),
  ];
}

export const LATENCY_BUCKETS = [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 30, 60];
export const TASK_BUCKETS = [60, 120, 300, 600, 900, 1800, 3600];

/**
 * A histogram whose observations fall, per step, into buckets by share: `before` and
 * `after` map an upper bound (one of `bounds`) to its share of `perStep` observations.
 */
export function histogram(
  metric: string,
  bounds: number[],
  perStep: number,
  dist: { before: Record<number, number>; after: Record<number, number> },
  onset: number,
  steps: number,
  labels = BASE,
): Series[] {
  const cum = (d: Record<number, number>, le: number) =>
    Object.entries(d)
      .filter(([ub]) => Number(ub) <= le)
      .reduce((a, [, share]) => a + share * perStep, 0);
  const out = bounds.map((le) => counter(`${metric}_bucket`, `${labels},le="${le}"`, { before: cum(dist.before, le), after: cum(dist.after, le) }, onset, steps));
  out.push(counter(`${metric}_bucket`, `${labels},le="+Inf"`, { before: perStep, after: perStep }, onset, steps));
  out.push(counter(`${metric}_count`, labels, { before: perStep, after: perStep }, onset, steps));
  return out;
}

/**
 * A counter sampled every `every` input steps, starting at step `offset`: `increments[i]`
 * is added between sample i and sample i + 1. For scrape phases finer than the input
 * interval, or scrapes slower than it.
 */
export function sparseCounter(metric: string, labels: string, increments: number[], every: number, offset = 0, start = 1_000_000): Series {
  let v = start;
  const values = [v];
  for (const inc of increments) values.push((v += inc));
  return sparseGauge(metric, labels, values, every, offset);
}

/** Go's %.4g for values in [1e-4, 1e4): what humanizePercentage prints before the "%". */
export function g4(v: number): string {
  return String(parseFloat(v.toPrecision(4)));
}
