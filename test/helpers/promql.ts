// Synthetic series for `promtool test rules` and the expected values computed
// independently of Prometheus: histogram quantiles, z-scores and the text Prometheus's
// template functions print.

export const NS = "agent-platform-prod";
export const SVC = "agent-platform";
export const BASE = `namespace="${NS}",service="${SVC}"`;

export interface Series {
  series: string;
  values: string;
}

/** A counter rising by `perStep` every step for `steps` steps (omitted when perStep is 0). */
export function counter(metric: string, labels: string, perStep: number, steps: number): Series[] {
  return perStep === 0 ? [] : [{ series: `${metric}{${labels}}`, values: `0+${perStep}x${steps}` }];
}

/** A counter rising by `first[0]` per step for `first[1]` steps, then by `then[0]` per step. */
export function counterSwitch(metric: string, labels: string, first: [number, number], then: [number, number]): Series {
  const at = first[0] * first[1];
  return { series: `${metric}{${labels}}`, values: `0+${first[0]}x${first[1]} ${at + then[0]}+${then[0]}x${then[1]}` };
}

/** A gauge given as segments of [value, samples]. */
export function gauge(metric: string, labels: string, segments: Array<[number, number]>): Series {
  return {
    series: `${metric}{${labels}}`,
    values: segments.map(([v, n]) => (n === 1 ? String(v) : `${v}x${n - 1}`)).join(" "),
  };
}

/** A gauge given sample by sample. */
export function samples(metric: string, labels: string, values: number[]): Series {
  return { series: `${metric}{${labels}}`, values: values.join(" ") };
}

/** http_requests_total: `ok` 200s and `err` 500s per step. */
export function http(ok: number, err: number, steps: number, labels = BASE): Series[] {
  return [
    ...counter("http_requests_total", `${labels},route="/api/v1/tasks",method="POST",code="200"`, ok, steps),
    ...counter("http_requests_total", `${labels},route="/api/v1/tasks",method="POST",code="500"`, err, steps),
  ];
}

export const LATENCY_BUCKETS = [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 30, 60];
export const TASK_BUCKETS = [60, 120, 300, 600, 900, 1800, 3600];

/** Histogram buckets for a distribution given as {upper bound of its bucket: count per step}. */
export function histogram(metric: string, bounds: number[], dist: Record<number, number>, steps: number, labels = BASE): Series[] {
  const total = Object.values(dist).reduce((a, b) => a + b, 0);
  const out: Series[] = [];
  for (const le of bounds) {
    const cum = Object.entries(dist)
      .filter(([ub]) => Number(ub) <= le)
      .reduce((a, [, n]) => a + n, 0);
    out.push({ series: `${metric}_bucket{${labels},le="${le}"}`, values: cum === 0 ? `0x${steps}` : `0+${cum}x${steps}` });
  }
  out.push({ series: `${metric}_bucket{${labels},le="+Inf"}`, values: `0+${total}x${steps}` });
  out.push({ series: `${metric}_count{${labels}}`, values: `0+${total}x${steps}` });
  return out;
}

/** Prometheus's histogram_quantile for a distribution (linear interpolation in the bucket). */
export function quantile(q: number, bounds: number[], dist: Record<number, number>): number {
  const total = Object.values(dist).reduce((a, b) => a + b, 0);
  const rank = q * total;
  let prevCum = 0;
  let prevBound = 0;
  for (const le of bounds) {
    const cum = Object.entries(dist)
      .filter(([ub]) => Number(ub) <= le)
      .reduce((a, [, n]) => a + n, 0);
    if (cum >= rank) return prevBound + ((le - prevBound) * (rank - prevCum)) / (cum - prevCum);
    prevCum = cum;
    prevBound = le;
  }
  return prevBound;
}

/** Mean and population standard deviation, as avg_over_time / stddev_over_time compute them. */
export function meanStd(xs: number[]): { mean: number; std: number } {
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  const variance = xs.reduce((a, b) => a + (b - mean) ** 2, 0) / xs.length;
  return { mean, std: Math.sqrt(variance) };
}

/** Go's %.4g for values in [1e-4, 1e4): what humanizePercentage prints before the "%". */
export function g4(v: number): string {
  return String(parseFloat(v.toPrecision(4)));
}

/**
 * Expands the template subset the rule catalogue uses, as Prometheus would for an alert
 * with this value and these labels. Anything else is an error, so a new template form
 * cannot slip past the tests unexpanded.
 */
export function expand(template: string, value: number, labels: Record<string, string>): string {
  const out = template
    .replace(/\{\{ \$value \| humanizePercentage \}\}/g, `${g4(value * 100)}%`)
    .replace(/\{\{ \$value \| printf "%\.(\d)f" \}\}/g, (_, d: string) => value.toFixed(Number(d)))
    .replace(/\{\{ \$labels\.(\w+) \}\}/g, (_, l: string) => {
      if (!(l in labels)) throw new Error(`template uses $labels.${l}, which the alert does not have`);
      return labels[l];
    });
  if (out.includes("{{")) throw new Error(`unexpanded template in: ${out}`);
  return out;
}
