// The pipeline's cloud identity (R-CI-6), declared by the bootstrap stack of each account:
// GitHub's OIDC provider, and per stack a deploy role that only the job in the stack's
// GitHub environment can assume and, where pull requests preview the stack, a read-only
// preview role. No long-lived AWS key exists for the pipeline. The documents are
// components/model/pipeline.ts; the workflows assume the roles by name.
import * as iam from "@pulumi/aws/iam";
import * as pulumi from "@pulumi/pulumi";
import { GITHUB_OIDC_URL, boundaryName, boundaryPolicy, deployPolicy, githubTrustPolicy, pipelineRoleName, pipelineSubject, previewPolicy } from "../model/pipeline";

export interface PipelineIdentityArgs {
  repository: string;
  deployStacks: readonly string[];
  previewStacks: readonly string[];
  accountId: string;
  region: string;
}

export class PipelineIdentity extends pulumi.ComponentResource {
  readonly providerArn: pulumi.Output<string>;
  readonly roleArns: Record<string, pulumi.Output<string>> = {};
  /** Per deploy stack: the permissions boundary its roles carry (the stack's aws.permissionsBoundary). */
  readonly boundaryArns: Record<string, pulumi.Output<string>> = {};

  constructor(name: string, args: PipelineIdentityArgs, opts?: pulumi.ComponentResourceOptions) {
    super("agent-platform:pipeline:PipelineIdentity", name, {}, opts);
    const child = { parent: this };
    // AWS trusts GitHub's issuer by its certificate authority: no thumbprint to pin (IAM
    // user guide, "Create an OpenID Connect (OIDC) identity provider"). One per account,
    // shared with anything else that trusts GitHub: kept when this stack goes.
    const provider = new iam.OpenIdConnectProvider(`${name}-github`, { url: GITHUB_OIDC_URL, clientIdLists: ["sts.amazonaws.com"] }, { ...child, retainOnDelete: true });
    this.providerArn = provider.arn;
    const role = (stack: string, purpose: "deploy" | "preview", policy: pulumi.Input<string>) => {
      const r = new iam.Role(
        `${name}-${stack}-${purpose}`,
        {
          // A fixed name: the workflows assume it by name.
          name: pipelineRoleName(stack, purpose),
          assumeRolePolicy: provider.arn.apply((arn) => JSON.stringify(githubTrustPolicy(arn, pipelineSubject(args.repository, stack, purpose)))),
          maxSessionDuration: 3600 * (purpose === "deploy" ? 3 : 1),
        },
        { ...child, deleteBeforeReplace: true },
      );
      new iam.RolePolicy(`${name}-${stack}-${purpose}-policy`, { role: r.id, policy }, child);
      this.roleArns[`${stack}-${purpose}`] = r.arn;
    };
    for (const stack of args.deployStacks) {
      const scope = { stack, accountId: args.accountId, region: args.region };
      const b = new iam.Policy(`${name}-${stack}-boundary`, { name: boundaryName(stack), policy: JSON.stringify(boundaryPolicy(scope)) }, child);
      this.boundaryArns[stack] = b.arn;
      role(stack, "deploy", JSON.stringify(deployPolicy(scope)));
    }
    for (const stack of args.previewStacks) role(stack, "preview", JSON.stringify(previewPolicy()));
    this.registerOutputs({ providerArn: this.providerArn, roleArns: this.roleArns, boundaryArns: this.boundaryArns });
  }
}
