// The shared test helper: renders stacks through the real program under the recording
// mock runtime (render/mockRuntime.ts) and answers questions about the graph.
import { RawConfig, pluginChecksumMissing, requiredSecretKeys, verdictImageUnpinned } from "../../components/config";
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
  uptimeAlertUrl: "https://events.pagerduty.com/integration/uptime-secret-3d9f/enqueue",
};

/** A fake digest of the rollout-verdict image, as an operator pins it in prod. */
export const TEST_VERDICT_DIGEST = "7c1e9a3b5d7f9e1a3c5b7d9f1e3a5c7b9d1f3e5a7c9b1d3f5e7a9c1b3d5f7e9a";

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
  const verdictImage = verdictImageUnpinned(raw);
  if (verdictImage) {
    const delivery = JSON.parse(raw["agent-platform:delivery"].value) as Record<string, Record<string, unknown>>;
    delivery.verdict = { ...(delivery.verdict ?? {}), image: `${verdictImage}@sha256:${TEST_VERDICT_DIGEST}` };
    raw["agent-platform:delivery"] = { value: JSON.stringify(delivery), secret: false };
  }
  return raw;
}

const cache = new Map<string, Promise<StackRender>>();

/** The part of StrykerJS's global namespace the render cache reads (set only under `npm run mutate`). */
interface StrykerNamespace {
  activeMutant?: string;
  currentTestId?: string;
  mutantCoverage?: { static: Record<string, number>; perTest: Record<string, Record<string, number>> };
}

/** A render with no mutant active, and the ids of the mutants whose code that render ran. */
interface Baseline {
  render: StackRender;
  hits: string[];
}
const baselines = new Map<string, Promise<Baseline>>();
// Renders under StrykerJS run one at a time: a baseline render switches the active mutant
// off and the coverage to its own key, which must not leak into another render.
let queue: Promise<unknown> = Promise.resolve();
function serial<T>(f: () => Promise<T>): Promise<T> {
  const next = queue.then(f, f);
  queue = next.catch(() => undefined);
  return next;
}

function baseline(ns: StrykerNamespace, name: StackName): Promise<Baseline> {
  if (!baselines.has(name)) {
    baselines.set(
      name,
      serial(async () => {
        const key = `stack-render:${name}`;
        const saved = { mutant: ns.activeMutant, test: ns.currentTestId };
        ns.activeMutant = undefined;
        ns.currentTestId = key;
        try {
          const render = await renderRaw(name, stackRaw(name));
          return { render, hits: Object.keys(ns.mutantCoverage?.perTest[key] ?? {}) };
        } finally {
          delete ns.mutantCoverage?.perTest[key];
          ns.activeMutant = saved.mutant;
          ns.currentTestId = saved.test;
        }
      }),
    );
  }
  return baselines.get(name)!;
}

/**
 * Renders a committed stack with the test secrets; cached per process (the graph is
 * immutable).
 *
 * Under StrykerJS (`npm run mutate`) the code changes between runs without a reload
 * (mutation switching). The render is deterministic, so a mutant whose code the render
 * never runs cannot change it: each process renders each stack once with no mutant
 * active, recording the mutants that render reaches (Stryker's own coverage counters),
 * and renders again only for those. In the dry run the recorded mutants count as
 * covered by every test that asks for the stack, so per-test coverage stays true.
 */
export async function stack(name: StackName): Promise<StackRender> {
  const ns = (globalThis as { __stryker__?: StrykerNamespace }).__stryker__;
  if (ns === undefined) {
    if (!cache.has(name)) cache.set(name, renderRaw(name, stackRaw(name)));
    return cache.get(name)!;
  }
  const base = await baseline(ns, name);
  const mutant = ns.activeMutant;
  if (mutant === undefined) {
    const test = ns.currentTestId;
    const coverage = (ns.mutantCoverage ??= { static: {}, perTest: {} });
    const counts = test === undefined ? coverage.static : (coverage.perTest[test] ??= {});
    for (const id of base.hits) counts[id] = (counts[id] ?? 0) + 1;
    return base.render;
  }
  if (!base.hits.includes(mutant)) return base.render;
  const key = `${mutant}:${name}`;
  if (!cache.has(key)) {
    // One mutant at a time: drop the graphs of earlier mutants rather than keep them all.
    for (const k of [...cache.keys()]) if (!k.startsWith(`${mutant}:`)) cache.delete(k);
    cache.set(key, serial(() => renderRaw(name, stackRaw(name))));
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

/** NetworkPolicy ports as the program writes them: TCP, one entry per port. */
export const tcpPorts = (...ports: number[]) => ports.map((port) => ({ protocol: "TCP", port }));
