// Pure parsers for the unit formats the stack files use: Kubernetes resource quantities
// ("500m", "1.5Gi"), Go/Prometheus-style durations ("30s", "1h30m") and Prometheus's
// byte sizes ("40GB"). They reject what the Kubernetes API server or Prometheus would
// reject, so a typo such as "2Gb" stops the program at config time, not at apply time.
// The schema turns every such string into a parsed value (Duration, Quantity), so the
// model never parses a unit itself.

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

const DURATION = /^(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m(?!s))?(?:(\d+)s)?(?:(\d+)ms)?$/;

export const DURATION_HELP = "a duration such as 30s, 10m, 1h, 1h30m or 1d (units w, d, h, m, s, ms)";

/** Parses "1h30m", "45s", "250ms", "1d" into seconds (Prometheus's units); undefined if malformed or empty. */
export function parseDuration(d: string): number | undefined {
  const s = d.trim();
  if (s === "0") return 0;
  const m = DURATION.exec(s);
  // The pattern's parts are all optional: an empty match ("") is no duration.
  if (!m || m.slice(1).every((g) => g === undefined)) return undefined;
  const [w, day, h, min, sec, ms] = m.slice(1).map((g) => (g === undefined ? 0 : Number(g)));
  return w * 604800 + day * 86400 + h * 3600 + min * 60 + sec + ms / 1000;
}

/** Whether a valid duration uses only the units Go's time.ParseDuration reads (no d, no w). */
export function isGoDuration(d: string): boolean {
  return !/[wd]/.test(d);
}

const BYTE_SIZE = /^(\d+)(B|KB|MB|GB|TB|PB|EB)$/;
const BYTE_FACTOR: Record<string, number> = { B: 1, KB: 2 ** 10, MB: 2 ** 20, GB: 2 ** 30, TB: 2 ** 40, PB: 2 ** 50, EB: 2 ** 60 };

export const BYTE_SIZE_HELP = "a Prometheus size such as 40GB (units B, KB, MB, GB, TB, PB; powers of 1024)";

/** Parses a Prometheus retention size ("40GB": units are powers of 1024, see prometheus/util/units). */
export function parseByteSize(s: string): number | undefined {
  const m = BYTE_SIZE.exec(s.trim());
  return m ? Number(m[1]) * BYTE_FACTOR[m[2]] : undefined;
}

/** A validated duration: the text as written (what manifests carry) and its length in seconds. */
export interface Duration {
  readonly text: string;
  readonly seconds: number;
}

/** A validated Kubernetes quantity: the text as written and its value in cores or bytes. */
export interface Quantity {
  readonly text: string;
  readonly value: number;
}
