// How configuration problems are worded: key names as the operator types them, values
// as they were written (never a secret's), where a default came from, and a "did you
// mean" for likely typos. One problem is one clause; ConfigError joins them on one line.
import { z } from "zod";
import { PROJECT } from "./schema";
import { SecretValue } from "./secret";

export class ConfigError extends Error {
  constructor(
    readonly stack: string,
    readonly problems: string[],
  ) {
    super(`Invalid configuration for stack "${stack}": ${problems.join("; ")}`);
    this.name = "ConfigError";
  }
}

export type Path = PropertyKey[];

/** `agent-platform:delivery.canarySteps[1].weight` */
export function keyName(path: Path): string {
  let out = "";
  for (const p of path) out += typeof p === "number" ? `[${p}]` : `${out ? "." : ""}${String(p)}`;
  return `${PROJECT}:${out}`;
}

/** Key names that suggest a credential: their values are never printed. */
export const SECRET_LOOKING = /url|key|token|password|passwd|secret|webhook|credential|kubeconfig/i;

export const WITHHELD = "(value withheld)";

/** A value for a message; `undefined` if it must not be shown. */
export function show(v: unknown): string {
  if (v instanceof SecretValue) return "[secret]";
  if (v === undefined) return "(not set)";
  if (typeof v === "object" && v !== null && "text" in v && ("seconds" in v || "value" in v || "bytes" in v)) {
    return JSON.stringify((v as { text: string }).text);
  }
  const s = JSON.stringify(v);
  return s.length > 80 ? `${s.slice(0, 77)}...` : s;
}

export function levenshtein(a: string, b: string): number {
  const dp = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = dp[0];
    dp[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = dp[j];
      dp[j] = Math.min(dp[j] + 1, dp[j - 1] + 1, prev + (a[i - 1].toLowerCase() === b[j - 1].toLowerCase() ? 0 : 1));
      prev = tmp;
    }
  }
  return dp[b.length];
}

/** The closest allowed name, if it is close enough to be a typo. */
export function closest(key: string, allowed: string[]): string | undefined {
  const best = allowed.map((k) => ({ k, d: levenshtein(key, k) })).sort((x, y) => x.d - y.d)[0];
  return best && best.d <= Math.max(2, Math.floor(key.length / 3)) ? best.k : undefined;
}

export function suggest(key: string, allowed: string[]): string {
  const best = closest(key, allowed);
  return best ? ` (did you mean "${best}"?)` : "";
}

type Def = { type: string; shape?: Record<string, z.ZodType>; element?: z.ZodType; innerType?: z.ZodType; in?: z.ZodType; out?: z.ZodType; schema?: z.ZodType };
const defOf = (s: z.ZodType) => (s as unknown as { def: Def }).def;

/**
 * Unwraps wrappers down to the schema that holds the shape: those with an inner type
 * (optional, default, nullable, readonly, catch) and pipes (transform, preprocess), whose
 * object side is the shape.
 */
export function unwrapSchema(s: z.ZodType): z.ZodType {
  for (;;) {
    const d = defOf(s);
    if (d.innerType) s = d.innerType;
    else if (d.in) s = defOf(d.in).type === "object" ? d.in : d.out ?? d.in;
    else return s;
  }
}

/** The schema at a path of the config, or undefined where the path leaves the schema. */
export function schemaAt(root: z.ZodType, path: Path): z.ZodType | undefined {
  let s: z.ZodType | undefined = root;
  for (const p of path) {
    if (!s) return undefined;
    const d = defOf(unwrapSchema(s));
    // An object's field, a list's element, a map's value; anything else has no parts.
    if (d.shape) s = d.shape[String(p)];
    else if (d.element) s = d.element;
    else s = (d as unknown as { valueType?: z.ZodType }).valueType;
  }
  return s;
}

/** The keys an object at `path` accepts. */
export function allowedKeysAt(root: z.ZodType, path: Path): string[] {
  const s = schemaAt(root, path);
  const d = s ? defOf(unwrapSchema(s)) : undefined;
  return d?.type === "object" && d.shape ? Object.keys(d.shape) : [];
}

/** What a zod issue means, in the words of a configuration reference. */
export function describeIssue(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case "invalid_type": {
      // Field schemas with their own wording (units, URLs, images) set a custom message.
      if (!issue.message.startsWith("Invalid input")) return issue.message;
      if (issue.expected === "int") return "must be a whole number";
      const noun =
        issue.expected === "object" ? "an object" : issue.expected === "array" ? "a list" : `a ${String(issue.expected)}`;
      return `must be ${noun}`;
    }
    case "too_small": {
      const i = issue as z.core.$ZodIssueTooSmall;
      if (i.origin === "array") return `must list at least ${i.minimum} item(s)`;
      if (i.origin === "string") return `must have at least ${i.minimum} character(s)`;
      return `must be ${i.inclusive ? "≥" : ">"} ${i.minimum}`;
    }
    case "too_big": {
      const i = issue as z.core.$ZodIssueTooBig;
      if (i.origin === "array") return `must list at most ${i.maximum} item(s)`;
      if (i.origin === "string") return `must have at most ${i.maximum} character(s)`;
      return `must be ${i.inclusive ? "≤" : "<"} ${i.maximum}`;
    }
    case "invalid_value":
      return `must be one of ${(issue as z.core.$ZodIssueInvalidValue).values.map(String).join(", ")}`;
    case "invalid_format":
      return issue.message === "Invalid email address" ? "must be an e-mail address" : issue.message;
    default:
      return issue.message;
  }
}
