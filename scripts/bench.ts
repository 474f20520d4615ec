// npm run bench [-- --runs N] — renders every stack N times in one process (as the
// tests do) and N times through the CLI an operator runs (`npm run render -- <stack>`,
// scripts/render-cli.js: a fresh node process, module loading included; its bundle and
// code cache built beforehand, as after any first run). Every in-process run starts
// with empty memos (clearMemos), as a fresh process does, so both columns render the
// same work. Prints median wall times, the resource count per stack and the ratio.
// Measures the cost of the program as it grows; no test asserts on time.
import { spawnSync } from "child_process";
import * as os from "os";
import * as path from "path";
import * as fs from "fs";
import { performance } from "perf_hooks";
import { renderStack } from "../render";
import { listStacks } from "../components/config/stackFile";
import { clearMemos } from "../components/shared/memo";

async function main(): Promise<void> {
  // Stack traces: the mock runtime takes none while the program runs (render/mockRuntime.ts,
  // withoutStackTraces), here as in the CLI and the tests.
  const i = process.argv.indexOf("--runs");
  const runs = i >= 0 ? Number(process.argv[i + 1]) : 5;
  if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs must be a whole number ≥ 1, got ${process.argv[i + 1]}`);
  const rows: string[][] = [["STACK", "RUNS", "MEDIAN ms", "MIN ms", "MAX ms", "RESOURCES", "CLI MEDIAN ms", "CLI / IN-PROCESS"]];
  const out = fs.mkdtempSync(path.join(os.tmpdir(), "bench-render-"));
  cli(listStacks()[0], out); // builds the bundle and its code cache if a source changed
  const cold = performance.now();
  await renderStack(listStacks()[0]); // warm-up: module loading is paid once, not per stack
  const warmup = performance.now() - cold;
  for (const stack of listStacks()) {
    const times: number[] = [];
    let count = 0;
    for (let r = 0; r < runs; r++) {
      clearMemos();
      const t0 = performance.now();
      const result = await renderStack(stack);
      times.push(performance.now() - t0);
      count = result.resources.length;
    }
    times.sort((a, b) => a - b);
    const inProcess = median(times);
    const cliTimes = Array.from({ length: runs }, () => cli(stack, out));
    const cliMedian = median(cliTimes.sort((a, b) => a - b));
    rows.push([stack, String(runs), inProcess.toFixed(1), times[0].toFixed(1), times[times.length - 1].toFixed(1), String(count), cliMedian.toFixed(0), `${(cliMedian / inProcess).toFixed(2)}×`]);
  }
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  for (const r of rows) console.log(r.map((cell, c) => cell.padEnd(widths[c])).join("  "));
  console.log(`first render (module loading included): ${warmup.toFixed(0)} ms`);
  console.log("CLI: `node scripts/render-cli.js <stack>` in a fresh process (the bundle and its code cache built by a first run), files written");
  fs.rmSync(out, { recursive: true, force: true });
}

const median = (sorted: number[]) =>
  sorted.length % 2 ? sorted[(sorted.length - 1) / 2] : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;

/** One run of the render CLI, as `npm run render -- <stack>` does it (without npm's own start-up). */
function cli(stack: string, outDir: string): number {
  const root = path.resolve(__dirname, "..");
  const t0 = performance.now();
  const r = spawnSync(process.execPath, ["scripts/render-cli.js", stack, "--out", path.join(outDir, stack)], {
    cwd: root,
    encoding: "utf8",
  });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`render CLI for ${stack} failed (exit ${r.status}): ${r.stderr.slice(0, 2000)}`);
  return ms;
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : String(e));
  process.exit(1);
});
