// The one merge rule of the configuration: plain objects merge key by key; arrays and
// scalars in the later layer replace those below. Profiles merge an environment's
// differences over the base with it, and parse.ts a stack file over the profile.
export type Plain = Record<string, unknown>;

export const isPlainObject = (v: unknown): v is Plain => typeof v === "object" && v !== null && !Array.isArray(v);

/** Deep merge for plain objects; arrays and scalars in `over` replace those in `base`. */
export function deepMerge(base: Plain, over: Plain): Plain {
  const out: Plain = { ...base };
  for (const [k, v] of Object.entries(over)) {
    out[k] = isPlainObject(v) && isPlainObject(base[k]) ? deepMerge(base[k] as Plain, v) : v;
  }
  return out;
}
