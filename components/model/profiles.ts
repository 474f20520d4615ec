// Environment profiles: the per-environment numbers of REQUIREMENTS §1 (R-ENV-1..8) and
// the workload defaults of §2. A stack file names its environment and states only what
// differs (R-ENV-10); components/config merges the stack file over the profile here.
//
// Pure data: no Pulumi, no I/O. Every value is a *default* and stays configurable.

export const ENVIRONMENTS = ["dev", "staging", "prod"] as const;
export type Environment = (typeof ENVIRONMENTS)[number];

/** The shape of a profile: every stack setting except the ones that have no sane default. */
export interface Profile {
  replicas: number;
  resources: {
    requests: { cpu: string; memory: string };
    limits: { cpu: string; memory: string };
  };
  autoscaling: {
    enabled: boolean;
    minReplicas: number;
    maxReplicas: number;
    targetCpuUtilization: number;
    targetMemoryUtilization: number;
    scaleDownStabilization: string;
  };
  logLevel: "debug" | "info" | "warn" | "error";
  observability: {
    tracing: "off" | "basic" | "detailed" | "comprehensive";
    profiling: boolean;
    slaMonitoring: boolean;
  };
  alerting: {
    paging: boolean;
    thresholds: "informational" | "relaxed" | "strict";
  };
  externalServices: "mocked" | "real";
  app: {
    port: number;
    apiPrefix: string;
    rateLimitPerMinute: number;
  };
  probes: {
    healthPath: string;
    livenessPeriod: string;
    livenessTimeout: string;
    livenessFailureThreshold: number;
    readinessPeriod: string;
    startupBudget: string;
  };
  shutdown: {
    preStopDelay: string;
    terminationGracePeriod: string;
  };
  volumes: {
    logsSizeLimit: string;
    uploadsSizeLimit: string;
    tmpSizeLimit: string;
  };
  topology: {
    zoneSpread: "required" | "preferred";
    nodeSpread: "required" | "preferred";
  };
  network: {
    ingressNamespaces: string[];
    monitoringNamespace: string;
    databaseCidrs: string[];
    databasePort: number;
    egress: Array<{ cidr: string; except: string[]; ports: number[] }>;
  };
}

// Egress the agents need to reach hosted model APIs: HTTPS anywhere on the public
// internet, never the cluster's private ranges nor the cloud metadata endpoint.
const PUBLIC_HTTPS_EGRESS = [
  {
    cidr: "0.0.0.0/0",
    except: ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "169.254.169.254/32"],
    ports: [443],
  },
];

const common: Pick<Profile, "app" | "probes" | "network"> = {
  app: { port: 3000, apiPrefix: "/api/v1", rateLimitPerMinute: 100 },
  probes: {
    healthPath: "/health",
    livenessPeriod: "30s",
    livenessTimeout: "5s",
    livenessFailureThreshold: 3,
    readinessPeriod: "10s",
    startupBudget: "30s",
  },
  network: {
    ingressNamespaces: ["gateway-system"],
    monitoringNamespace: "monitoring",
    databaseCidrs: ["10.0.0.0/8"],
    databasePort: 5432,
    egress: PUBLIC_HTTPS_EGRESS,
  },
};

export const PROFILES: Record<Environment, Profile> = {
  dev: {
    replicas: 1,
    resources: {
      requests: { cpu: "500m", memory: "1Gi" },
      limits: { cpu: "500m", memory: "1Gi" },
    },
    autoscaling: {
      enabled: false,
      minReplicas: 1,
      maxReplicas: 2,
      targetCpuUtilization: 70,
      targetMemoryUtilization: 80,
      scaleDownStabilization: "5m",
    },
    logLevel: "debug",
    observability: { tracing: "detailed", profiling: true, slaMonitoring: false },
    alerting: { paging: false, thresholds: "informational" },
    externalServices: "mocked",
    app: { ...common.app },
    probes: { ...common.probes },
    shutdown: { preStopDelay: "5s", terminationGracePeriod: "60s" },
    volumes: { logsSizeLimit: "256Mi", uploadsSizeLimit: "512Mi", tmpSizeLimit: "128Mi" },
    topology: { zoneSpread: "preferred", nodeSpread: "preferred" },
    network: clone(common.network),
  },
  staging: {
    replicas: 2,
    resources: {
      requests: { cpu: "750m", memory: "1.5Gi" },
      limits: { cpu: "750m", memory: "1.5Gi" },
    },
    autoscaling: {
      enabled: false,
      minReplicas: 2,
      maxReplicas: 4,
      targetCpuUtilization: 70,
      targetMemoryUtilization: 80,
      scaleDownStabilization: "5m",
    },
    logLevel: "info",
    observability: { tracing: "basic", profiling: false, slaMonitoring: false },
    alerting: { paging: false, thresholds: "relaxed" },
    externalServices: "real",
    app: { ...common.app },
    probes: { ...common.probes },
    shutdown: { preStopDelay: "10s", terminationGracePeriod: "120s" },
    volumes: { logsSizeLimit: "512Mi", uploadsSizeLimit: "1Gi", tmpSizeLimit: "256Mi" },
    topology: { zoneSpread: "preferred", nodeSpread: "preferred" },
    network: clone(common.network),
  },
  prod: {
    replicas: 3,
    resources: {
      requests: { cpu: "1000m", memory: "2Gi" },
      limits: { cpu: "1000m", memory: "2Gi" },
    },
    autoscaling: {
      enabled: true,
      minReplicas: 3,
      maxReplicas: 10,
      targetCpuUtilization: 70,
      targetMemoryUtilization: 80,
      scaleDownStabilization: "5m",
    },
    logLevel: "info",
    observability: { tracing: "comprehensive", profiling: false, slaMonitoring: true },
    alerting: { paging: true, thresholds: "strict" },
    externalServices: "real",
    app: { ...common.app },
    probes: { ...common.probes },
    shutdown: { preStopDelay: "15s", terminationGracePeriod: "300s" },
    volumes: { logsSizeLimit: "1Gi", uploadsSizeLimit: "2Gi", tmpSizeLimit: "256Mi" },
    topology: { zoneSpread: "preferred", nodeSpread: "required" },
    network: clone(common.network),
  },
};

function clone<T>(v: T): T {
  return JSON.parse(JSON.stringify(v)) as T;
}
