// Pure parsing of a stack's configuration: raw key/value pairs (as Pulumi hands them to
// the program, or as the render command reads them from Pulumi.<stack>.yaml) become one
// typed, validated StackConfig, or one ConfigError that names every bad key, its value
// and what is allowed. Nothing here touches Pulumi, so a bad value stops the program
// before a single resource is declared (R-ENV-11).
import { z } from "zod";
import { ENVIRONMENTS, Environment, PROFILES } from "../model/profiles";
import { parseDuration, parseQuantity } from "../model/units";
import { PROJECT, REQUIRED_KEYS, SECRET_KEYS, StackConfig, receiverSecretKeys, stackConfigSchema } from "./schema";
import { SecretValue } from "./secret";

/** One raw config entry: the string Pulumi stores, and whether it is a secret. */
export interface RawValue {
  value: string;
  secret: boolean;
}

/** Raw config keyed by full key (`agent-platform:replicas`); other namespaces are ignored. */
export type RawConfig = Record<string, RawValue>;

export class ConfigError extends Error {
  constructor(
    readonly stack: string,
    readonly problems: string[],
  ) {
    super(`Invalid configuration for stack "${stack}": ${problems.join("; ")}`);
    this.name = "ConfigError";
  }
}

type Plain = Record<string, unknown>;

const isPlainObject = (v: unknown): v is Plain => typeof v === "object" && v !== null && !Array.isArray(v);

