// The CrossGuard policies (R-CI-2, R-CI-5): the rules of REQUIREMENTS that must never
// regress, whatever shape a later change gives them, as plain policy objects in files by
// domain: workload (resources, probes, pod hardening), exposure and access, secrets,
// supply chain, AWS data, IAM and KMS, availability, alerts, delivery. policy/index.ts
// wraps them in a PolicyPack (whose constructor starts the policy server), so tests import
// this module and call each policy with the arguments the engine would pass, and also run
// the pack's own process through the analyzer protocol (test/policy/analyzer.ts).
//
// Every violation message names the resource, the requirement and how to fix it. Policies
// whose rule holds in prod only are named `prod-*`; policy/config/<stack>.json disables
// them elsewhere and sets the enforcement level per environment (mandatory in staging and
// prod, advisory in dev).
//
// @pulumi/awsguard (0.3.1, the newest) targets @pulumi/aws 4 and its inline bucket
// arguments; with @pulumi/aws 7 a bucket's encryption, versioning and public-access block
// are separate resources, so its rules would not see them. The AWS rules here are ours,
// written as stack policies that follow a bucket to the resources that configure it.
import type { ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { alertMetadata, goldenSignals } from "./alerts";
import { pdbAllowsDisruption, pdbs, prodReplicas, prodZeroDowntime } from "./availability";
import { ecrRepository, noWorldOpenPorts, prodRdsMultiAz, rdsSafety, s3Buckets, s3NotPublic, snsTopicsEncrypted, statefulProtected } from "./data";
import { pluginPinned } from "./delivery";
import { ingressTls, namespacePsa, networkPolicyNotAllowAll, noClusterAdmin, noExternalServices } from "./exposure";
import { iamLeastPrivilege, kmsRotation } from "./iam";
import { grafanaAccess, noPlaintextSecrets } from "./secrets";
import { chartsPinned, imagesPinned, prodImageDigests, prodImageRegistry } from "./supply-chain";
import { podHardening, resourcesAndProbes } from "./workload";

/** Every policy of the pack, resource policies first. */
export const POLICIES: Array<ResourceValidationPolicy | StackValidationPolicy> = [
  resourcesAndProbes,
  podHardening,
  imagesPinned,
  prodImageDigests,
  noPlaintextSecrets,
  namespacePsa,
  noExternalServices,
  rdsSafety,
  prodRdsMultiAz,
  ecrRepository,
  statefulProtected,
  // R-CI-5
  prodImageRegistry,
  chartsPinned,
  grafanaAccess,
  ingressTls,
  networkPolicyNotAllowAll,
  noClusterAdmin,
  noWorldOpenPorts,
  s3NotPublic,
  iamLeastPrivilege,
  kmsRotation,
  snsTopicsEncrypted,
  // stack policies
  s3Buckets,
  prodReplicas,
  pdbs,
  pdbAllowsDisruption,
  prodZeroDowntime,
  goldenSignals,
  alertMetadata,
  pluginPinned,
];

export { REQUIRED_ALERTS } from "./alerts";
export { TOKEN_REASON } from "./workload";
export { describeResource } from "./common";

export const PACK_NAME = "agent-platform";
