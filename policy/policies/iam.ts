// IAM and KMS policies (R-DATA-3, R-CI-5): no wildcard actions, no write on every
// resource, no AWS-managed administrator policies, web-identity trust only for a named
// subject, no trust of everyone, and customer-managed keys that rotate.
import type { ResourceValidationPolicy } from "@pulumi/policy";
import { type Props, describeResource, list } from "./common";

/** Resource types whose `policy` is an identity policy document. */
const IDENTITY_POLICIES = ["aws:iam/policy:Policy", "aws:iam/rolePolicy:RolePolicy", "aws:iam/userPolicy:UserPolicy", "aws:iam/groupPolicy:GroupPolicy"];
/** AWS-managed policies that grant (nearly) everything. */
const ADMIN_POLICIES = ["AdministratorAccess", "PowerUserAccess", "IAMFullAccess"].map((n) => `arn:aws:iam::aws:policy/${n}`);
const ATTACHMENTS = ["aws:iam/rolePolicyAttachment:RolePolicyAttachment", "aws:iam/userPolicyAttachment:UserPolicyAttachment", "aws:iam/groupPolicyAttachment:GroupPolicyAttachment", "aws:iam/policyAttachment:PolicyAttachment"];
/** Reads of data (not of configuration) that must never span every resource. */
const DATA_READS = /^(s3:GetObject|secretsmanager:GetSecretValue|ssm:GetParameter|kms:Decrypt|kms:GenerateDataKey|dynamodb:(Get|BatchGet|Query|Scan)|rds-db:connect)/;

const documentOf = (v: unknown): Props | undefined => {
  if (typeof v === "string") {
    try {
      return JSON.parse(v);
    } catch {
      return undefined;
    }
  }
  return typeof v === "object" && v !== null ? (v as Props) : undefined;
};
const statements = (doc: Props | undefined): Props[] => list([doc?.Statement].flat().filter(Boolean));

/** What an Allow statement grants too widely. `resourceWildcardActions` may act on "*". */
export function wildcardProblems(doc: Props | undefined, resourceWildcardActions: string[]): string[] {
  const problems: string[] = [];
  for (const [i, st] of statements(doc).entries()) {
    if (st.Effect !== "Allow") continue;
    const sid = st.Sid ? `statement ${st.Sid}` : `statement ${i + 1}`;
    if (st.NotAction !== undefined) problems.push(`${sid} allows NotAction (everything but a list)`);
    if (st.NotResource !== undefined) problems.push(`${sid} allows NotResource (everything but a list)`);
    const actions = [st.Action].flat().filter((a) => a !== undefined).map(String);
    const wild = actions.filter((a) => a.includes("*"));
    if (wild.length) problems.push(`${sid} allows wildcard actions ${wild.join(", ")}`);
    if ([st.Resource].flat().includes("*")) {
      const wide = actions.filter(
        (a) => !a.includes("*") && !resourceWildcardActions.includes(a) && (DATA_READS.test(a) || !/^[a-z0-9-]+:(Describe|List|Get)/.test(a)),
      );
      if (wide.length) problems.push(`${sid} allows ${wide.join(", ")} on every resource ("*")`);
    }
  }
  return problems;
}

/** What a trust policy lets in too widely: everyone, or a web identity without a subject. */
export function trustProblems(doc: Props | undefined): string[] {
  const problems: string[] = [];
  for (const [i, st] of statements(doc).entries()) {
    if (st.Effect !== "Allow") continue;
    const sid = st.Sid ? `statement ${st.Sid}` : `statement ${i + 1}`;
    const p = st.Principal;
    if (p === "*" || [p?.AWS].flat().includes("*")) problems.push(`${sid} trusts every principal ("*")`);
    const federated = [p?.Federated].flat().filter(Boolean).map(String);
    if (federated.length && [st.Action].flat().includes("sts:AssumeRoleWithWebIdentity")) {
      for (const provider of federated) {
        const host = provider.replace(/^arn:aws[\w-]*:iam::\d+:oidc-provider\//, "");
        const sub = ["StringEquals", "StringLike", "ForAnyValue:StringEquals", "ForAnyValue:StringLike"]
          .flatMap((op) => [st.Condition?.[op]?.[`${host}:sub`]].flat())
          .filter((v) => v !== undefined && v !== "" && v !== "*");
        if (sub.length === 0) problems.push(`${sid} trusts ${host} without a condition on ${host}:sub, so any of its identities may assume the role`);
      }
    }
  }
  return problems;
}

export const iamLeastPrivilege: ResourceValidationPolicy = {
  name: "iam-least-privilege",
  description:
    "R-DATA-3, R-CI-5: identity policies (standalone, inline or attached) allow no wildcard action, no NotAction or NotResource, and nothing but reads of configuration on every resource (\"*\"), except the actions AWS allows on no narrower resource (resourceWildcardActions); no AWS-managed administrator policy is attached; trust policies never trust everyone, and a web-identity (IRSA, GitHub OIDC) trust names its subject.",
  remediationSteps: "Name the actions and the ARNs they need (components/model/data/aws.ts and components/model/pipeline.ts do); condition a web-identity trust on <provider>:sub; list an action that takes only \"*\" in resourceWildcardActions.",
  configSchema: {
    properties: {
      resourceWildcardActions: { type: "array", items: { type: "string" }, default: ["kms:CreateKey", "kms:TagResource", "sts:GetCallerIdentity", "ecr:GetAuthorizationToken", "route53:CreateHealthCheck"] },
    },
  },
  validateResource: (args, report) => {
    const what = describeResource(args.type, args.props, args.name);
    const allowed = list(args.getConfig<{ resourceWildcardActions?: string[] }>().resourceWildcardActions).map(String);
    const problems: string[] = [];
    if (IDENTITY_POLICIES.includes(args.type)) problems.push(...wildcardProblems(documentOf(args.props.policy), allowed));
    if (args.type === "aws:iam/role:Role") {
      problems.push(...trustProblems(documentOf(args.props.assumeRolePolicy)));
      for (const inline of list(args.props.inlinePolicies)) problems.push(...wildcardProblems(documentOf(inline?.policy), allowed).map((p) => `inline policy ${inline?.name ?? ""}: ${p}`));
      for (const arn of list(args.props.managedPolicyArns)) if (ADMIN_POLICIES.includes(arn)) problems.push(`attaches ${arn}`);
    }
    if (ATTACHMENTS.includes(args.type) && ADMIN_POLICIES.includes(args.props.policyArn)) problems.push(`attaches ${args.props.policyArn}`);
    if (problems.length) report(`${what}: ${problems.join("; ")} (R-DATA-3)`);
  },
};

export const kmsRotation: ResourceValidationPolicy = {
  name: "kms-keys-rotate",
  description: "R-DATA-3, R-DATA-0, R-CI-5: every symmetric customer-managed KMS key rotates its key material automatically.",
  remediationSteps: "Declare the key with enableKeyRotation: true (DataKey and DisasterRecovery do).",
  validateResource: (args, report) => {
    if (args.type !== "aws:kms/key:Key") return;
    const spec = args.props.customerMasterKeySpec ?? args.props.keySpec ?? "SYMMETRIC_DEFAULT";
    if (spec === "SYMMETRIC_DEFAULT" && args.props.enableKeyRotation !== true) {
      report(`${describeResource(args.type, args.props, args.name)}: key rotation is off; set enableKeyRotation true (R-DATA-3)`);
    }
  },
};