/** Pulumi passes every value as a string; structured values and scalars arrive as JSON. */
function decode(raw: string): unknown {
  const t = raw.trim();
  if (/^[[{]/.test(t) || /^-?\d+(\.\d+)?$/.test(t) || t === "true" || t === "false" || t === "null") {
    try {
      return JSON.parse(t);
    } catch {
      return raw;
    }
  }
  return raw;
}

/** Deep merge for plain objects; arrays and scalars in `over` replace those in `base`. */
export function deepMerge(base: Plain, over: Plain): Plain {
  const out: Plain = { ...base };
  for (const [k, v] of Object.entries(over)) {
    out[k] = isPlainObject(v) && isPlainObject(base[k]) ? deepMerge(base[k] as Plain, v) : v;
  }
  return out;
}

function getPath(obj: unknown, path: PropertyKey[]): unknown {
  let cur: unknown = obj;
  for (const p of path) {
    if (cur === null || typeof cur !== "object") return undefined;
    cur = (cur as Record<PropertyKey, unknown>)[p];
  }
  return cur;
}

function hasPath(obj: unknown, path: PropertyKey[]): boolean {
  return getPath(obj, path) !== undefined;
}

function show(v: unknown): string {
  if (v instanceof SecretValue) return "[secret]";
  if (v === undefined) return "(not set)";
  const s = JSON.stringify(v);
  return s.length > 80 ? `${s.slice(0, 77)}...` : s;
}

function keyName(path: PropertyKey[]): string {
  let out = "";
  for (const p of path) out += typeof p === "number" ? `[${p}]` : `${out ? "." : ""}${String(p)}`;
  return `${PROJECT}:${out}`;
}

function levenshtein(a: string, b: string): number {
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

function suggest(key: string, allowed: string[]): string {
  const best = allowed
    .map((k) => ({ k, d: levenshtein(key, k) }))
    .sort((x, y) => x.d - y.d)[0];
  return best && best.d <= Math.max(2, Math.floor(key.length / 3)) ? ` (did you mean "${best.k}"?)` : "";
}

function allowedKeysAt(path: PropertyKey[]): string[] {
  let schema: z.ZodType = stackConfigSchema;
  for (const p of path) {
    const def = (schema as unknown as { def: { type: string; shape?: Record<string, z.ZodType>; element?: z.ZodType; innerType?: z.ZodType } }).def;
    if (def.type === "optional" && def.innerType) schema = def.innerType;
    const d = (schema as unknown as { def: { type: string; shape?: Record<string, z.ZodType>; element?: z.ZodType } }).def;
    if (d.type === "object" && d.shape) schema = d.shape[String(p)];
    else if (d.type === "array" && d.element) schema = d.element;
    if (!schema) return [];
  }
  const shape = (schema as unknown as { def: { shape?: Record<string, unknown> } }).def.shape;
  return shape ? Object.keys(shape) : [];
}

function describeIssue(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case "invalid_type":
      if (issue.expected === "int") return "must be a whole number";
      return `must be ${issue.expected === "object" ? "an object" : issue.expected === "array" ? "a list" : `a ${issue.expected}`}`;
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
    default:
      return issue.message;
  }
}

/** Parses the raw config of one stack into a StackConfig, or throws one ConfigError. */
export function parseStackConfig(raw: RawConfig, stack: string): StackConfig {
  const prefix = `${PROJECT}:`;
  const input: Plain = {};
  const problems: string[] = [];

  for (const [fullKey, entry] of Object.entries(raw)) {
    if (!fullKey.startsWith(prefix)) continue; // provider namespaces (kubernetes:, aws:) are not ours
    const key = fullKey.slice(prefix.length);
    if ((SECRET_KEYS as readonly string[]).includes(key)) {
      if (!entry.secret) {
        problems.push(
          `${fullKey} is set in plain text (${entry.value.length} characters, value withheld): it must be a secret; ` +
            `remove it and run \`pulumi config set --secret ${key} <value>\``,
        );
        continue;
      }
      input[key] = new SecretValue(entry.value);
    } else {
      input[key] = decode(entry.value);
    }
  }

  const env = input.environment;
  if (env === undefined) {
    problems.unshift(`${prefix}environment is not set: it must be one of ${ENVIRONMENTS.join(", ")}`);
    throw new ConfigError(stack, problems);
  }
  if (typeof env !== "string" || !(ENVIRONMENTS as readonly string[]).includes(env)) {
    problems.unshift(`${prefix}environment = ${show(env)}: must be one of ${ENVIRONMENTS.join(", ")}`);
    throw new ConfigError(stack, problems);
  }
  const environment = env as Environment;

  const defaults: Plain = { ...(PROFILES[environment] as unknown as Plain), namespace: `agent-platform-${environment}` };
  const merged = deepMerge(defaults, input);

  for (const k of REQUIRED_KEYS) {
    if (merged[k] === undefined && !problems.some((p) => p.startsWith(`${prefix}${k} `))) {
      const how = (SECRET_KEYS as readonly string[]).includes(k)
        ? `pulumi config set --secret ${k} <value>`
        : `pulumi config set ${k} <value>`;
      problems.push(`${prefix}${k} is required and not set: run \`${how}\``);
    }
  }

  const result = stackConfigSchema.safeParse(merged);
  if (!result.success) {
    for (const issue of result.error.issues) {
      if (issue.code === "unrecognized_keys") {
        const allowed = allowedKeysAt(issue.path);
        for (const k of issue.keys) {
          const path = [...issue.path, k];
          problems.push(
            `${keyName(path)} = ${show(getPath(merged, path))}: not a known setting${suggest(k, allowed)}; ` +
              `allowed here: ${allowed.join(", ")}`,
          );
        }
        continue;
      }
      const top = String(issue.path[0]);
      if (getPath(merged, issue.path) === undefined && (REQUIRED_KEYS as readonly string[]).includes(top)) continue;
      const value = getPath(merged, issue.path);
      if (value === undefined) {
        problems.push(`${keyName(issue.path)} is not set: it ${describeIssue(issue).replace(/^must be a /, "must be set to a ")}`);
        continue;
      }
      const origin = hasPath(input, issue.path) ? "" : ` (from the ${environment} profile)`;
      problems.push(`${keyName(issue.path)} = ${show(value)}${origin}: ${describeIssue(issue)}`);
    }
    throw new ConfigError(stack, problems);
  }
  if (problems.length > 0) throw new ConfigError(stack, problems);

  const cfg = result.data;
  for (const key of receiverSecretKeys(cfg)) {
    if ((cfg as Record<string, unknown>)[key] === undefined) {
      problems.push(
        `${prefix}${key} is required and not set: the Alertmanager of this stack routes to it ` +
          `(monitoring.install = true${key === "pagerdutyRoutingKey" ? ", alerting.paging = true" : ""}); run \`pulumi config set --secret ${key} <value>\``,
      );
    }
  }
  problems.push(...crossFieldProblems(cfg));
  if (problems.length > 0) throw new ConfigError(stack, problems);
  return cfg;
}

/** Rules that relate two settings; each message names both keys and values. */
function crossFieldProblems(cfg: StackConfig): string[] {
  const p: string[] = [];
  const k = (path: string) => `${PROJECT}:${path}`;
  const a = cfg.autoscaling;
  if (a.minReplicas > a.maxReplicas) {
    p.push(
      `${k("autoscaling.minReplicas")} = ${a.minReplicas}: must be ≤ ${k("autoscaling.maxReplicas")} = ${a.maxReplicas}`,
    );
  }
  for (const res of ["cpu", "memory"] as const) {
    const req = cfg.resources.requests[res];
    const lim = cfg.resources.limits[res];
    if (parseQuantity(lim)! < parseQuantity(req)!) {
      p.push(
        `${k(`resources.limits.${res}`)} = "${lim}": must be ≥ ${k(`resources.requests.${res}`)} = "${req}" (a limit below the request is rejected by Kubernetes)`,
      );
    }
  }
  if (cfg.externalServices === "mocked" && cfg.environment !== "dev") {
    p.push(`${k("externalServices")} = "mocked": only dev may mock external services; ${cfg.environment} must use "real" (R-ENV-8)`);
  }
  const preStop = parseDuration(cfg.shutdown.preStopDelay)!;
  const grace = parseDuration(cfg.shutdown.terminationGracePeriod)!;
  if (grace <= preStop) {
    p.push(
      `${k("shutdown.terminationGracePeriod")} = "${cfg.shutdown.terminationGracePeriod}": must be longer than ${k("shutdown.preStopDelay")} = "${cfg.shutdown.preStopDelay}", or SIGTERM never gets time to finish tasks`,
    );
  }
  const d = cfg.delivery;
  d.canarySteps.forEach((step, i) => {
    const prev = d.canarySteps[i - 1];
    if (prev && step.weight <= prev.weight) {
      p.push(
        `${k(`delivery.canarySteps[${i}].weight`)} = ${step.weight}: canary weights must rise stage by stage (stage ${i} has ${prev.weight})`,
      );
    }
  });
  if (cfg.delivery.strategy === "canary" && d.trafficRouter === "none") {
    p.push(`${k("delivery.trafficRouter")} = "none": a canary needs traffic routing for exact weights such as ${d.canarySteps[0].weight} %; use "gatewayApi"`);
  }
  if (parseDuration(d.trafficShiftBudget)! > 30) {
    p.push(`${k("delivery.trafficShiftBudget")} = "${d.trafficShiftBudget}": must be at most 30s (R-PD-4)`);
  }
  const flagKeys = new Set<string>();
  cfg.featureFlags.forEach((f, i) => {
    if (flagKeys.has(f.key)) p.push(`${k(`featureFlags[${i}].key`)} = "${f.key}": flag keys must be unique`);
    flagKeys.add(f.key);
  });
  for (const [layer, probe] of Object.entries(cfg.monitoring.probes)) {
    if (parseDuration(probe.timeout)! > parseDuration(probe.interval)!) {
      p.push(
        `${k(`monitoring.probes.${layer}.timeout`)} = "${probe.timeout}": must not be longer than ${k(`monitoring.probes.${layer}.interval`)} = "${probe.interval}" (Prometheus rejects a scrape timeout above its interval)`,
      );
    }
  }
  const timeout = parseDuration(cfg.probes.livenessTimeout)!;
  const period = parseDuration(cfg.probes.livenessPeriod)!;
  if (timeout < 1 || period < 1 || timeout > period) {
    p.push(
      `${k("probes.livenessTimeout")} = "${cfg.probes.livenessTimeout}": must be at least 1s and not longer than ${k("probes.livenessPeriod")} = "${cfg.probes.livenessPeriod}"`,
    );
  }
  return p;
}

/**
 * The secret keys this raw config needs (the always-required ones and the receivers its
 * resolved alerting/monitoring settings route to). The render fills absent ones with
 * masked placeholders and says so; `pulumi up` stops with the message above instead.
 */
export function requiredSecretKeys(raw: RawConfig): string[] {
  const always = REQUIRED_KEYS.filter((k) => (SECRET_KEYS as readonly string[]).includes(k)) as string[];
  const env = raw[`${PROJECT}:environment`]?.value as Environment | undefined;
  if (!env || !(ENVIRONMENTS as readonly string[]).includes(env)) return always;
  const input: Plain = {};
  for (const key of ["alerting", "monitoring"]) {
    const entry = raw[`${PROJECT}:${key}`];
    if (entry) input[key] = decode(entry.value);
  }
  const merged = deepMerge(PROFILES[env] as unknown as Plain, input) as unknown as {
    alerting: { paging: boolean };
    monitoring: { install: boolean };
  };
  return [...always, ...receiverSecretKeys(merged)];
}
