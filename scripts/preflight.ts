// npm run preflight -- <stack> [--kubeconfig FILE] [--context NAME] [--no-registry] [--config-dir DIR]
//
// What the stack needs from the cluster and the account that it does not install itself
// (R-ENV-14), checked against the live cluster through the kubeconfig (the ambient one,
// KUBECONFIG or ~/.kube/config, unless --kubeconfig names a file: a kubeconfig kept as
// the stack's secret is `pulumi config get kubeconfig > kubeconfig.yaml`) and the image
// against ECR with the ambient AWS credentials. The same check `pulumi preview` runs
// before anything is declared (index.ts). One line per prerequisite; exit 0 when every
// one is there, 1 when one is missing or could not be checked, 2 on a usage error.
import * as fs from "fs";
import * as path from "path";
import { parseStackConfig } from "../components/config";
import { ROOT, listStacks, readStackConfig } from "../components/config/stackFile";
import { prerequisites } from "../components/model/prerequisites";
import { findingLines, runPreflight } from "../components/preflight";
import { configErrorMessage, withPlaceholders } from "../render";
import type { Io } from "./render";

const USAGE = "usage: npm run preflight -- <stack> [--kubeconfig FILE] [--context NAME] [--no-registry] [--config-dir DIR]";

/** The command itself: returns the exit code. */
export async function preflightCli(argv: string[], io: Io): Promise<number> {
  let stack: string | undefined;
  let kubeconfigFile: string | undefined;
  let context: string | undefined;
  let configDir = ROOT;
  let registry = true;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--kubeconfig") kubeconfigFile = argv[++i];
    else if (a === "--context") context = argv[++i];
    else if (a === "--config-dir") configDir = path.resolve(argv[++i] ?? "");
    else if (a === "--no-registry") registry = false;
    else if (a.startsWith("--") || stack !== undefined) {
      io.err(`${USAGE}\n`);
      return 2;
    } else stack = a;
  }
  const known = listStacks(configDir);
  if (!stack || !known.includes(stack)) {
    io.err(`${stack ? `error: no stack file Pulumi.${stack}.yaml; known stacks: ${known.join(", ")}` : USAGE}\n`);
    return 2;
  }
  let cfg;
  try {
    cfg = parseStackConfig(withPlaceholders(readStackConfig(stack, configDir)).raw, stack);
  } catch (e) {
    const msg = configErrorMessage(e);
    if (!msg) throw e;
    io.err(`error: ${msg}\n`);
    return 1;
  }
  let kubeconfig: string | undefined;
  if (kubeconfigFile) {
    try {
      kubeconfig = fs.readFileSync(kubeconfigFile, "utf8");
    } catch (e) {
      io.err(`error: cannot read --kubeconfig ${kubeconfigFile}: ${(e as NodeJS.ErrnoException).code ?? String(e)}\n`);
      return 2;
    }
  }
  const prereqs = prerequisites(cfg);
  const findings = await runPreflight(prereqs, { kubeconfig, context: context ?? cfg.kubeContext }, { registry });
  const lines: string[] = [`Preflight of stack ${stack}:`];
  for (const p of prereqs) {
    const f = findings.find((x) => x.prerequisite === p);
    if (p.providedBy === "stack") lines.push(`  installed by this stack: ${p.what}`);
    else if (!f) lines.push(`  skipped (--no-registry): ${p.what}`);
    else if (f.status === "present") lines.push(`  ok: ${p.what}${f.detail ? ` (${f.detail})` : ""}`);
  }
  if (!prereqs.length) lines.push("  this stack needs nothing of the cluster beyond Kubernetes itself");
  const problems = findingLines(findings);
  io.out(`${[...lines, ...problems.map((l) => `  ${l}`)].join("\n")}\n`);
  return problems.length ? 1 : 0;
}

if (require.main === module) {
  preflightCli(process.argv.slice(2), { out: (t) => process.stdout.write(t), err: (t) => process.stderr.write(t) }).then(
    (code) => process.exit(code),
    (e) => {
      console.error(`preflight failed: ${e instanceof Error ? e.message : String(e)}`);
      process.exit(3);
    },
  );
}
