// The only place that reads Pulumi configuration. Everything else takes a StackConfig.
import * as pulumi from "@pulumi/pulumi";
import { ConfigError, RawConfig, parseStackConfig } from "./parse";

export { ConfigError, RawConfig, RawValue, parseStackConfig, deepMerge, requiredSecretKeys } from "./parse";
export { PROJECT, SECRET_KEYS, REQUIRED_KEYS, StackConfig, stackConfigSchema } from "./schema";
export { SecretValue } from "./secret";

// `isConfigSecret` is how the Node.js SDK itself learns which keys the engine passed as
// secrets (PULUMI_CONFIG_SECRET_KEYS); it is exported at runtime but not in the typings.
type SecretProbe = { isConfigSecret?: (key: string) => boolean };

/** Reads the current stack's config from the Pulumi runtime as raw entries. */
export function readRawConfig(): RawConfig {
  const probe = (pulumi.runtime as unknown as SecretProbe).isConfigSecret;
  if (typeof probe !== "function") {
    throw new Error("this @pulumi/pulumi version does not expose runtime.isConfigSecret; pin the version in package.json");
  }
  const raw: RawConfig = {};
  for (const [key, value] of Object.entries(pulumi.runtime.allConfig())) {
    raw[key] = { value, secret: probe(key) };
  }
  return raw;
}

/**
 * Loads and validates the stack config. A bad value becomes a `pulumi.RunError`: the
 * engine prints its message alone, with no stack trace, and no resource is declared.
 */
export function loadStackConfig(): import("./schema").StackConfig {
  try {
    return parseStackConfig(readRawConfig(), pulumi.getStack());
  } catch (e) {
    if (e instanceof ConfigError) throw new pulumi.RunError(e.message);
    throw e;
  }
}
