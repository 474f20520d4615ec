// The bootstrap project's contract (R-ENV-14): the per-account resources that must exist
// before any environment stack runs (the image registry that prod pulls from, and its
// key), in a Pulumi project of their own (bootstrap/), so the registry exists and holds
// the image before anything pulls it. Its defaults live here; a bootstrap stack file
// states only what differs. Bad input is one ConfigError line per key, as for the stacks.
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { ConfigError, describeIssue, show } from "./messages";
import { deepMerge } from "./merge";
import { decode, type RawConfig } from "./parse";
import { text } from "./fields";
import { ecrRepositoryName } from "./images";
import { readRawConfig } from "./index";

export const BOOTSTRAP_PROJECT = "agent-platform-bootstrap";

export const bootstrapSchema = z.strictObject({
  region: text("an AWS region such as eu-west-1")
    .regex(/^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d$/, { message: "must be an AWS region such as eu-west-1" })
    .describe("AWS region of the registry; the environment stacks' aws.region."),
  accountId: text("a 12-digit AWS account ID")
    .regex(/^\d{12}$/, { message: 'must be the 12-digit AWS account ID, quoted ("123456789012")' })
    .describe("AWS account of the registry; checked against the credentials (allowedAccountIds)."),
  tags: z.record(z.string(), z.string()).describe("Tags on every resource (the provider's defaultTags)."),
  registry: z
    .strictObject({
      repository: ecrRepositoryName.describe("ECR repository of the platform image; the environment stacks' registry.repository."),
      untaggedExpiryDays: z.number().int().min(1).max(3650).describe("Days after which an untagged image expires."),
      keepImages: z.number().int().min(1).max(10000).describe("Tagged images kept; older ones expire."),
    })
    .describe("The platform image's ECR repository (R-DATA-4)."),
  pipeline: z
    .strictObject({
      repository: text("a GitHub repository such as acme/agent-platform-infra")
        .regex(/^[A-Za-z0-9-]+\/[A-Za-z0-9_.-]+$/, { message: "must be a GitHub repository such as acme/agent-platform-infra" })
        .describe("The repository whose workflows deploy and preview (its OIDC tokens' `sub` names it)."),
      deployStacks: z
        .array(z.enum(["staging", "prod"]))
        .min(1)
        .describe("Stacks deployed into this account: a deploy role each, assumable only from the job in the stack's GitHub environment."),
      previewStacks: z
        .array(z.enum(["staging", "prod"]))
        .describe("Stacks previewed on pull requests: a read-only role each, assumable from pull-request jobs."),
    })
    .optional()
    .describe("The pipeline's cloud identity (R-CI-6): GitHub's OIDC provider in this account and the workflows' roles."),
});

export type BootstrapConfig = z.output<typeof bootstrapSchema>;

/** Every default of a bootstrap stack; `region` and `accountId` are the stack file's. */
export const BOOTSTRAP_DEFAULTS = {
  tags: { "app.kubernetes.io/part-of": "agent-platform", "agent-platform/stack": "bootstrap" },
  registry: { repository: "agent-platform", untaggedExpiryDays: 14, keepImages: 200 },
};

/** A bootstrap stack's raw config (the engine's form) as a validated BootstrapConfig, or one ConfigError. */
export function parseBootstrapConfig(raw: RawConfig, stack: string): BootstrapConfig {
  const prefix = `${BOOTSTRAP_PROJECT}:`;
  const input: Record<string, unknown> = {};
  const problems: string[] = [];
  for (const [key, entry] of Object.entries(raw)) {
    if (!key.startsWith(prefix)) continue;
    const name = key.slice(prefix.length);
    if (entry.secret) problems.push(`${key}: is not a secret setting; set it without --secret`);
    // Scalars arrive as text (the engine writes no quotes): the account ID stays a string.
    input[name] = name === "accountId" ? entry.value : decode(entry.value);
  }
  const merged = deepMerge(BOOTSTRAP_DEFAULTS, input);
  for (const k of ["region", "accountId"]) {
    if (merged[k] === undefined) problems.push(`${prefix}${k} is required and not set: run \`pulumi config set ${k} <value>\``);
  }
  const result = bootstrapSchema.safeParse(merged);
  if (!result.success) {
    for (const issue of result.error.issues) {
      let v: unknown = merged;
      for (const p of issue.path) v = (v as Record<PropertyKey, unknown> | undefined)?.[p];
      if (v === undefined) continue; // a required key (only region and accountId have no default), named above
      if (issue.code === "unrecognized_keys") {
        problems.push(...issue.keys.map((k) => `${prefix}${[...issue.path, k].join(".")}: is not a setting of the bootstrap stack`));
        continue;
      }
      problems.push(`${prefix}${issue.path.join(".")} = ${show(v)}: ${describeIssue(issue)}`);
    }
  }
  if (problems.length) throw new ConfigError(stack, problems);
  return result.data!;
}

/** Loads the bootstrap stack's config from the Pulumi runtime; a bad value is a RunError (no trace, nothing declared). */
export function loadBootstrapConfig(): BootstrapConfig {
  try {
    return parseBootstrapConfig(readRawConfig(), pulumi.getStack());
  } catch (e) {
    if (e instanceof ConfigError) throw new pulumi.RunError(e.message);
    throw e;
  }
}
