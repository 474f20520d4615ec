// npm run bench [-- --runs N] — renders every stack N times in one process (as the
// tests do) and, once per stack, through the CLI an operator runs (`npm run render --
// <stack>`: a fresh node process, module loading included). Prints median wall times and
// the resource count per stack. Measures the cost of the program as it grows; no test
// asserts on time.
import { spawnSync } from "child_process";
import * as os from "os";
import * as path from "path";
import * as fs from "fs";
import { performance } from "perf_hooks";
import { renderStack } from "../render";
import { listStacks } from "../components/config/stackFile";

async function main(): Promise<void> {
  // As the CLI does (scripts/render.ts): Pulumi records a stack trace per resource, and
  // source-mapped traces would dominate the measurement.
  (Error as { prepareStackTrace?: unknown }).prepareStackTrace = undefined;
  const i = process.argv.indexOf("--runs");
  const runs = i >= 0 ? Number(process.argv[i + 1]) : 5;
  if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs must be a whole number ≥ 1, got ${process.argv[i + 1]}`);
  const rows: string[][] = [["STACK", "RUNS", "MEDIAN ms", "MIN ms", "MAX ms", "RESOURCES", "CLI ms"]];
  const out = fs.mkdtempSync(path.join(os.tmpdir(), "bench-render-"));
  const cold = performance.now();
  await renderStack(listStacks()[0]); // warm-up: module loading is paid once, not per stack
  const warmup = performance.now() - cold;
  for (const stack of listStacks()) {
    const times: number[] = [];
    let count = 0;
    for (let r = 0; r < runs; r++) {
      const t0 = performance.now();
      const result = await renderStack(stack);
      times.push(performance.now() - t0);
      count = result.resources.length;
    }
    times.sort((a, b) => a - b);
    const median = times.length % 2 ? times[(times.length - 1) / 2] : (times[times.length / 2 - 1] + times[times.length / 2]) / 2;
    rows.push([stack, String(runs), median.toFixed(1), times[0].toFixed(1), times[times.length - 1].toFixed(1), String(count), cli(stack, out)]);
  }
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  for (const r of rows) console.log(r.map((cell, c) => cell.padEnd(widths[c])).join("  "));
  console.log(`first render (module loading included): ${warmup.toFixed(0)} ms`);
  console.log("CLI ms: `node -r ts-node/register scripts/render.ts <stack>` (swc, tsconfig.json) in a fresh process, files written");
  fs.rmSync(out, { recursive: true, force: true });
}

/** One run of the render CLI, as `npm run render -- <stack>` does it (without npm's own start-up). */
function cli(stack: string, outDir: string): string {
  const root = path.resolve(__dirname, "..");
  const t0 = performance.now();
  const r = spawnSync(process.execPath, ["-r", "ts-node/register", "scripts/render.ts", stack, "--out", path.join(outDir, stack)], {
    cwd: root,
    encoding: "utf8",
  });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`render CLI for ${stack} failed (exit ${r.status}): ${r.stderr.slice(0, 2000)}`);
  return ms.toFixed(0);
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : String(e));
  process.exit(1);
});
