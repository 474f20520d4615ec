// Calls the policies of policy/policies.ts as the engine does, without the Pulumi CLI:
// resource policies get each resource's inputs (secrets unwrapped, as the policy SDK's
// deserialize.ts does), stack policies every resource's outputs; enforcement levels come
// from policy/config/<stack>.json resolved as the CLI resolves them ("all" first, then per
// policy: pkg/resource/analyzer/config.go, applyConfig, in pulumi/pulumi).
import * as fs from "fs";
import * as path from "path";
import type {
  EnforcementLevel,
  PolicyResource,
  ResourceValidationArgs,
  ResourceValidationPolicy,
  StackValidationArgs,
  StackValidationPolicy,
} from "@pulumi/policy";
import { POLICIES } from "../../policy/policies";
import { RecordedResource, unwrap } from "../../render/mockRuntime";

export interface Violation {
  policy: string;
  level: EnforcementLevel;
  message: string;
  urn?: string;
}

export const urnOf = (stack: string, r: { type: string; name: string }) => `urn:pulumi:${stack}::agent-platform::${r.type}::${r.name}`;

const opts = (r: Partial<RecordedResource>) => ({
  protect: r.options?.protect ?? false,
  ignoreChanges: r.options?.ignoreChanges ?? [],
  deleteBeforeReplace: r.options?.deleteBeforeReplace,
  aliases: [],
  customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
  additionalSecretOutputs: r.options?.additionalSecretOutputs ?? [],
});

const never = (reason?: string): never => {
  throw new Error(`notApplicable: ${reason}`);
};

/** Default config values from a policy's schema, overlaid with the given ones. */
function configOf(policy: ResourceValidationPolicy | StackValidationPolicy, given: Record<string, unknown> = {}) {
  const defaults = Object.fromEntries(
    Object.entries(policy.configSchema?.properties ?? {}).filter(([, s]) => (s as { default?: unknown }).default !== undefined).map(([k, s]) => [k, (s as { default: unknown }).default]),
  );
  return { ...defaults, ...given };
}

/** The arguments of a resource validation, as the engine builds them. */
export function resourceArgs(
  r: { type: string; name: string; inputs: Record<string, unknown>; options?: RecordedResource["options"] },
  stack = "prod",
  config: Record<string, unknown> = {},
): ResourceValidationArgs {
  return {
    type: r.type,
    name: r.name,
    urn: urnOf(stack, r),
    props: unwrap(r.inputs, "reveal") as Record<string, unknown>,
    opts: opts(r),
    stackTags: new Map(),
    isType: () => false,
    asType: () => undefined,
    getConfig: <T extends object>() => config as T,
    notApplicable: never,
  } as unknown as ResourceValidationArgs;
}

export function policyResources(stack: string, resources: Array<Pick<RecordedResource, "type" | "name" | "outputs" | "options">>): PolicyResource[] {
  return resources.map(
    (r) =>
      ({
        type: r.type,
        name: r.name,
        urn: urnOf(stack, r),
        props: unwrap(r.outputs, "reveal") as Record<string, unknown>,
        opts: opts(r),
        dependencies: [],
        propertyDependencies: {},
        isType: () => false,
        asType: () => undefined,
      }) as unknown as PolicyResource,
  );
}

/** Runs one policy over one resource (resource policy) and returns its messages. */
export function checkResource(policy: ResourceValidationPolicy, args: ResourceValidationArgs): string[] {
  const out: string[] = [];
  const validations = [policy.validateResource ?? []].flat();
  for (const v of validations) v({ ...args, getConfig: () => configOf(policy, args.getConfig<Record<string, unknown>>()) } as ResourceValidationArgs, (m) => out.push(m));
  return out;
}

/** Runs one stack policy over a set of policy resources and returns its messages. */
export function checkStack(policy: StackValidationPolicy, resources: PolicyResource[], config: Record<string, unknown> = {}): string[] {
  const out: string[] = [];
  const args: StackValidationArgs = {
    resources,
    stackTags: new Map(),
    getConfig: <T extends object>() => configOf(policy, config) as T,
    notApplicable: never,
  };
  policy.validateStack(args, (m) => out.push(m));
  return out;
}

type PackConfig = Record<string, string | { enforcementLevel?: string; [k: string]: unknown }>;

/** Enforcement level and config of each policy under a policy/config/<name>.json, as the CLI resolves them. */
export function resolveConfig(configName: string): Map<string, { level: EnforcementLevel; props: Record<string, unknown> }> {
  const file = path.resolve(__dirname, "../../policy/config", `${configName}.json`);
  const given = JSON.parse(fs.readFileSync(file, "utf8")) as PackConfig;
  const out = new Map<string, { level: EnforcementLevel; props: Record<string, unknown> }>();
  const all = typeof given.all === "string" ? given.all : given.all?.enforcementLevel;
  for (const p of POLICIES) {
    let level = (all ?? p.enforcementLevel ?? "mandatory") as EnforcementLevel;
    // The schema's defaults first, then the given values key by key (createConfigWithDefaults
    // and applyConfig in pkg/resource/analyzer/config.go).
    let props: Record<string, unknown> = configOf(p);
    const own = given[p.name];
    if (typeof own === "string") level = own as EnforcementLevel;
    else if (own) {
      const { enforcementLevel, ...rest } = own;
      if (enforcementLevel) level = enforcementLevel as EnforcementLevel;
      props = { ...props, ...rest };
    }
    out.set(p.name, { level, props });
  }
  return out;
}

/** Every policy of the pack over a recorded graph, with the levels of policy/config/<configName>.json. */
export function runPack(stack: string, resources: RecordedResource[], configName = stack): Violation[] {
  const config = resolveConfig(configName);
  const violations: Violation[] = [];
  const stackResources = policyResources(stack, resources);
  for (const policy of POLICIES) {
    const { level, props } = config.get(policy.name)!;
    if (level === "disabled") continue;
    if ("validateStack" in policy) {
      for (const message of checkStack(policy, stackResources, props)) violations.push({ policy: policy.name, level, message });
    } else {
      for (const r of resources.filter((x) => x.custom)) {
        for (const message of checkResource(policy, resourceArgs(r, stack, props))) violations.push({ policy: policy.name, level, message, urn: urnOf(stack, r) });
      }
    }
  }
  return violations;
}
