// The bootstrap stack (R-ENV-14, R-DATA-4, R-CI-6): what an account needs before any
// environment stack runs, in a Pulumi project of its own (bootstrap/): the platform
// image's ECR repository, encrypted with a key of its own, and the pipeline's identity
// (GitHub's OIDC provider and the workflows' roles). Prod's image is pushed there between the
// bootstrap's `pulumi up` and prod's, so nothing pulls from an empty registry (README: a
// new account); prod's preflight checks the image is there.
import * as kms from "@pulumi/aws/kms";
import { Provider as AwsProvider } from "@pulumi/aws/provider";
import type { Region } from "@pulumi/aws/types/enums";
import * as pulumi from "@pulumi/pulumi";
import type { BootstrapConfig } from "./config/bootstrap";
import { ImageRegistry } from "./data/image-registry";
import { PipelineIdentity } from "./pipeline/pipeline-identity";
import { KEY_LIFECYCLE } from "./model/data/aws";
import { APP_NAME } from "./model/names";

/** Objects that hold data are protected: `pulumi destroy` and replacements stop at them. */
const PROTECT = { protect: true };

export interface BootstrapOutputs {
  repositoryUrl: pulumi.Output<string>;
  registryKeyArn: pulumi.Output<string>;
  /** GitHub's OIDC provider (the stacks' backups.ciWriter.oidcProviderArn) and the workflows' roles, where `pipeline` is set. */
  pipeline?: { githubOidcProviderArn: pulumi.Output<string>; roleArns: Record<string, pulumi.Output<string>>; boundaryArns: Record<string, pulumi.Output<string>> };
}

export function createBootstrap(cfg: BootstrapConfig): BootstrapOutputs {
  const provider = new AwsProvider("aws", {
    region: cfg.region as Region,
    allowedAccountIds: [cfg.accountId],
    defaultTags: { tags: cfg.tags },
  });
  const opts = { provider };
  const key = new kms.Key(
    "registry-key",
    {
      description: `${APP_NAME}: container images`,
      keyUsage: "ENCRYPT_DECRYPT",
      ...KEY_LIFECYCLE,
    },
    { ...opts, ...PROTECT },
  );
  new kms.Alias("registry-key-alias", { name: `alias/${APP_NAME}-registry`, targetKeyId: key.keyId }, { ...opts, deleteBeforeReplace: true });
  const registry = new ImageRegistry("registry", { ...cfg.registry, key }, opts);
  const p = cfg.pipeline;
  const pipeline = p
    ? new PipelineIdentity("pipeline", { ...p, accountId: cfg.accountId, region: cfg.region }, opts)
    : undefined;
  return {
    repositoryUrl: registry.repositoryUrl,
    registryKeyArn: key.arn,
    ...(pipeline ? { pipeline: { githubOidcProviderArn: pipeline.providerArn, roleArns: pipeline.roleArns, boundaryArns: pipeline.boundaryArns } } : {}),
  };
}
