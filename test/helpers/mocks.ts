// The shared test helper: renders stacks through the real program under the recording
// mock runtime (render/mockRuntime.ts) and answers questions about the graph.
import { RawConfig, pluginChecksumMissing, requiredSecretKeys } from "../../components/config";
import { StackRender, renderRaw, withPlaceholders } from "../../render";
import { Manifest } from "../../render/manifests";
import { readStackConfig } from "../../components/config/stackFile";

export const STACKS = ["dev", "staging", "prod"] as const;
export type StackName = (typeof STACKS)[number];

/** Known fake secret values, so tests can prove they never reach rendered output. */
export const TEST_SECRETS = {
  databaseUrl: "postgres://agent:Sup3r-S3cret-Db-Pa55@db.internal:5432/memory",
  llmApiKey: "sk-test-4f1c9a7e2b6d8e0f",
  kubeconfig: "apiVersion: v1\nkind: Config\nusers:\n- name: ci\n  user:\n    token: kube-token-9c2e7d51\n",
  pagerdutyRoutingKey: "pd-routing-key-5e0b2c1f9a7d",
  slackWebhookUrl: "https://hooks.slack.com/services/T000/B000/slack-secret-7f3a",
  ticketWebhookUrl: "https://tickets.internal/hooks/ticket-secret-2b8e",
  watchdogUrl: "https://deadman.internal/ping/watchdog-secret-91cd",
  smtpPassword: "smtp-Pa55-4c7e",
};

/** A fake checksum of the Gateway API plugin, as an operator sets it for a canary stack. */
export const TEST_PLUGIN_SHA256 = "5f0e3c1a9b7d2e4f6a8c0b1d3e5f7a9c2b4d6e8f0a1c3e5b7d9f1a3c5e7b9d0f";

/**
 * The committed stack file's config with the test secrets set, as `pulumi config set
 * --secret` would, and the plugin checksum where the stack installs the plugin.
 */
export function stackRaw(stack: string, overrides: Record<string, unknown> = {}): RawConfig {
  const raw: RawConfig = { ...readStackConfig(stack) };
  for (const [k, v] of Object.entries(TEST_SECRETS)) {
    if (k !== "databaseUrl") raw[`agent-platform:${k}`] = { value: v, secret: true };
  }
  for (const [k, v] of Object.entries(overrides)) {
    const full = `agent-platform:${k}`;
    if (v === undefined) delete raw[full];
    else raw[full] = { value: typeof v === "string" ? v : JSON.stringify(v), secret: false };
  }
  // The URL only where the memory store is external: rds and inCluster build their own.
  if (requiredSecretKeys(raw).includes("databaseUrl") && !raw["agent-platform:databaseUrl"]) {
    raw["agent-platform:databaseUrl"] = { value: TEST_SECRETS.databaseUrl, secret: true };
  }
  if (pluginChecksumMissing(raw)) {
    const delivery = JSON.parse(raw["agent-platform:delivery"].value) as Record<string, Record<string, unknown>>;
    delivery.gatewayPlugin = { ...(delivery.gatewayPlugin ?? {}), sha256: TEST_PLUGIN_SHA256 };
    raw["agent-platform:delivery"] = { value: JSON.stringify(delivery), secret: false };
  }
  return raw;
}

const cache = new Map<string, Promise<StackRender>>();

/**
 * Renders a committed stack with the test secrets; cached per process (the graph is
 * immutable). Under StrykerJS the code changes between runs without a reload (mutation
 * switching), so the key includes the active mutant: each mutant gets its own renders;
 * its dry run renders per test so that coverage per test is true.
 */
export function stack(name: StackName): Promise<StackRender> {
  const stryker = (globalThis as { __stryker__?: { activeMutant?: string } }).__stryker__;
  // Stryker's dry run measures which tests cover which code: every test renders for itself.
  if (stryker !== undefined && stryker.activeMutant === undefined) return renderRaw(name, stackRaw(name));
  const mutant = stryker?.activeMutant;
  const key = mutant === undefined ? name : `${mutant}:${name}`;
  if (!cache.has(key)) {
    // One mutant at a time: drop the graphs of earlier mutants rather than keep them all.
    if (mutant !== undefined) for (const k of [...cache.keys()]) if (!k.startsWith(`${mutant}:`)) cache.delete(k);
    cache.set(key, renderRaw(name, stackRaw(name)));
  }
  return cache.get(key)!;
}

/** Renders a committed stack exactly as `npm run render` does (placeholders for missing secrets). */
export function committedStack(name: StackName): Promise<StackRender> {
  const { raw, notes } = withPlaceholders(readStackConfig(name));
  return renderRaw(name, raw, notes);
}

export function objects(r: StackRender, kind: string): Manifest[] {
  return r.manifests.filter((m) => m.kind === kind);
}

export function one(r: StackRender, kind: string, name?: string): Manifest {
  const found = objects(r, kind).filter((m) => name === undefined || m.metadata.name === name);
  if (found.length !== 1) {
    throw new Error(`expected exactly one ${kind}${name ? ` named ${name}` : ""} in ${r.stack}, found ${found.length}`);
  }
  return found[0];
}

/** Every pod spec in the graph (Deployments, Rollouts, Jobs, CronJobs). */
export function podSpecs(r: StackRender): Array<{ owner: string; spec: any }> {
  const out: Array<{ owner: string; spec: any }> = [];
  for (const m of r.manifests as any[]) {
    const spec = m.spec?.template?.spec ?? m.spec?.jobTemplate?.spec?.template?.spec;
    if (spec?.containers) out.push({ owner: `${m.kind}/${m.metadata.name}`, spec });
  }
  return out;
}

/** The platform workload: a Deployment (rolling) or an Argo Rollout (blue/green, canary). */
export function workload(r: StackRender): any {
  const found = r.manifests.filter((m) => ["Deployment", "Rollout"].includes(m.kind) && m.metadata.name === "agent-platform");
  if (found.length !== 1) throw new Error(`expected one agent-platform workload in ${r.stack}, found ${found.length}`);
  return found[0];
}
