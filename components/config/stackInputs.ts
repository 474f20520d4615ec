// What a raw stack configuration needs before it can be parsed: the secrets its resolved
// settings require, and the values no profile can know (the plugin's checksum, a pinned
// verdict image). The render fills absent ones with marked placeholders and says so;
// `pulumi up` stops with parse.ts's message instead.
import { PROJECT } from "./environments";
import { deepMerge, Plain } from "./merge";
import { baseProfile, decode, RawConfig } from "./parse";
import { ENVIRONMENTS, Environment, REQUIRED_KEYS, SECRET_KEYS, databaseSecretKeys, uptimeSecretKeys, receiverSecretKeys } from "./schema";

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
  for (const key of ["alerting", "monitoring", "memoryStore", "observability"]) {
    const entry = raw[`${PROJECT}:${key}`];
    if (entry && !entry.secret) input[key] = decode(entry.value);
  }
  const merged = deepMerge(baseProfile(env, input), input) as unknown as Parameters<typeof receiverSecretKeys>[0] &
    Parameters<typeof databaseSecretKeys>[0] &
    Parameters<typeof uptimeSecretKeys>[0];
  return [...always, ...databaseSecretKeys(merged), ...receiverSecretKeys(merged), ...uptimeSecretKeys(merged)];
}

/** Whether this raw config installs the controller with the plugin but states no checksum. */
export function pluginChecksumMissing(raw: RawConfig): boolean {
  const env = raw[`${PROJECT}:environment`]?.value as Environment | undefined;
  const entry = raw[`${PROJECT}:delivery`];
  if (!env || !(ENVIRONMENTS as readonly string[]).includes(env) || !entry || entry.secret) return false;
  const input = { delivery: decode(entry.value) } as Plain;
  const d = deepMerge(baseProfile(env, input), input).delivery as {
    installController?: unknown;
    strategy?: unknown;
    trafficRouter?: unknown;
    gatewayPlugin?: { sha256?: unknown };
  };
  return d.installController === true && d.strategy === "canary" && d.trafficRouter === "gatewayApi" && d.gatewayPlugin?.sha256 === undefined;
}

/**
 * The rollout-verdict image of a prod stack that runs one, when it is not pinned by digest
 * (R-DATA-4): no profile can know the digest, so the stack states it (missingRequired).
 */
export function verdictImageUnpinned(raw: RawConfig): string | undefined {
  const env = raw[`${PROJECT}:environment`]?.value as Environment | undefined;
  const entry = raw[`${PROJECT}:delivery`];
  if (env !== "prod" || !entry || entry.secret) return undefined;
  const input = { delivery: decode(entry.value) } as Plain;
  const d = deepMerge(baseProfile(env, input), input).delivery as {
    strategy?: unknown;
    verdict?: { enabled?: unknown; image?: unknown };
    blueGreen?: { autoPromotion?: unknown };
  };
  const awaited = d.verdict?.enabled === true && (d.strategy === "canary" || (d.strategy === "blueGreen" && d.blueGreen?.autoPromotion === true));
  const image = d.verdict?.image;
  return awaited && typeof image === "string" && !image.includes("@") ? image : undefined;
}
