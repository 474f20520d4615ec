// Runs the real program (createStack, with config loaded exactly as `pulumi up` loads
// it) under Pulumi's mock runtime and records every resource it registers. Shared by
// the render command and every test, so both see the same graph `pulumi up` would send
// to the engine; only the engine differs.
import * as pulumi from "@pulumi/pulumi";
import { createHash } from "crypto";
import type { RawConfig } from "../components/config";

/** The marker the Pulumi SDK uses on the wire for secret values. */
const SECRET_SIG_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

export const MASK = "[secret]";

export interface RecordedResource {
  type: string;
  name: string;
  custom: boolean;
  provider?: string;
  /** Inputs as the engine receives them; secret values still wrapped in the secret marker. */
  inputs: Record<string, unknown>;
  /** Outputs as the (mocked) provider returns them: the inputs plus computed values (ARNs, names). */
  outputs: Record<string, unknown>;
  /** Resource options the program set that the engine acts on (seen through a stack transformation). */
  options: RecordedOptions;
}

export interface RecordedOptions {
  ignoreChanges?: string[];
  protect?: boolean;
  deleteBeforeReplace?: boolean;
  replaceOnChanges?: string[];
  retainOnDelete?: boolean;
  /** Earlier identities of the resource, as names or URNs (state moves to the new one). */
  aliases?: string[];
  additionalSecretOutputs?: string[];
  /** Explicit dependencies, as `type::name` of each resource the program listed. */
  dependsOn?: string[];
  customTimeouts?: { create?: string; update?: string; delete?: string };
}

type Named = { __pulumiType?: string; __name?: string };

export function isSecretMarker(v: unknown): v is { value: unknown } {
  return typeof v === "object" && v !== null && (v as Record<string, unknown>)[SECRET_SIG_KEY] === SECRET_SIG;
}

/**
 * Removes the secret markers: `mask` puts "[secret]" where a secret was (what the render
 * writes), `reveal` keeps the plain value (what a test needs to prove it is absent).
 */
export function unwrap(v: unknown, mode: "mask" | "reveal"): unknown {
  if (isSecretMarker(v)) return mode === "mask" ? maskLeaves(unwrap(v.value, "reveal")) : unwrap(v.value, mode);
  if (Array.isArray(v)) return v.map((e) => unwrap(e, mode));
  if (typeof v === "object" && v !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, e] of Object.entries(v)) if (e !== undefined) out[k] = unwrap(e, mode);
    return out;
  }
  return v;
}

/** Masks every scalar but keeps the shape: a Secret's keys are not secret, its values are. */
function maskLeaves(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(maskLeaves);
  if (typeof v === "object" && v !== null) {
    return Object.fromEntries(Object.entries(v).map(([k, e]) => [k, maskLeaves(e)]));
  }
  return MASK;
}

/** Every secret plain value in a recorded graph (for "nothing secret is rendered" checks). */
export function secretValues(resources: RecordedResource[]): string[] {
  const found: string[] = [];
  const walk = (v: unknown, inSecret: boolean): void => {
    if (isSecretMarker(v)) return walk(v.value, true);
    if (Array.isArray(v)) return v.forEach((e) => walk(e, inSecret));
    if (typeof v === "object" && v !== null) return Object.values(v).forEach((e) => walk(e, inSecret));
    if (inSecret && typeof v === "string" && v.length > 0) found.push(v);
  };
  resources.forEach((r) => walk(r.inputs, false));
  return found;
}

/** The outputs the AWS provider computes (ARNs, endpoints, generated names), shaped as AWS shapes them. */
function awsOutputs(type: string, name: string, inputs: Record<string, unknown>, region: string, account: string): { id?: string; state: Record<string, unknown> } {
  const service = type.split(":")[1].split("/")[0];
  // A name prefix: the provider appends a unique suffix (terraform-plugin-sdk id.PrefixedUniqueId:
  // a UTC timestamp and a counter, 26 characters); here a fixed one, so renders are stable.
  if (inputs.name === undefined && typeof inputs.namePrefix === "string") inputs = { ...inputs, name: `${inputs.namePrefix}20260101000000000000000001` };
  const arn = (resource: string, global = false) => `arn:aws:${service}:${global ? "" : region}:${global ? "" : account}:${resource}`;
  switch (type) {
    case "aws:kms/key:Key":
      return { id: `${name}-id`, state: { arn: arn(`key/${name}-id`), keyId: `${name}-id` } };
    case "aws:s3/bucket:Bucket": {
      const bucket = String(inputs.bucket ?? `${name}-0a1b2c3`);
      return { id: bucket, state: { bucket, arn: `arn:aws:s3:::${bucket}` } };
    }
    case "aws:rds/instance:Instance": {
      const address = `${String(inputs.identifier ?? name)}.c0mock0000.${region}.rds.amazonaws.com`;
      return { state: { address, endpoint: `${address}:${String(inputs.port ?? 5432)}`, port: inputs.port ?? 5432, arn: arn(`db:${String(inputs.identifier)}`) } };
    }
    case "aws:iam/role:Role":
      return { id: String(inputs.name ?? name), state: { arn: `arn:aws:iam::${account}:role/${String(inputs.name ?? name)}`, name: inputs.name ?? name } };
    case "aws:ecr/repository:Repository":
      return { state: { arn: arn(`repository/${String(inputs.name)}`), repositoryUrl: `${account}.dkr.ecr.${region}.amazonaws.com/${String(inputs.name)}` } };
    case "aws:iam/openIdConnectProvider:OpenIdConnectProvider":
      // arn:aws:iam::<account>:oidc-provider/<url without its scheme> (IAM ARNs name no region).
      return { state: { arn: `arn:aws:iam::${account}:oidc-provider/${String(inputs.url ?? name).replace(/^https:\/\//, "")}`, url: inputs.url } };
    case "aws:ec2/securityGroup:SecurityGroup":
      return { id: `sg-0${createHash("sha256").update(name).digest("hex").slice(0, 16)}`, state: { name: inputs.name } };
    default:
      return { state: { arn: arn(name, service === "iam"), ...(inputs.name !== undefined ? { name: inputs.name } : {}) } };
  }
}

