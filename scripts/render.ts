// npm run render -- <stack> [<stack> ...] [--out DIR] [--config-dir DIR]
// --config-dir reads Pulumi.yaml and Pulumi.<stack>.yaml from another folder.
// `bootstrap/<stack>` renders a stack of the bootstrap project (bootstrap/Pulumi.<stack>.yaml).
// Writes rendered/<stack>/ (rendered/bootstrap-<stack>/) and prints the summary. Exit 1 with the one-line message on
// invalid configuration (a YAML syntax error included); exit 2 on usage errors.
import * as fs from "fs";
import * as path from "path";
import { ROOT, listStacks } from "../components/config/stackFile";
import { BOOTSTRAP_DIR, configErrorMessage, renderBootstrap, renderStack } from "../render";

export interface Io {
  out: (text: string) => void;
  err: (text: string) => void;
}

const processIo: Io = { out: (t) => process.stdout.write(t), err: (t) => process.stderr.write(t) };

function parseArgs(argv: string[]): { stacks: string[]; out: string; configDir: string } {
  const opts = { stacks: [] as string[], out: path.join(ROOT, "rendered"), configDir: ROOT };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--out") opts.out = path.resolve(argv[++i] ?? "");
    else if (a === "--config-dir") opts.configDir = path.resolve(argv[++i] ?? "");
    else opts.stacks.push(a);
  }
  return opts;
}

/** The command itself: returns the exit code. Tests call it in-process; the CLI below exits with it. */
export async function renderCli(argv: string[], io: Io = processIo): Promise<number> {
  const { stacks, out: outRoot, configDir } = parseArgs(argv);
  const known = listStacks(configDir);
  if (stacks.length === 0) {
    io.err(`usage: npm run render -- <stack> [<stack> ...] [--out DIR] [--config-dir DIR]   (stacks: ${[...known, ...listStacks(path.join(configDir, BOOTSTRAP_DIR)).map((s) => `${BOOTSTRAP_DIR}/${s}`)].join(", ")})\n`);
    return 2;
  }
  const bootstrapKnown = listStacks(path.join(configDir, BOOTSTRAP_DIR)).map((s) => `${BOOTSTRAP_DIR}/${s}`);
  for (const stack of stacks) {
    if (!known.includes(stack) && !bootstrapKnown.includes(stack)) {
      io.err(`error: no stack file Pulumi.${stack}.yaml; known stacks: ${[...known, ...bootstrapKnown].join(", ")}\n`);
      return 2;
    }
    let result;
    try {
      result = stack.startsWith(`${BOOTSTRAP_DIR}/`) ? await renderBootstrap(stack.slice(BOOTSTRAP_DIR.length + 1), configDir) : await renderStack(stack, configDir);
    } catch (e) {
      const msg = configErrorMessage(e);
      if (msg) {
        io.err(`error: ${msg}\n`);
        return 1;
      }
      throw e;
    }
    const dir = path.join(outRoot, stack.replace("/", "-"));
    fs.rmSync(dir, { recursive: true, force: true });
    for (const [rel, content] of Object.entries(result.files)) {
      const file = path.join(dir, rel);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, content);
    }
    io.out(result.summary);
    io.out(`Wrote ${Object.keys(result.files).length} files to ${path.relative(process.cwd(), dir) || dir}\n\n`);
  }
  return 0;
}

if (require.main === module) {
  // The Pulumi SDK takes a stack trace of every resource it registers (resource.ts,
  // Resource.callsites, for the engine's source positions, which the mock runtime drops);
  // mapped through source maps that was over half of the command's time, and formatting
  // them at all a tenth. The command prints no stack trace (an error is one line), so it
  // takes none: the rendered files are the same (test/stacks/render.test.ts compares the
  // process's files with the in-process render's).
  (Error as { prepareStackTrace?: unknown }).prepareStackTrace = undefined;
  Error.stackTraceLimit = 0;
  renderCli(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e) => {
      console.error(`render failed: ${e instanceof Error ? e.message : String(e)}`);
      process.exit(3);
    },
  );
}
