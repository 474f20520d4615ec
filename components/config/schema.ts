// The stack configuration schema (zod): the only definition of the config shape. It
// describes the *resolved* config, the environment profile with the stack file merged
// over it; StackConfig and the profile types are inferred from it. Every field carries a
// description; the configuration reference in README.md is generated from it
// (`npm run docs:config`) and a test fails when the two drift apart.
import { z } from "zod";
import { alertingSchema } from "./alerting";
import { deliverySchema } from "./delivery";
import { ENVIRONMENTS } from "./environments";
import { monitoringSchema } from "./monitoring";
import { observabilitySchema } from "./observability";
import { appSchema, autoscalingSchema, namespaceLimitsSchema, networkSchema, probesSchema, resourcesSchema, shutdownSchema, topologySchema, volumesSchema } from "./workload";
import { clusterSchema } from "./cluster";
import { awsSchema, backupsSchema, memoryStoreSchema, registrySchema } from "./data";
import { dnsLabel } from "./fields";
import { image } from "./images";
import { SecretValue } from "./secret";

export { PROJECT, ENVIRONMENTS, Environment, STRATEGIES, Strategy } from "./environments";






const secret = (description: string) => z.instanceof(SecretValue).describe(`(secret) ${description}`);


export const stackConfigSchema = z.strictObject({
  environment: z.enum(ENVIRONMENTS).describe("Environment profile this stack extends: dev, staging or prod (R-ENV-10)."),
  namespace: dnsLabel.describe("Kubernetes namespace of the platform (default agent-platform-<environment>)."),
  image: image.describe("Platform container image (OCI reference), pinned by tag or digest; never `latest`."),
  replicas: z.number().int().min(1).max(100).describe("Pod replicas when autoscaling is off (R-ENV-1); refused in a stack file while autoscaling.enabled, where the HPA owns the count."),
  resources: resourcesSchema,
  autoscaling: autoscalingSchema,
  logLevel: z.enum(["debug", "info", "warn", "error"]).describe("Application log level (R-ENV-5)."),
  observability: observabilitySchema,
  alerting: alertingSchema,
  monitoring: monitoringSchema,
  externalServices: z
    .enum(["mocked", "real"])
    .describe("Whether external services (model APIs, webhooks) may be mocked; only dev may mock (R-ENV-8)."),
  app: appSchema,
  probes: probesSchema,
  shutdown: shutdownSchema,
  volumes: volumesSchema,
  namespaceLimits: namespaceLimitsSchema,
  topology: topologySchema,
  network: networkSchema,
  delivery: deliverySchema,
  featureFlags: z
    .array(
      z.strictObject({
        key: z.string().regex(/^[a-z][a-z0-9_.-]{0,62}$/, { message: "must be a lower-case flag key such as new-planner" }),
        enabled: z.boolean(),
        percentage: z.number().int().min(0).max(100),
        userTargeting: z.array(z.string().min(1)),
        environmentRestrictions: z.array(z.enum(ENVIRONMENTS)),
      }),
    )
    .describe("Feature flags delivered as a mounted file; changing them starts no rollout (R-PD-8)."),
  cluster: clusterSchema,
  aws: awsSchema,
  memoryStore: memoryStoreSchema,
  backups: backupsSchema,
  registry: registrySchema,
  kubeconfig: secret("Kubeconfig for the target cluster; the ambient context when absent.").optional(),
  kubeContext: z.string().min(1).describe("Context inside the kubeconfig to use.").optional(),
  databaseUrl: secret("PostgreSQL connection URL of the memory store; only with memoryStore.mode external (R-WL-8).").optional(),
  llmApiKey: secret("API key for the hosted model provider.").optional(),
  pagerdutyRoutingKey: secret("PagerDuty Events v2 routing key; required when alerting.paging is on and monitoring.install.").optional(),
  uptimeAlertUrl: secret("HTTPS URL the outside-in uptime alarm notifies (a PagerDuty Amazon CloudWatch integration URL, the service of the P0 pages); required when observability.uptime.enabled and alerting.paging (R-OBS-6).").optional(),
  slackWebhookUrl: secret("Slack incoming-webhook URL; required when monitoring.install.").optional(),
  ticketWebhookUrl: secret("Ticketing webhook URL for P3; required when monitoring.install.").optional(),
  watchdogUrl: secret("Dead-man's-switch URL the always-firing Watchdog is sent to; required when monitoring.install.").optional(),
  smtpPassword: secret("SMTP password of the mail relay (optional: relays that allow the cluster without auth).").optional(),
});

/** The validated configuration of one stack: the profile with the stack file merged over it. */
export type StackConfig = z.output<typeof stackConfigSchema>;
/** What a profile or stack file writes (units as strings, before parsing). */
export type StackConfigInput = z.input<typeof stackConfigSchema>;

/** Keys whose values must be Pulumi secrets (`pulumi config set --secret`). */
export const SECRET_KEYS = [
  "kubeconfig",
  "databaseUrl",
  "llmApiKey",
  "pagerdutyRoutingKey",
  "slackWebhookUrl",
  "ticketWebhookUrl",
  "watchdogUrl",
  "smtpPassword",
  "uptimeAlertUrl",
] as const;
export type SecretKey = (typeof SECRET_KEYS)[number];

/** Keys a stack must set itself: no profile can know them. */
export const REQUIRED_KEYS = ["environment", "image"] as const;

/** Keys with no profile default: the profile is the schema's input without them. */
type StackOnlyKey = (typeof REQUIRED_KEYS)[number] | "namespace" | SecretKey | "kubeContext";
/** An environment profile: every setting with a sane default (`delivery.strategy` is stated per stack). */
export type Profile = Omit<StackConfigInput, StackOnlyKey | "delivery"> & {
  delivery: Omit<StackConfigInput["delivery"], "strategy">;
};

/** Secrets the Alertmanager receivers need, given the resolved alerting and monitoring settings. */
export function receiverSecretKeys(s: { alerting: { paging: boolean }; monitoring: { install: boolean } }): SecretKey[] {
  if (!s.monitoring.install) return [];
  return [...(s.alerting.paging ? (["pagerdutyRoutingKey"] as const) : []), "slackWebhookUrl", "ticketWebhookUrl", "watchdogUrl"];
}

/** The secret the outside-in uptime alarm pages through (R-OBS-6). */
export function uptimeSecretKeys(s: { alerting: { paging: boolean }; observability: { uptime: { enabled: boolean } } }): SecretKey[] {
  return s.observability.uptime.enabled && s.alerting.paging ? ["uptimeAlertUrl"] : [];
}

/** The secret an external memory store needs: its URL (rds and inCluster build theirs). */
export function databaseSecretKeys(s: { memoryStore: { mode: string } }): SecretKey[] {
  return s.memoryStore.mode === "external" ? ["databaseUrl"] : [];
}
