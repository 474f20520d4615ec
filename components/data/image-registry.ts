// The platform image's ECR repository (R-DATA-4), declared by the bootstrap stack
// (components/bootstrap.ts) so it exists and holds the image before an environment pulls it.
import * as ecr from "@pulumi/aws/ecr";
import * as kms from "@pulumi/aws/kms";
import * as pulumi from "@pulumi/pulumi";
import { ecrLifecyclePolicy } from "../model/data/aws";

/** Objects that hold data are protected: `pulumi destroy` and replacements stop at them. */
const PROTECT = { protect: true };

export interface ImageRegistryArgs {
  repository: string;
  untaggedExpiryDays: number;
  keepImages: number;
  /** The key the images are encrypted with. */
  key: kms.Key;
}

/** The platform image's ECR repository (R-DATA-4): scanned on push, immutable tags, KMS, lifecycle. */
export class ImageRegistry extends pulumi.ComponentResource {
  readonly repositoryUrl: pulumi.Output<string>;

  constructor(name: string, args: ImageRegistryArgs, opts?: pulumi.ComponentResourceOptions) {
    super("agent-platform:data:ImageRegistry", name, {}, opts);
    const repo = new ecr.Repository(
      `${name}-repository`,
      {
        // A fixed name: every image reference names it.
        name: args.repository,
        imageTagMutability: "IMMUTABLE",
        imageScanningConfiguration: { scanOnPush: true },
        encryptionConfigurations: [{ encryptionType: "KMS", kmsKey: args.key.arn }],
        forceDelete: false,
      },
      { parent: this, ...PROTECT },
    );
    new ecr.LifecyclePolicy(`${name}-lifecycle`, { repository: repo.name, policy: JSON.stringify(ecrLifecyclePolicy(args)) }, { parent: this });
    this.repositoryUrl = repo.repositoryUrl;
    this.registerOutputs({ repositoryUrl: this.repositoryUrl });
  }
}
