// npm run render:diff -- <base-dir> <head-dir> [--out FILE] [--title TEXT]
//
// The pull-request comment of the credential-free render (R-CI-3, R-CI-4): what changes
// in the rendered stacks between the base and the head commit. Both directories hold
// `npm run render -- dev staging prod --out <dir>` output. Kubernetes objects are compared
// object by object (keyed by kind, namespace and name, so a new object does not renumber
// the rest), then the Prometheus rules, the Alertmanager config, the dashboards, the Helm
// values and the AWS resources file by file. The comment starts with a marker the workflow
// uses to update its one sticky comment.
import * as fs from "fs";
import * as path from "path";
import { structuredPatch } from "diff";
import { parseAllDocuments } from "yaml";

export const MARKER = "<!-- agent-platform:render-diff -->";
/** GitHub refuses comments over 65536 characters; leave room for the frame. */
const MAX_CHARS = 60_000;

type Files = Map<string, string>;

/** The comparable units of one rendered stack: "object Kind ns/name" and "file <path>". */
export function units(stackDir: string): Files {
  const out: Files = new Map();
  if (!fs.existsSync(stackDir)) return out;
  const all = path.join(stackDir, "kubernetes", "all.yaml");
  if (fs.existsSync(all)) {
    for (const doc of parseAllDocuments(fs.readFileSync(all, "utf8"))) {
      const obj = doc.toJS() as { kind?: string; metadata?: { name?: string; namespace?: string } } | null;
      if (!obj?.kind) continue;
      const key = `kubernetes ${obj.kind} ${obj.metadata?.namespace ? `${obj.metadata.namespace}/` : ""}${obj.metadata?.name}`;
      out.set(key, doc.toString({ lineWidth: 0 }));
    }
  }
  const walk = (dir: string, rel = ""): void => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const r = path.posix.join(rel, e.name);
      if (e.isDirectory()) walk(path.join(dir, e.name), r);
      else if (/^(prometheus|alertmanager|grafana|helm|aws)\//.test(r)) out.set(r, fs.readFileSync(path.join(dir, e.name), "utf8"));
    }
  };
  walk(stackDir);
  return out;
}

export interface StackDiff {
  stack: string;
  added: string[];
  removed: string[];
  changed: Array<{ unit: string; patch: string }>;
}

/** A unified diff of one unit, with three lines of context. */
function patchOf(unit: string, before: string, after: string): string {
  const p = structuredPatch(unit, unit, before, after, "base", "head", { context: 3 });
  return p.hunks
    .map((h) => [`@@ -${h.oldStart},${h.oldLines} +${h.newStart},${h.newLines} @@`, ...h.lines].join("\n"))
    .join("\n");
}

export function diffStack(stack: string, baseDir: string, headDir: string): StackDiff {
  const base = units(path.join(baseDir, stack));
  const head = units(path.join(headDir, stack));
  const d: StackDiff = { stack, added: [], removed: [], changed: [] };
  for (const [k, v] of head) {
    if (!base.has(k)) d.added.push(k);
    else if (base.get(k) !== v) d.changed.push({ unit: k, patch: patchOf(k, base.get(k)!, v) });
  }
  for (const k of base.keys()) if (!head.has(k)) d.removed.push(k);
  d.added.sort();
  d.removed.sort();
  d.changed.sort((a, b) => a.unit.localeCompare(b.unit));
  return d;
}

/** The markdown comment for the stacks found under either directory. */
export function renderDiff(baseDir: string, headDir: string, title = "Rendered changes", maxChars = MAX_CHARS): { markdown: string; diffs: StackDiff[] } {
  const stacks = [...new Set([...dirs(baseDir), ...dirs(headDir)])].sort();
  const diffs = stacks.map((s) => diffStack(s, baseDir, headDir));
  const lines = [MARKER, `### ${title}`, ""];
  if (diffs.every((d) => !d.added.length && !d.removed.length && !d.changed.length)) {
    lines.push(`No change to the rendered stacks (${stacks.join(", ")}).`);
    return { markdown: lines.join("\n") + "\n", diffs };
  }
  let body = "";
  let truncated = false;
  for (const d of diffs) {
    const n = d.added.length + d.removed.length + d.changed.length;
    lines.push(`- **${d.stack}**: ${n ? `${d.changed.length} changed, ${d.added.length} added, ${d.removed.length} removed` : "no change"}`);
    if (!n) continue;
    const parts = [`#### ${d.stack}`, ""];
    for (const a of d.added) parts.push(`- added: \`${a}\``);
    for (const r of d.removed) parts.push(`- removed: \`${r}\``);
    for (const c of d.changed) parts.push("", `<details><summary><code>${c.unit}</code></summary>`, "", "```diff", c.patch, "```", "</details>");
    const text = parts.join("\n") + "\n\n";
    if (body.length + text.length > maxChars) {
      truncated = true;
      body += `#### ${d.stack}\n\n(diff truncated: the full diff is the workflow's render-diff artifact)\n\n`;
    } else body += text;
  }
  if (truncated) lines.push("", "_Part of the diff is truncated to fit a comment._");
  return { markdown: `${lines.join("\n")}\n\n${body}`, diffs };
}

function dirs(d: string): string[] {
  return fs.existsSync(d) ? fs.readdirSync(d, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name) : [];
}

if (require.main === module) {
  const args = process.argv.slice(2);
  const opt = (name: string) => {
    const i = args.indexOf(name);
    if (i < 0) return undefined;
    const v = args[i + 1];
    args.splice(i, 2);
    return v;
  };
  const out = opt("--out");
  const title = opt("--title") ?? "Rendered changes";
  if (args.length !== 2) {
    process.stderr.write("usage: npm run render:diff -- <base-dir> <head-dir> [--out FILE] [--title TEXT]\n");
    process.exit(2);
  }
  const { markdown } = renderDiff(args[0], args[1], title);
  if (out) fs.writeFileSync(out, markdown);
  else process.stdout.write(markdown);
}
