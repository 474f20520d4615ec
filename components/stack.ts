// createStack: the composition root shared by `pulumi up`, the render command and the
// tests. It takes a validated StackConfig and declares every component.
import { Provider as AwsProvider } from "@pulumi/aws/provider";
import type { Region } from "@pulumi/aws/types/enums";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { StackConfig } from "./config";
import { ClusterPrerequisites } from "./cluster/prerequisites";
import { Isolation } from "./isolation/isolation";
import { DeliveryPlan, deliveryPlan } from "./model/delivery";
import { alertCatalogue } from "./model/alerts";
import { UPTIME_REGION } from "./model/observability";
import { AlertRules } from "./monitoring/alert-rules";
import { Dashboards } from "./monitoring/dashboards";
import { MonitoringStack } from "./monitoring/monitoring-stack";
import { ObservabilityStack } from "./observability/observability-stack";
import { UptimeCheck } from "./observability/uptime-check";
import { Scraping } from "./monitoring/scraping";
import { BackupStore } from "./data/backup-store";
import { DataKey } from "./data/data-key";
import { MemoryStore } from "./data/memory-store";
import { AgentPlatform } from "./platform/agent-platform";

export interface StackOutputs {
  environment: string;
  namespace: pulumi.Output<string>;
  serviceName: pulumi.Output<string>;
  serviceUrl: pulumi.Output<string>;
  workload: pulumi.Output<string>;
  replicas: string;
  /** The delivery strategy, canary stages and worst-case rollback times (R-PD). */
  deliveryPlan: DeliveryPlan;
  monitoring: {
    installed: boolean;
    prometheusRule: pulumi.Output<string>;
    alerts: Record<string, number>;
    dashboards: string[];
  };
  data: {
    memoryStore: string;
    databaseEndpoint?: pulumi.Output<string>;
    backupBucket?: pulumi.Output<string>;
  };
}

export function createStack(cfg: StackConfig): StackOutputs {
  // One explicit provider for every Kubernetes object: the kubeconfig comes from a
  // secret config value, or the ambient context (KUBECONFIG, ~/.kube/config) when unset.
  const provider = new k8s.Provider("k8s", {
    kubeconfig: cfg.kubeconfig ? pulumi.secret(cfg.kubeconfig.reveal()) : undefined,
    context: cfg.kubeContext,
    enableServerSideApply: true,
    // Since provider 4.29 a create refuses an object that already exists; adopting one
    // (e.g. a pre-existing `monitoring` namespace) is a deliberate, one-off setting.
    upsertExistingObjects: cfg.cluster.adoptExistingObjects,
  });
  const providers: Record<string, pulumi.ProviderResource> = { kubernetes: provider };
  if (cfg.aws.enabled) {
    // One explicit AWS provider: the region and account are the stack's, checked against
    // the credentials before anything is created; every resource gets the stack's tags.
    providers.aws = new AwsProvider("aws", {
      region: cfg.aws.region as Region,
      allowedAccountIds: cfg.aws.accountId ? [cfg.aws.accountId] : undefined,
      defaultTags: { tags: cfg.aws.tags },
    });
    // R-DATA-8: the second region's provider (same account, same tags); only the
    // disaster-recovery resources use it, by explicit `provider`.
    // R-OBS-6: Route 53 publishes health-check metrics in us-east-1 only: the uptime alarm lives there.
    if (cfg.observability.install && cfg.observability.uptime.enabled) {
      providers.awsUsEast1 = new AwsProvider("aws-us-east-1", {
        region: UPTIME_REGION,
        allowedAccountIds: cfg.aws.accountId ? [cfg.aws.accountId] : undefined,
        defaultTags: { tags: cfg.aws.tags },
      });
    }
    if (cfg.backups.enabled && cfg.backups.disasterRecovery.enabled) {
      providers.awsRecovery = new AwsProvider("aws-recovery", {
        region: cfg.backups.disasterRecovery.region as Region,
        allowedAccountIds: cfg.aws.accountId ? [cfg.aws.accountId] : undefined,
        defaultTags: { tags: cfg.aws.tags },
      });
    }
  }
  const opts = { providers: { kubernetes: providers.kubernetes, ...(providers.aws ? { aws: providers.aws } : {}) } };

  const isolation = new Isolation("isolation", { config: cfg }, opts);
  // R-ENV-14: the prerequisites this stack installs (the rest index.ts checks before this runs).
  const cluster = new ClusterPrerequisites("cluster", { config: cfg }, opts);

  // R-DATA: the key, the memory store and its roles, then the platform that uses them.
  const key = cfg.aws.enabled ? new DataKey("data-key", { config: cfg }, opts).key : undefined;
  const memory = new MemoryStore("memory-store", { config: cfg, namespace: isolation.namespace, key, storage: cluster.storage }, { ...opts, dependsOn: [isolation] });
  const platform = new AgentPlatform(
    "agent-platform",
    { config: cfg, namespace: isolation.namespace, databaseUrl: memory.appUrl, databaseReady: memory.ready, routing: cluster.routing, metrics: cluster.metrics },
    opts,
  );
  const backups =
    cfg.backups.enabled && key
      ? new BackupStore(
          "backups",
          { config: cfg, namespace: isolation.namespace, key, dependsOn: memory.ready, recoveryProvider: providers.awsRecovery, instance: memory.instance },
          { ...opts, dependsOn: [isolation] },
        )
      : undefined;

  // Monitoring: the stack itself (optional), then what the platform brings to it. The
  // ServiceMonitor/Probe/PrometheusRule CRDs come with the kube-prometheus-stack release.
  const monitoring = new MonitoringStack("monitoring", { config: cfg, storage: cluster.storage }, opts);
  const monitoringArgs = { config: cfg, namespace: isolation.namespace, dependsOn: monitoring.crdReleases };
  new Scraping("scraping", monitoringArgs, opts);
  const rules = new AlertRules("alert-rules", monitoringArgs, opts);
  const boards = new Dashboards("dashboards", { config: cfg, dependsOn: monitoring.crdReleases }, opts);
  // R-OBS: logs and traces beside the metrics; their PodMonitors need the monitoring CRDs.
  new ObservabilityStack("observability", { config: cfg, key, dependsOn: monitoring.crdReleases, storage: cluster.storage }, opts);
  if (providers.awsUsEast1) new UptimeCheck("uptime", { config: cfg, provider: providers.awsUsEast1 }, opts);
  const alertsByPriority: Record<string, number> = {};
  for (const a of alertCatalogue(cfg)) alertsByPriority[a.priority] = (alertsByPriority[a.priority] ?? 0) + 1;

  return {
    environment: cfg.environment,
    namespace: isolation.namespace,
    serviceName: platform.serviceName,
    serviceUrl: platform.serviceUrl,
    workload: platform.workloadName,
    replicas: cfg.autoscaling.enabled
      ? `${cfg.autoscaling.minReplicas}..${cfg.autoscaling.maxReplicas} (HPA)`
      : String(cfg.replicas),
    deliveryPlan: deliveryPlan(cfg),
    monitoring: {
      installed: cfg.monitoring.install,
      prometheusRule: rules.ruleName,
      alerts: alertsByPriority,
      dashboards: boards.titles,
    },
    data: {
      memoryStore: cfg.memoryStore.mode,
      databaseEndpoint: memory.endpoint,
      backupBucket: backups?.bucketName,
    },
  };
}
