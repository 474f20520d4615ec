// Pure parsers for the two unit formats the stack files use: Kubernetes resource
// quantities ("500m", "1.5Gi") and Go/Prometheus-style durations ("30s", "1h30m").
// They reject what the Kubernetes API server or Prometheus would reject, so a typo
// such as "2Gb" stops the program at config time instead of at apply time.

const QUANTITY = /^([0-9]+(?:\.[0-9]+)?|\.[0-9]+)(m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)?$/;

const SUFFIX_FACTOR: Record<string, number> = {
  "": 1,
  m: 1e-3,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};

export const QUANTITY_HELP =
  "a Kubernetes quantity such as 500m, 2, 512Mi or 1.5Gi (suffixes m, k, M, G, T, Ki, Mi, Gi, Ti)";

/** Parses a Kubernetes quantity into its base unit (cores or bytes); undefined if malformed. */
export function parseQuantity(q: string): number | undefined {
  const m = QUANTITY.exec(q.trim());
  if (!m) return undefined;
  return Number(m[1]) * SUFFIX_FACTOR[m[2] ?? ""];
}

export function isQuantity(q: string): boolean {
  return parseQuantity(q) !== undefined;
}

const DURATION = /^(?:(\d+)h)?(?:(\d+)m(?!s))?(?:(\d+)s)?(?:(\d+)ms)?$/;

export const DURATION_HELP = "a duration such as 30s, 10m, 1h or 1h30m (units h, m, s, ms)";

/** Parses "1h30m", "45s", "250ms" into seconds; undefined if malformed or empty. */
export function parseDuration(d: string): number | undefined {
  const s = d.trim();
  if (s === "" || s === "0") return s === "0" ? 0 : undefined;
  const m = DURATION.exec(s);
  if (!m || m.slice(1).every((g) => g === undefined)) return undefined;
  const [h, min, sec, ms] = m.slice(1).map((g) => (g === undefined ? 0 : Number(g)));
  return h * 3600 + min * 60 + sec + ms / 1000;
}

/** Formats seconds the way Prometheus and Argo Rollouts read durations ("90s" -> "1m30s"). */
export function formatDuration(totalSeconds: number): string {
  if (totalSeconds === 0) return "0s";
  let rest = Math.round(totalSeconds * 1000);
  const parts: string[] = [];
  const units: Array<[string, number]> = [
    ["h", 3_600_000],
    ["m", 60_000],
    ["s", 1000],
    ["ms", 1],
  ];
  for (const [unit, size] of units) {
    const n = Math.floor(rest / size);
    if (n > 0) parts.push(`${n}${unit}`);
    rest -= n * size;
  }
  return parts.join("");
}
