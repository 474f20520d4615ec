// The prerequisites section of the render summary (R-ENV-14): what the stack installs and
// what it requires of the cluster, which `pulumi preview` and `npm run preflight` check.
import type { StackConfig } from "../components/config";
import { prerequisites } from "../components/model/prerequisites";

export function prerequisitesSummary(stack: string, cfg: StackConfig): string {
  const out = [`Prerequisites (R-ENV-14; checked by \`pulumi preview\` and \`npm run preflight -- ${stack}\`):`];
  const list = prerequisites(cfg);
  for (const p of list) out.push(p.providedBy === "stack" ? `  installed by this stack: ${p.what}` : `  required of the cluster: ${p.what}: ${p.why}`);
  if (!list.length) out.push("  none beyond Kubernetes itself");
  return out.join("\n");
}
