// Renders one stack without credentials: the stack file's config, the real program, the
// mock engine. Used by `npm run render`, `npm run bench` and the tests.
import { ConfigError, RawConfig, PROJECT, loadStackConfig, pluginChecksumMissing, requiredSecretKeys, secretPlaceholder, verdictImageUnpinned } from "../components/config";
import type { StackConfig } from "../components/config";
import { StackOutputs, createStack } from "../components/stack";
import { stackAlertsMarkdown } from "./alerts";
import { monitoringFiles, monitoringSummary } from "./monitoring";
import { clusterAccess } from "../components/model/addons";
import { prerequisitesSummary } from "./cluster";
import { verdictsSummary } from "./verdicts";
import { dataSummary } from "./data";
import { observabilityFiles, observabilitySummary } from "./observability";
import { Manifest, privilegesSummary, renderFiles, summary } from "./manifests";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { BOOTSTRAP_PROJECT, BootstrapConfig, loadBootstrapConfig } from "../components/config/bootstrap";
import { boundaryName, pipelineRoleName, pipelineSubject } from "../components/model/pipeline";
import { createBootstrap } from "../components/bootstrap";
import { RecordedResource, Recorder, runWithMocks } from "./mockRuntime";
import { readStackConfig } from "../components/config/stackFile";

export interface StackRender {
  stack: string;
  /** The validated configuration the program ran with. */
  config?: StackConfig;
  resources: RecordedResource[];
  outputs: Record<string, unknown>;
  files: Record<string, string>;
  manifests: Manifest[];
  summary: string;
  notes: string[];
}

/** Stands in for the plugin checksum a stack file does not state (not a real checksum). */
export const PLACEHOLDER_SHA256 = "0".repeat(64);

/**
 * Settings a stack must have but a credential-free render cannot know: secrets (their
 * encrypted values) and the plugin checksum (read from the release, never invented).
 * Filled with placeholders (secrets stay secrets, so masked) and reported.
 */
export function withPlaceholders(raw: RawConfig): { raw: RawConfig; notes: string[] } {
  const out = { ...raw };
  const notes: string[] = [];
  for (const key of requiredSecretKeys(raw)) {
    const full = `${PROJECT}:${key}`;
    if (out[full] === undefined) {
      out[full] = { value: secretPlaceholder(key), secret: true };
      notes.push(`${key} is not in the stack file; rendered with a placeholder (pulumi up requires \`pulumi config set --secret ${key} ...\`)`);
    }
  }
  if (pluginChecksumMissing(raw)) {
    const full = `${PROJECT}:delivery`;
    const delivery = JSON.parse(out[full].value) as { gatewayPlugin?: Record<string, unknown> };
    delivery.gatewayPlugin = { ...(delivery.gatewayPlugin ?? {}), sha256: PLACEHOLDER_SHA256 };
    out[full] = { value: JSON.stringify(delivery), secret: false };
    notes.push(
      "delivery.gatewayPlugin.sha256 is not in the stack file; rendered with a placeholder of zeros (pulumi up requires the release asset's checksum: docs/delivery.md says how to read it)",
    );
  }
  const verdictImage = verdictImageUnpinned(out);
  if (verdictImage) {
    const full = `${PROJECT}:delivery`;
    const delivery = JSON.parse(out[full].value) as { verdict?: Record<string, unknown> };
    delivery.verdict = { ...(delivery.verdict ?? {}), image: `${verdictImage}@sha256:${PLACEHOLDER_SHA256}` };
    out[full] = { value: JSON.stringify(delivery), secret: false };
    notes.push(
      `delivery.verdict.image is not pinned by digest in the stack file; rendered with a placeholder digest of zeros (pulumi up requires ${verdictImage}'s digest: docs/delivery.md says how to read it)`,
    );
  }
  return { raw: out, notes };
}

