// The stack's customer-managed KMS key (R-DATA-0, R-DATA-1): yearly rotation, a 30-day
// deletion window, protected; the database, Performance Insights and the backup bucket
// are encrypted with it.
import * as kms from "@pulumi/aws/kms";
import * as pulumi from "@pulumi/pulumi";
import type { StackConfig } from "../config";
import { KEY_LIFECYCLE } from "../model/data/aws";
import { APP_NAME } from "../model/names";

/** Objects that hold data are protected: `pulumi destroy` and replacements stop at them. */
const PROTECT = { protect: true };

/** The slice of the stack configuration this component reads. */
export type DataKeyConfig = Pick<StackConfig, "environment">;

export interface DataKeyArgs {
  config: DataKeyConfig;
}

/** The stack's customer-managed KMS key (rotation on) for the database and the bucket. */
export class DataKey extends pulumi.ComponentResource {
  readonly key: kms.Key;

  constructor(name: string, args: DataKeyArgs, opts?: pulumi.ComponentResourceOptions) {
    super("agent-platform:data:DataKey", name, {}, opts);
    const cfg = args.config;
    this.key = new kms.Key(
      `${name}-key`,
      {
        description: `${APP_NAME} ${cfg.environment}: memory store, backups`,
        keyUsage: "ENCRYPT_DECRYPT",
        ...KEY_LIFECYCLE,
      },
      { parent: this, ...PROTECT },
    );
    // Operators name the key by its alias, so it stays fixed; a replacement deletes it first.
    new kms.Alias(`${name}-alias`, { name: `alias/${APP_NAME}-${cfg.environment}-data`, targetKeyId: this.key.keyId }, { parent: this, deleteBeforeReplace: true });
    this.registerOutputs({ keyArn: this.key.arn });
  }
}
