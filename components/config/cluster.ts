// What the cluster must hold before the program's objects can work (R-ENV-14): the
// Gateway API CRDs and the Gateway the canary's HTTPRoute attaches to, metrics-server
// (the HPA's CPU and memory readings), a StorageClass on a CSI driver (every volume the
// program claims). Each is installed by the stack (pinned, opt-in per environment) or,
// when the stack needs it and does not install it, checked against the live cluster
// before anything is declared (components/preflight). Shapes only; which stacks need
// what is in model/prerequisites.ts.
import { z } from "zod";
import { chartVersion, containerResources, dnsLabel, port, text } from "./fields";

/** A DNS subdomain (RFC 1123): StorageClass and GatewayClass names, CSI driver names. */
const dnsSubdomain = text("a DNS subdomain such as ebs.csi.aws.com").regex(/^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/, {
  message: "must be a lower-case DNS subdomain such as ebs.csi.aws.com",
});

export const clusterSchema = z
  .strictObject({
    adoptExistingObjects: z
      .boolean()
      .describe(
        "Adopt objects that already exist in the cluster (e.g. a `monitoring` namespace) on create instead of failing: the Kubernetes provider's upsertExistingObjects (client-side create refuses existing objects since provider 4.29). Set it for the one `pulumi up` that adopts them, then unset it (docs/cluster.md).",
      ),
    gatewayApi: z
      .strictObject({
        install: z.boolean().describe("Install the Gateway API CRDs (standard channel) from the release's standard-install.yaml; off where the platform team or the gateway implementation installs them."),
        version: text("a Gateway API release such as v1.2.1")
          .regex(/^v\d+\.\d+\.\d+$/, { message: "must be a Gateway API release tag such as v1.2.1" })
          .describe("Gateway API release whose standard-channel CRDs are installed."),
      })
      .describe("Gateway API CRDs (HTTPRoute, Gateway, GatewayClass): needed by a canary routed through the Gateway API."),
    gateway: z
      .strictObject({
        install: z
          .boolean()
          .describe("Declare the Gateway delivery.gateway names (and its namespace, PSA restricted); off where a shared Gateway exists."),
        className: dnsSubdomain.describe("GatewayClass of the Gateway (the implementation's, e.g. amazon-vpc-lattice or eg); it must exist in the cluster.").optional(),
        protocol: z.enum(["HTTP", "HTTPS"]).describe("Protocol of the Gateway's one listener (HTTPS terminates TLS with tlsSecretName)."),
        port: port.describe("Port of the Gateway's listener."),
        tlsSecretName: dnsSubdomain.describe("Secret (kubernetes.io/tls) in the Gateway's namespace with the listener's certificate; required for HTTPS.").optional(),
      })
      .describe("The Gateway the canary's HTTPRoute attaches to (delivery.gateway.name in delivery.gateway.namespace)."),
    metricsServer: z
      .strictObject({
        install: z.boolean().describe("Install metrics-server (kubernetes-sigs chart) in its own namespace; off where the cluster runs it (e.g. the EKS add-on)."),
        namespace: dnsLabel.describe("Namespace of metrics-server (PSA restricted, default-deny NetworkPolicies)."),
        chartVersion: chartVersion.describe("Pinned metrics-server chart version."),
        replicas: z.number().int().min(1).max(5).describe("metrics-server replicas (a PDB keeps one when there are two or more)."),
        resources: containerResources("metrics-server"),
      })
      .describe("metrics-server: the HPA's CPU and memory readings (metrics.k8s.io); needed where autoscaling is on."),
    storageClass: z
      .strictObject({
        install: z.boolean().describe("Declare the StorageClass `name` on the CSI `provisioner`; off where the cluster has one."),
        name: dnsSubdomain
          .describe("StorageClass every volume the program claims names (Prometheus, Alertmanager, Grafana, the in-cluster PostgreSQL); the cluster's default class when unset and not installed.")
          .optional(),
        provisioner: dnsSubdomain.describe("CSI driver of the class (ebs.csi.aws.com on EKS: the aws-ebs-csi-driver add-on); it must be installed in the cluster."),
        parameters: z.record(z.string(), z.string()).describe("Parameters of the class (for EBS: type gp3, encrypted true)."),
        reclaimPolicy: z.enum(["Retain", "Delete"]).describe("What happens to a volume when its claim is deleted: Retain keeps the data."),
        makeDefault: z.boolean().describe("Mark the installed class as the cluster's default (storageclass.kubernetes.io/is-default-class)."),
      })
      .describe("A StorageClass on a CSI driver for the volumes the program claims."),
  })
  .describe("Cluster prerequisites (R-ENV-14): installed by the stack or checked at preview (README: a new cluster).");