/** Renders a stack from raw config (tests pass edited configs through here). */
export async function renderRaw(stack: string, raw: RawConfig, notes: string[] = []): Promise<StackRender> {
  let cfg: StackConfig | undefined;
  const run = await runWithMocks<StackOutputs>(stack, raw, () => {
    cfg = loadStackConfig();
    return createStack(cfg);
  });
  const { files, manifests } = renderFiles(run.resources);
  Object.assign(files, monitoringFiles(cfg!, manifests));
  Object.assign(files, observabilityFiles(cfg!));
  files["alerts.md"] = stackAlertsMarkdown(stack, cfg!);
  const privileges = privilegesSummary(manifests, clusterAccess(cfg!));
  const text = summary(
    stack,
    run.resources,
    manifests,
    notes,
    run.outputs.deliveryPlan,
    `${monitoringSummary(cfg!)}\n${observabilitySummary(cfg!)}`,
    privileges,
    dataSummary(cfg!, run.resources),
    prerequisitesSummary(stack, cfg!),
    verdictsSummary(cfg!, manifests),
  );
  files["summary.txt"] = text;
  return {
    stack,
    config: cfg,
    resources: run.resources,
    outputs: run.outputs as unknown as Record<string, unknown>,
    files,
    manifests,
    summary: text,
    notes,
  };
}

/** Renders a stack from its committed stack file. */
export async function renderStack(stack: string, configDir?: string): Promise<StackRender> {
  const { raw, notes } = withPlaceholders(readStackConfig(stack, configDir));
  return renderRaw(stack, raw, notes);
}

/** The one-line message of a configuration error, whichever layer raised it. */
export function configErrorMessage(e: unknown): string | undefined {
  if (e instanceof ConfigError) return e.message;
  // Pulumi's own check (a flag, `__pulumiRunError`, errors.js): it holds across SDK copies
  // and in the bundled CLI, which does not keep class names (scripts/render-cli.js).
  if (pulumi.RunError.isInstance(e) && e.message) return e.message;
  return undefined;
}

/** The bootstrap project's folder (its own Pulumi.yaml and stack files). */
export const BOOTSTRAP_DIR = "bootstrap";

/** Renders a stack of the bootstrap project (bootstrap/Pulumi.<stack>.yaml) as `pulumi up` there would declare it. */
export async function renderBootstrap(stack: string, root: string): Promise<StackRender> {
  const raw = readStackConfig(stack, path.join(root, BOOTSTRAP_DIR), BOOTSTRAP_PROJECT);
  let cfg: BootstrapConfig | undefined;
  const run = await runWithMocks<Record<string, unknown>>(stack, raw, () => createBootstrap((cfg = loadBootstrapConfig())), new Recorder(), BOOTSTRAP_PROJECT);
  const { files, manifests } = renderFiles(run.resources);
  const p = cfg?.pipeline;
  const text = summary(`${BOOTSTRAP_DIR}/${stack}`, run.resources, manifests, [
    "the environment stacks pull the platform image from this repository: push it before their first `pulumi up` (README: a new account)",
    ...(p
      ? [
          `pipeline (R-CI-6): GitHub's OIDC provider; ` +
            p.deployStacks.map((s) => `${pipelineRoleName(s, "deploy")} only from ${pipelineSubject(p.repository, s, "deploy")}, creating roles only under ${boundaryName(s)}`).join("; ") +
            (p.previewStacks.length
              ? `; ${p.previewStacks.map((s) => `${pipelineRoleName(s, "preview")} (read-only) from ${pipelineSubject(p.repository, s, "preview")}`).join("; ")}`
              : "; no preview role: pull requests preview no stack of this account with credentials"),
        ]
      : ["no pipeline identity (pipeline unset): the workflows' roles are not this stack's"]),
  ]);
  files["summary.txt"] = text;
  return { stack: `${BOOTSTRAP_DIR}/${stack}`, resources: run.resources, outputs: run.outputs, files, manifests, summary: text, notes: [] };
}
