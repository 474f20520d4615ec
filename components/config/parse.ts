// Pure parsing of a stack's configuration: raw key/value pairs (as Pulumi hands them to
// the program, or as the render command reads them from Pulumi.<stack>.yaml) become one
// typed, validated StackConfig, or one ConfigError that names every bad key, its value
// and what is allowed, on one line. Nothing here touches Pulumi, so a bad value stops the
// program before a single resource is declared (R-ENV-11). No message ever prints a value
// Pulumi marked secret, nor one under a key whose name looks like a credential (R-WL-6).
import { z } from "zod";
import { PRESETS, PresetName } from "./alerting";
import { Plain, deepMerge } from "./merge";
import { crossFieldProblems, missingAws, missingRequired } from "./rules";
import { ineffectiveScaling } from "./rules/workload";
import {
  ConfigError,
  Path,
  SECRET_LOOKING,
  WITHHELD,
  allowedKeysAt,
  closest,
  describeIssue,
  keyName,
  levenshtein,
  show,
  suggest,
} from "./messages";
import { PROFILES, presetAlerting } from "./profiles";
import {
  ENVIRONMENTS,
  Environment,
  PROJECT,
  REQUIRED_KEYS,
  SECRET_KEYS,
  StackConfig,
  databaseSecretKeys,
  uptimeSecretKeys,
  receiverSecretKeys,
  stackConfigSchema,
} from "./schema";
import { SecretValue } from "./secret";

/** One raw config entry: the string Pulumi stores, and whether it is a secret. */
export interface RawValue {
  value: string;
  secret: boolean;
}

/** Raw config keyed by full key (`agent-platform:replicas`); other namespaces are ignored. */
export type RawConfig = Record<string, RawValue>;

