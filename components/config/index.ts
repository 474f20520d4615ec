// The configuration contract: the zod schema (the only definition of the config shape),
// the environment profiles, units, the stack-file reader and the parser. The only place
// that reads Pulumi configuration; everything else takes a StackConfig (or a slice).
import * as pulumi from "@pulumi/pulumi";
import { ConfigError } from "./messages";
import { RawConfig, parseStackConfig } from "./parse";
import type { StackConfig } from "./schema";

export { ConfigError } from "./messages";
export { deepMerge } from "./merge";
export { RawConfig, RawValue, parseStackConfig, secretPlaceholder } from "./parse";
export { pluginChecksumMissing, requiredSecretKeys, verdictImageUnpinned } from "./stackInputs";
export { PROJECT, SECRET_KEYS, REQUIRED_KEYS, ENVIRONMENTS, StackConfig, stackConfigSchema } from "./schema";
export type { Environment, Profile, StackConfigInput, Strategy } from "./schema";
export { PROFILES } from "./profiles";
export { SecretValue } from "./secret";
export { ROOT, listStacks, readStackConfig, stackFilePath } from "./stackFile";

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
export function loadStackConfig(): StackConfig {
  try {
    return parseStackConfig(readRawConfig(), pulumi.getStack());
  } catch (e) {
    if (e instanceof ConfigError) throw new pulumi.RunError(e.message);
    throw e;
  }
}
