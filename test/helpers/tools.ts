// External validators the tests run. A missing tool fails the test with the command that
// installs it; it never skips.
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

const INSTALL: Record<string, string> = {
  promtool: "apt-get install prometheus",
  prometheus: "apt-get install prometheus",
  amtool: "apt-get install prometheus-alertmanager",
  alertmanager: "apt-get install prometheus-alertmanager",
};

export function requireTool(name: string): string {
  const found = spawnSync("sh", ["-c", `command -v ${name}`], { encoding: "utf8" });
  const path = found.stdout.trim();
  if (found.status !== 0 || !path) {
    throw new Error(`${name} is not installed; install it with \`${INSTALL[name] ?? name}\` (bash .ci/run does this)`);
  }
  return path;
}

/** The first of several names a tool goes by (Debian calls Alertmanager prometheus-alertmanager). */
export function requireAnyTool(names: string[]): string {
  for (const n of names) {
    const found = spawnSync("sh", ["-c", `command -v ${n}`], { encoding: "utf8" });
    if (found.status === 0 && found.stdout.trim()) return found.stdout.trim();
  }
  throw new Error(`none of ${names.join(", ")} is installed; install it with \`${INSTALL[names[0]] ?? names[0]}\` (bash .ci/run does this)`);
}

export function run(tool: string, args: string[], cwd?: string): { status: number; out: string } {
  // Long promtool runs (a two-day scenario) take about a minute; mocha's own timeout bounds the test.
  const res = spawnSync(requireTool(tool), args, { cwd, encoding: "utf8", timeout: 600_000, maxBuffer: 64 * 2 ** 20 });
  return { status: res.status ?? -1, out: `${res.stdout}${res.stderr}` };
}

/** `promtool check rules` on YAML text (a rules file), in a temporary directory it removes. */
export function promtoolCheckRules(rulesYaml: string): { status: number; out: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "agent-platform-check-"));
  try {
    const file = path.join(dir, "rules.yaml");
    fs.writeFileSync(file, rulesYaml);
    return run("promtool", ["check", "rules", file]);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