/** Pulumi passes every value as a string; structured values and scalars arrive as JSON. */
export function decode(raw: string): unknown {
  const t = raw.trim();
  if (/^[[{]/.test(t) || /^-?\d+(\.\d+)?$/.test(t) || t === "true" || t === "false" || t === "null") {
    try {
      return JSON.parse(t);
    } catch {
      // not JSON after all: the text as written
    }
  }
  return raw;
}

function getPath(obj: unknown, path: Path): unknown {
  let cur: unknown = obj;
  for (const p of path) cur = (cur as Record<PropertyKey, unknown> | null | undefined)?.[p];
  return cur;
}

const HTTPS_SECRETS = ["slackWebhookUrl", "ticketWebhookUrl", "watchdogUrl", "uptimeAlertUrl"];

/**
 * The stand-in the credential-free render uses for a secret it cannot know (or decrypt):
 * still marked secret, so masked, and of the form the setting requires.
 */
export function secretPlaceholder(key: string): string {
  return HTTPS_SECRETS.includes(key) ? `https://placeholder.invalid/${key}` : `placeholder-for-${key}`;
}

function isHttpsUrl(v: string): boolean {
  try {
    return new URL(v).protocol === "https:" && v.startsWith("https://");
  } catch {
    return false;
  }
}

/** The stack input the profile merges under, and the problems found while reading it. */
function readInput(raw: RawConfig): { input: Plain; problems: string[]; secretPaths: Set<string> } {
  const prefix = `${PROJECT}:`;
  const input: Plain = {};
  const problems: string[] = [];
  const secretPaths = new Set<string>();
  for (const [fullKey, entry] of Object.entries(raw)) {
    const colon = fullKey.indexOf(":");
    const namespace = colon >= 0 ? fullKey.slice(0, colon) : "";
    const key = colon >= 0 ? fullKey.slice(colon + 1) : fullKey;
    const withheld = entry.secret || SECRET_LOOKING.test(key);
    if (namespace !== PROJECT) {
      // Another namespace (pulumi, kubernetes, aws, ...) is its owner's; one within three
      // edits of the project's name is a typo of it. No provider's name is that close.
      if (levenshtein(namespace, PROJECT) <= 3) {
        problems.push(
          `${fullKey}${withheld ? ` ${WITHHELD}` : ""}: "${namespace}" is not this project's namespace (did you mean "${prefix}${key}"?); the program would ignore it`,
        );
      }
      continue;
    }
    const top = key.split(".")[0].replace(/\[.*$/, "");
    if (key.includes(".") || /\[\d+\]/.test(key)) {
      problems.push(
        `${fullKey}${withheld ? ` ${WITHHELD}` : ""}: a key with a dot is a literal name, not a path; ` +
          `set nested values with \`pulumi config set --path '${key}' <value>\`` +
          (withheld ? " (add --secret only for secret settings)" : "") +
          ` and remove this one with \`pulumi config rm '${key}'\``,
      );
      secretPaths.add(top);
      continue;
    }
    if ((SECRET_KEYS as readonly string[]).includes(key)) {
      if (!entry.secret) {
        problems.push(
          `${fullKey} is set in plain text (${entry.value.length} characters, value withheld): it must be a secret; ` +
            `remove it and run \`pulumi config set --secret ${key} <value>\``,
        );
        continue;
      }
      if (HTTPS_SECRETS.includes(key) && !isHttpsUrl(entry.value)) {
        // Receivers get alert payloads, runbook links and service names: never in clear text.
        problems.push(`${fullKey} ${WITHHELD}: must be an https:// URL (Alertmanager posts alerts to it)`);
        continue;
      }
      input[key] = new SecretValue(entry.value);
      continue;
    }
    if (entry.secret) {
      // A secret under a plain setting would flow into manifests and messages in plain
      // text: refuse it rather than unwrap it.
      secretPaths.add(key);
      problems.push(
        `${fullKey} ${WITHHELD} is set as a secret, but ${key} is not a secret setting and would reach plain-text manifests; ` +
          `set it without --secret (\`pulumi config set ${key} <value>\`), or keep secret values in the secret settings (${SECRET_KEYS.join(", ")})`,
      );
      continue;
    }
    input[key] = decode(entry.value);
  }
  return { input, problems, secretPaths };
}

/**
 * Whether a value at this known path must not be printed: it came from a secret entry.
 * (Known settings are secret exactly when SECRET_KEYS says so; an *unknown* key whose name
 * looks like a credential is withheld where unknown keys are reported.)
 */
function isWithheld(path: Path, secretPaths: Set<string>): boolean {
  return secretPaths.has(String(path[0]));
}

/** The profile a stack starts from, with the preset the stack names (if any) applied. */
export function baseProfile(environment: Environment, input: Plain): Plain {
  const profile = JSON.parse(JSON.stringify(PROFILES[environment])) as Plain;
  const preset = (input.alerting as Plain | undefined)?.preset;
  if (typeof preset === "string" && (PRESETS as readonly string[]).includes(preset)) {
    // The stack's own `alerting.preset` is merged over this, so the profile keeps its own.
    Object.assign(profile.alerting as Plain, presetAlerting(preset as PresetName));
  }
  return { ...profile, namespace: `agent-platform-${environment}` };
}

/** Parses the raw config of one stack into a StackConfig, or throws one ConfigError. */
export function parseStackConfig(raw: RawConfig, stack: string): StackConfig {
  const prefix = `${PROJECT}:`;
  const { input, problems, secretPaths } = readInput(raw);

  const env = input.environment;
  if (env === undefined) {
    problems.unshift(`${prefix}environment is not set: it must be one of ${ENVIRONMENTS.join(", ")}`);
    throw new ConfigError(stack, problems);
  }
  if (typeof env !== "string" || !(ENVIRONMENTS as readonly string[]).includes(env)) {
    const near = typeof env === "string" ? closest(env, [...ENVIRONMENTS]) : undefined;
    problems.unshift(`${prefix}environment = ${show(env)}: must be one of ${ENVIRONMENTS.join(", ")}${near ? ` (did you mean "${near}"?)` : ""}`);
    throw new ConfigError(stack, problems);
  }
  const environment = env as Environment;
  const merged = deepMerge(baseProfile(environment, input), input);

  // A value the stack did not state is the profile's; a value neither states is just not set.
  const fromProfile = (path: Path) => getPath(input, path) === undefined && getPath(merged, path) !== undefined;
  const ref = (path: Path, value: unknown = getPath(merged, path)) => {
    const shown = isWithheld(path, secretPaths) ? WITHHELD : show(value);
    return `${keyName(path)} = ${shown}${fromProfile(path) ? ` from the ${environment} profile` : ""}`;
  };

  for (const k of REQUIRED_KEYS) {
    if (merged[k] === undefined && !problems.some((p) => p.startsWith(`${prefix}${k} `))) {
      // (No required key is a secret: a missing secret is named below, with --secret.)
      problems.push(`${prefix}${k} is required and not set: run \`pulumi config set ${k} <value>\``);
    }
  }

  const result = stackConfigSchema.safeParse(merged);
  if (!result.success) {
    for (const issue of result.error.issues) problems.push(...describe(issue, merged, ref, secretPaths));
    throw new ConfigError(stack, dedupe(problems));
  }
  if (problems.length > 0) throw new ConfigError(stack, problems);

  const cfg = result.data;
  for (const key of receiverSecretKeys(cfg)) {
    if (cfg[key] === undefined) {
      problems.push(
        `${prefix}${key} is required and not set: the Alertmanager of this stack routes to it ` +
          `(monitoring.install = true${key === "pagerdutyRoutingKey" ? ", alerting.paging = true" : ""}); run \`pulumi config set --secret ${key} <value>\``,
      );
    }
  }
  for (const key of uptimeSecretKeys(cfg)) {
    if (cfg[key] === undefined) {
      problems.push(`${prefix}${key} is required and not set: the outside-in uptime alarm pages through it (observability.uptime.enabled = true, alerting.paging = true); run \`pulumi config set --secret ${key} <https URL>\``);
    }
  }
  for (const key of databaseSecretKeys(cfg)) {
    if (cfg[key] === undefined) {
      problems.push(`${prefix}${key} is required and not set: memoryStore.mode is "external"; run \`pulumi config set --secret ${key} <postgres URL>\``);
    }
  }
  problems.push(...missingRequired(cfg), ...missingAws(cfg), ...crossFieldProblems(cfg, ref), ...ineffectiveScaling(input, cfg, ref));
  if (problems.length > 0) throw new ConfigError(stack, problems);
  return cfg;
}

function dedupe(xs: string[]): string[] {
  return [...new Set(xs)];
}

/** One zod issue as problems: key, value (unless withheld), what is allowed, and a hint. */
function describe(issue: z.core.$ZodIssue, merged: Plain, ref: (p: Path, v?: unknown) => string, secretPaths: Set<string>): string[] {
  if (issue.code === "unrecognized_keys") {
    const allowed = allowedKeysAt(stackConfigSchema, issue.path);
    return issue.keys.map((k) => {
      const path = [...issue.path, k];
      const near = closest(k, allowed);
      const secretHint =
        near && (SECRET_KEYS as readonly string[]).includes(near) ? ` (did you mean "${near}"? set it with --secret)` : suggest(k, allowed);
      const shown = isWithheld(path, secretPaths) || SECRET_LOOKING.test(k) ? WITHHELD : show(getPath(merged, path));
      return `${keyName(path)} = ${shown}: not a known setting${secretHint}; allowed here: ${allowed.join(", ")}`;
    });
  }
  const top = String(issue.path[0]);
  const value = getPath(merged, issue.path);
  if (value === undefined) {
    // A required key (a scalar) that is unset was named above.
    if ((REQUIRED_KEYS as readonly string[]).includes(top)) return [];
    return [`${keyName(issue.path)} is not set: it ${describeIssue(issue).replace(/^must be a /, "must be set to a ")}`];
  }
  let what = describeIssue(issue);
  const generic = issue.message.startsWith("Invalid input");
  if (generic && issue.code === "invalid_type" && issue.expected === "string" && (typeof value === "number" || typeof value === "boolean")) {
    what = `must be a string: quote it ("${String(value)}")`;
  }
  if (generic && issue.code === "invalid_type" && issue.expected === "number" && typeof value === "string" && /^-?\d+(\.\d+)?$/.test(value.trim())) {
    what = `must be a number, not the string "${value}": write it without quotes`;
  }
  return [`${ref(issue.path, value)}: ${what}`];
}
