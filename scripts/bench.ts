// npm run bench [-- --runs N] — renders every stack N times in one process (as the
// tests do) and prints the median wall time and resource count per stack. Measures the
// cost of the program as it grows; no test asserts on time.
import { performance } from "perf_hooks";
import { renderStack } from "../render";
import { listStacks } from "../components/config/stackFile";

async function main(): Promise<void> {
  const i = process.argv.indexOf("--runs");
  const runs = i >= 0 ? Number(process.argv[i + 1]) : 5;
  if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs must be a whole number ≥ 1, got ${process.argv[i + 1]}`);
  const rows: string[][] = [["STACK", "RUNS", "MEDIAN ms", "MIN ms", "MAX ms", "RESOURCES"]];
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
    rows.push([stack, String(runs), median.toFixed(1), times[0].toFixed(1), times[times.length - 1].toFixed(1), String(count)]);
  }
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  for (const r of rows) console.log(r.map((cell, c) => cell.padEnd(widths[c])).join("  "));
  console.log(`first render (module loading included): ${warmup.toFixed(0)} ms`);
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : String(e));
  process.exit(1);
});