export class Recorder implements pulumi.runtime.Mocks {
  readonly resources: RecordedResource[] = [];
  private readonly options = new Map<string, RecordedOptions>();
  private awsRegion = "us-east-1";
  private readonly awsRegions = new Map<string, string>();
  private awsAccount = "000000000000";

  /** A stack transformation that notes the options of every resource as it is constructed. */
  readonly captureOptions = (a: pulumi.ResourceTransformationArgs): undefined => {
    const o = a.opts as pulumi.CustomResourceOptions;
    const kept: RecordedOptions = {};
    if (o.ignoreChanges?.length) kept.ignoreChanges = [...o.ignoreChanges];
    if (o.protect !== undefined) kept.protect = o.protect;
    if (o.deleteBeforeReplace !== undefined) kept.deleteBeforeReplace = o.deleteBeforeReplace;
    if (o.replaceOnChanges?.length) kept.replaceOnChanges = [...o.replaceOnChanges];
    if (o.retainOnDelete !== undefined) kept.retainOnDelete = o.retainOnDelete;
    // The program's renames: URNs, aliases by name and by the program's own type tokens
    // (agent-platform:*). The provider SDKs add type-only aliases of their own (a kind's
    // older API groups), which are not the program's.
    const aliases = (o.aliases ?? []).flatMap((a: unknown) => {
      if (typeof a === "string") return [a];
      const { name, type } = a as { name?: unknown; type?: unknown };
      if (typeof name === "string") return [`name=${name}`];
      return typeof type === "string" && type.startsWith("agent-platform:") ? [`type=${type}`] : [];
    });
    if (aliases.length) kept.aliases = aliases;
    if (o.additionalSecretOutputs?.length) kept.additionalSecretOutputs = [...new Set(o.additionalSecretOutputs)];
    if (Array.isArray(o.dependsOn) && o.dependsOn.length) {
      kept.dependsOn = (o.dependsOn as unknown[]).map((d) => `${(d as Named).__pulumiType ?? "?"}::${(d as Named).__name ?? "?"}`);
    }
    if (o.customTimeouts) kept.customTimeouts = { ...o.customTimeouts };
    this.options.set(`${a.type}::${a.name}`, kept);
    return undefined;
  };

  newResource(args: pulumi.runtime.MockResourceArgs): { id: string; state: Record<string, unknown> } {
    const state: Record<string, unknown> = { ...args.inputs };
    if (args.type !== "pulumi:pulumi:Stack") {
      this.resources.push({
        type: args.type,
        name: args.name,
        custom: args.custom ?? true,
        provider: args.provider,
        inputs: args.inputs,
        outputs: state,
        options: this.options.get(`${args.type}::${args.name}`) ?? {},
      });
    }
    let id = `${args.name}-id`;
    if (args.type === "pulumi:providers:aws") {
      // The first AWS provider is the stack's; another (the second region's) is looked up by name.
      if (this.awsRegions.size === 0) this.awsRegion = String(args.inputs.region ?? this.awsRegion);
      this.awsRegions.set(args.name, String(args.inputs.region ?? this.awsRegion));
      const ids = args.inputs.allowedAccountIds;
      const list = typeof ids === "string" ? (JSON.parse(ids) as string[]) : (ids as string[] | undefined);
      if (list?.[0]) this.awsAccount = list[0];
    } else if (args.type.startsWith("aws:")) {
      // A provider reference is "<urn>::<id>", and the URN ends in "::<name>".
      const providerName = args.provider?.split("::").slice(-2, -1)[0];
      const region = (providerName && this.awsRegions.get(providerName)) ?? this.awsRegion;
      const out = awsOutputs(args.type, args.name, args.inputs, region, this.awsAccount);
      Object.assign(state, out.state);
      if (out.id) id = out.id;
    }
    if (args.type === "random:index/randomId:RandomId") {
      // What the provider would return: byteLength random bytes, here a hash of the name.
      state.hex = createHash("sha256").update(`mock:${args.name}`).digest("hex").slice(0, 2 * Number(args.inputs.byteLength ?? 8));
    }
    if (args.type === "random:index/randomPassword:RandomPassword") {
      // What the provider would return; the engine marks it secret, and so do we.
      const length = Number(args.inputs.length ?? 32);
      const fake = createHash("sha256").update(`mock:${args.name}`).digest("hex").repeat(4).slice(0, length);
      state.result = { [SECRET_SIG_KEY]: SECRET_SIG, value: fake };
    }
    return { id, state };
  }

