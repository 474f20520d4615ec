// npm run render -- <stack> [--out DIR]
// Writes rendered/<stack>/ and prints the summary. Exit 1 with the one-line message on
// invalid configuration; exit 2 on usage errors.
import * as fs from "fs";
import * as path from "path";
import { configErrorMessage, renderStack } from "../render";
import { ROOT, listStacks } from "../render/stackFile";

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const outIdx = args.indexOf("--out");
  const outRoot = outIdx >= 0 ? path.resolve(args[outIdx + 1] ?? "") : path.join(ROOT, "rendered");
  const stacks = args.filter((a, i) => !a.startsWith("--") && (outIdx < 0 || i !== outIdx + 1));
  const known = listStacks();
  if (stacks.length === 0) {
    console.error(`usage: npm run render -- <stack> [<stack> ...] [--out DIR]   (stacks: ${known.join(", ")})`);
    return 2;
  }
  for (const stack of stacks) {
    if (!known.includes(stack)) {
      console.error(`error: no stack file Pulumi.${stack}.yaml; known stacks: ${known.join(", ")}`);
      return 2;
    }
    let result;
    try {
      result = await renderStack(stack);
    } catch (e) {
      const msg = configErrorMessage(e);
      if (msg) {
        console.error(`error: ${msg}`);
        return 1;
      }
      throw e;
    }
    const dir = path.join(outRoot, stack);
    fs.rmSync(dir, { recursive: true, force: true });
    for (const [rel, content] of Object.entries(result.files)) {
      const file = path.join(dir, rel);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, content);
    }
    process.stdout.write(result.summary);
    process.stdout.write(`Wrote ${Object.keys(result.files).length} files to ${path.relative(process.cwd(), dir) || dir}\n\n`);
  }
  return 0;
}

main().then(
  (code) => process.exit(code),
  (e) => {
    console.error(`render failed: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(3);
  },
);
