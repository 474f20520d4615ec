// R-CI-6: the pipeline's cloud identity, declared by the bootstrap stack: GitHub's OIDC
// provider; per deployed stack a deploy role only the job in the stack's GitHub
// environment can assume, creating roles only under the stack's permissions boundary and
// never touching the pipeline's own roles; per previewed stack a read-only role for pull
// requests. The stack's own roles carry that boundary.
import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { ConfigError } from "../../components/config";
import { BOOTSTRAP_PROJECT, parseBootstrapConfig } from "../../components/config/bootstrap";
import { ROOT } from "../../components/config/stackFile";
import { StackRender, renderBootstrap } from "../../render";
import { stack } from "../helpers/mocks";

let shipped: Promise<StackRender> | undefined;
const boot = () => (shipped ??= renderBootstrap("prod", ROOT));
const byName = (r: StackRender, type: string, name: string) => {
  const found = r.resources.find((x) => x.type === type && x.name === name);
  assert.ok(found, `${type} ${name}`);
  return found;
};
const statements = (policy: unknown): Array<Record<string, any>> => JSON.parse(String(policy)).Statement;
const actions = (st: Record<string, any>): string[] => [st.Action].flat();

/** The bootstrap stack rendered from a stack file of our own. */
async function bootWith(pipeline: string): Promise<StackRender> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bootstrap-"));
  try {
    fs.mkdirSync(path.join(dir, "bootstrap"));
    fs.copyFileSync(path.join(ROOT, "bootstrap", "Pulumi.yaml"), path.join(dir, "bootstrap", "Pulumi.yaml"));
    fs.writeFileSync(
      path.join(dir, "bootstrap", "Pulumi.staging.yaml"),
      `config:\n  agent-platform-bootstrap:region: eu-central-1\n  agent-platform-bootstrap:accountId: "210987654321"\n${pipeline}`,
    );
    return await renderBootstrap("staging", dir);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

describe("R-CI-6: the pipeline's cloud identity, declared by the bootstrap stack", () => {
  it("R-CI-6: GitHub's OIDC provider, trusted for STS, kept when the stack goes", async () => {
    const p = byName(await boot(), "aws:iam/openIdConnectProvider:OpenIdConnectProvider", "pipeline-github");
    assert.equal(p.inputs.url, "https://token.actions.githubusercontent.com");
    assert.deepEqual(p.inputs.clientIdLists, ["sts.amazonaws.com"]);
    assert.equal(p.options.retainOnDelete, true);
  });

  it("R-CI-6: prod's deploy role trusts only the job in the GitHub environment prod of this repository", async () => {
    const r = await boot();
    const role = byName(r, "aws:iam/role:Role", "pipeline-prod-deploy");
    assert.equal(role.inputs.name, "agent-platform-prod-deploy");
    assert.deepEqual(JSON.parse(String(role.inputs.assumeRolePolicy)), {
      Version: "2012-10-17",
      Statement: [
        {
          Effect: "Allow",
          Principal: { Federated: "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com" },
          Action: "sts:AssumeRoleWithWebIdentity",
          Condition: {
            StringEquals: {
              "token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
              "token.actions.githubusercontent.com:sub": "repo:acme/agent-platform-infra:environment:prod",
            },
          },
        },
      ],
    });
    assert.equal(r.resources.filter((x) => x.type === "aws:iam/role:Role").length, 1, "no preview role: prod is not previewed with credentials");
  });

  it("R-CI-6: the deploy role creates roles only under the stack's boundary, never touches the pipeline's roles, and holds no wildcard action", async () => {
    const r = await boot();
    const st = statements(byName(r, "aws:iam/rolePolicy:RolePolicy", "pipeline-prod-deploy-policy").inputs.policy);
    const boundary = "arn:aws:iam::123456789012:policy/agent-platform-prod-boundary";
    const grants = st.filter((x) => x.Effect === "Allow");
    for (const a of ["iam:CreateRole", "iam:PutRolePolicy", "iam:AttachRolePolicy", "iam:PutRolePermissionsBoundary"]) {
      const g = grants.filter((x) => actions(x).includes(a));
      assert.equal(g.length, 1, a);
      assert.deepEqual(g[0].Condition, { StringEquals: { "iam:PermissionsBoundary": boundary } }, `${a} only with the boundary`);
      assert.equal(g[0].Resource, "arn:aws:iam::123456789012:role/agent-platform-prod-*");
    }
    assert.ok(!grants.some((x) => actions(x).includes("iam:DeleteRolePermissionsBoundary")), "a boundary is never removed");
    const deny = st.find((x) => x.Effect === "Deny");
    assert.deepEqual(deny?.Resource, ["arn:aws:iam::123456789012:role/agent-platform-prod-deploy", "arn:aws:iam::123456789012:role/agent-platform-prod-preview"]);
    assert.ok(actions(deny!).includes("iam:PutRolePolicy") && actions(deny!).includes("iam:UpdateAssumeRolePolicy"));
    for (const g of grants) {
      for (const a of actions(g)) assert.match(a, /^[a-z0-9]+:[A-Za-z]+$/, `${g.Sid}: ${a} names one action`);
      const mutating = actions(g).filter((a) => !/:(Describe|Get|List)/.test(a));
      // route53:CreateHealthCheck takes no resource and no condition key (Service Authorization Reference: Amazon Route 53).
      const unscopable = mutating.filter((a) => a !== "route53:CreateHealthCheck");
      if (g.Resource === "*" && unscopable.length) assert.ok(g.Condition, `${g.Sid}: ${unscopable.join(", ")} on every resource without a condition`);
    }
    assert.deepEqual(
      grants.find((x) => x.Sid === "PassTheMonitoringRoleToRds"),
      {
        Sid: "PassTheMonitoringRoleToRds",
        Effect: "Allow",
        Action: "iam:PassRole",
        Resource: "arn:aws:iam::123456789012:role/agent-platform-prod-rds-monitoring-*",
        Condition: { StringEquals: { "iam:PassedToService": "monitoring.rds.amazonaws.com" } },
      },
    );
  });

  it("R-CI-6: the boundary allows the stack's buckets, its tagged keys and RDS's log groups, nothing else", async () => {
    const p = byName(await boot(), "aws:iam/policy:Policy", "pipeline-prod-boundary");
    assert.equal(p.inputs.name, "agent-platform-prod-boundary");
    const st = statements(p.inputs.policy);
    assert.deepEqual(st.map((x) => [x.Sid, x.Effect]), [["TheStacksBuckets", "Allow"], ["TheStacksKeys", "Allow"], ["RdsEnhancedMonitoring", "Allow"]]);
    assert.deepEqual(st[0].Resource, ["arn:aws:s3:::agent-platform-prod-*", "arn:aws:s3:::agent-platform-prod-*/*"]);
    assert.ok(!actions(st[0]).some((a) => /PutBucket|DeleteBucket|Lifecycle|ObjectLock|DeleteObjectVersion|BypassGovernance/.test(a)), "no bucket administration under the boundary");
    assert.deepEqual(st[1].Condition, { StringEquals: { "aws:ResourceTag/environment": "prod" } });
  });

  it("R-CI-6: every role prod declares carries the boundary the deploy role requires", async () => {
    const r = await stack("prod");
    const roles = r.resources.filter((x) => x.type === "aws:iam/role:Role");
    assert.ok(roles.length >= 4, roles.map((x) => x.name).join(", "));
    for (const role of roles) assert.equal(role.inputs.permissionsBoundary, "arn:aws:iam::123456789012:policy/agent-platform-prod-boundary", role.name);
  });

  it("R-CI-6: a previewed stack gets a read-only role for pull requests: reads only, no object, secret or key material", async () => {
    const r = await bootWith("  agent-platform-bootstrap:pipeline:\n    repository: acme/agent-platform-infra\n    deployStacks: [staging]\n    previewStacks: [staging]\n");
    const role = byName(r, "aws:iam/role:Role", "pipeline-staging-preview");
    assert.equal(role.inputs.name, "agent-platform-staging-preview");
    assert.equal(JSON.parse(String(role.inputs.assumeRolePolicy)).Statement[0].Condition.StringEquals["token.actions.githubusercontent.com:sub"], "repo:acme/agent-platform-infra:pull_request");
    const st = statements(byName(r, "aws:iam/rolePolicy:RolePolicy", "pipeline-staging-preview-policy").inputs.policy);
    assert.equal(st.length, 1);
    for (const a of actions(st[0])) {
      assert.match(a, /^[a-z0-9]+:(Describe|Get|List)[A-Za-z]*$/, a);
      assert.doesNotMatch(a, /^s3:GetObject|secretsmanager:|kms:(Decrypt|GenerateDataKey)|ssm:GetParameter/, a);
    }
    const deploy = byName(r, "aws:iam/role:Role", "pipeline-staging-deploy");
    assert.match(String(deploy.inputs.assumeRolePolicy), /repo:acme\/agent-platform-infra:environment:staging/);
    assert.match(String(byName(r, "aws:iam/rolePolicy:RolePolicy", "pipeline-staging-deploy-policy").inputs.policy), /arn:aws:iam::210987654321:policy\/agent-platform-staging-boundary/);
    assert.match(r.summary, /agent-platform-staging-preview \(read-only\) from repo:acme\/agent-platform-infra:pull_request/);
  });

  it("R-CI-6: without `pipeline` the bootstrap stack declares no identity, and says so", async () => {
    const r = await bootWith("");
    assert.ok(!r.resources.some((x) => /iam/.test(x.type)));
    assert.match(r.summary, /no pipeline identity \(pipeline unset\)/);
  });

  it("R-CI-6, R-ENV-11: a repository that is not owner/name, an unknown stack, dev (no AWS) are refused by name", () => {
    const raw = (pipeline: unknown) => ({
      [`${BOOTSTRAP_PROJECT}:region`]: { value: "eu-west-1", secret: false },
      [`${BOOTSTRAP_PROJECT}:accountId`]: { value: "123456789012", secret: false },
      [`${BOOTSTRAP_PROJECT}:pipeline`]: { value: JSON.stringify(pipeline), secret: false },
    });
    const refused = (pipeline: unknown) => {
      try {
        parseBootstrapConfig(raw(pipeline), "prod");
      } catch (e) {
        assert.ok(e instanceof ConfigError);
        return e.message;
      }
      assert.fail("accepted");
    };
    assert.match(refused({ repository: "agent-platform-infra", deployStacks: ["prod"], previewStacks: [] }), /agent-platform-bootstrap:pipeline\.repository = "agent-platform-infra": must be a GitHub repository such as acme\/agent-platform-infra/);
    assert.match(refused({ repository: "acme/infra", deployStacks: ["dev"], previewStacks: [] }), /agent-platform-bootstrap:pipeline\.deployStacks\.0 = "dev"/);
    assert.match(refused({ repository: "acme/infra", deployStacks: [], previewStacks: [] }), /pipeline\.deployStacks/);
    assert.equal(parseBootstrapConfig(raw({ repository: "acme/infra", deployStacks: ["prod"], previewStacks: ["staging"] }), "prod").pipeline?.previewStacks[0], "staging");
  });
});