  call(args: pulumi.runtime.MockCallArgs): Record<string, unknown> {
    return args.inputs;
  }
}

// `waitForRPCs` is how the SDK itself waits for outstanding registrations before exit;
// `runInPulumiStack` is how it runs a program under the root Stack resource.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const settings = require("@pulumi/pulumi/runtime/settings") as { waitForRPCs?: () => Promise<void> };
// eslint-disable-next-line @typescript-eslint/no-require-imports
const stackRuntime = require("@pulumi/pulumi/runtime/stack") as {
  runInPulumiStack?: (init: () => Promise<unknown>) => Promise<unknown>;
};

export interface MockRun<T> {
  resources: RecordedResource[];
  outputs: T;
}

/**
 * Sets the mock runtime and the stack's config, runs `program` (which must load config
 * through the same function index.ts uses), waits for every registration and resolves
 * the returned outputs.
 */
export async function runWithMocks<T>(
  stack: string,
  raw: RawConfig,
  program: () => unknown,
  recorder: Recorder = new Recorder(),
  project = "agent-platform",
): Promise<MockRun<T>> {
  await pulumi.runtime.setMocks(recorder, project, stack, false);
  const values: Record<string, string> = {};
  const secretKeys: string[] = [];
  for (const [k, v] of Object.entries(raw)) {
    values[k] = v.value;
    if (v.secret) secretKeys.push(k);
  }
  pulumi.runtime.setAllConfig(values, secretKeys);

  if (typeof settings.waitForRPCs !== "function" || typeof stackRuntime.runInPulumiStack !== "function") {
    throw new Error("@pulumi/pulumi no longer exposes runInPulumiStack/waitForRPCs; pin the version in package.json");
  }
  const traces = withoutStackTraces();
  try {
    // As under `pulumi up`: the program runs inside the root Stack resource.
    const outputs = await stackRuntime.runInPulumiStack(async () => {
      pulumi.runtime.registerStackTransformation(recorder.captureOptions);
      return program();
    });
    await settings.waitForRPCs();
    const resolved = (await resolveDeep(outputs)) as T;
    await settings.waitForRPCs();
    return { resources: recorder.resources, outputs: resolved };
  } finally {
    traces.restore();
  }
}

/**
 * Pulumi takes a stack trace of every promise it tracks (runtime/debuggable.js,
 * `new Error().stack`, for its leak report) and a whole one of every resource it registers
 * (resource.js, `Resource.callsites()`, for the engine's source positions); the mock runtime
 * drops both. Under ts-node each frame is source-mapped (its prepareStackTrace): a prod
 * render took 2.4 s in a test process, 0.38 s without (2026-12-08). So the run takes
 * none, and formats the whole ones with V8's plain formatter; both are restored after it.
 * An error raised inside the program then carries its message only: set
 * RENDER_STACK_TRACES=1 to keep traces while debugging one.
 */
function withoutStackTraces(): { restore(): void } {
  if (process.env.RENDER_STACK_TRACES === "1") return { restore: () => undefined };
  const E = Error as { prepareStackTrace?: unknown; stackTraceLimit: number };
  const saved = { prepare: E.prepareStackTrace, limit: E.stackTraceLimit };
  E.prepareStackTrace = undefined;
  E.stackTraceLimit = 0;
  return {
    restore: () => {
      E.prepareStackTrace = saved.prepare;
      E.stackTraceLimit = saved.limit;
    },
  };
}

async function resolveDeep(v: unknown): Promise<unknown> {
  if (pulumi.Output.isInstance(v)) {
    return resolveDeep(await new Promise((resolve) => (v as pulumi.Output<unknown>).apply(resolve)));
  }
  if (Array.isArray(v)) return Promise.all(v.map(resolveDeep));
  if (typeof v === "object" && v !== null && Object.getPrototypeOf(v) === Object.prototype) {
    const out: Record<string, unknown> = {};
    for (const [k, e] of Object.entries(v)) out[k] = await resolveDeep(e);
    return out;
  }
  return v;
}
