// npm run docs:verdicts — regenerates the simulator's table in docs/delivery.md (R-PD-11)
// from prod's rendered canary plan.
import * as fs from "fs";
import * as path from "path";
import { ROOT } from "../components/config/stackFile";
import { renderStack } from "../render";
import { prodPlan } from "../render/verdicts";
import { VERDICTS_BEGIN, VERDICTS_END, verdictsTable } from "../tools/docs/verdicts";

(async () => {
  const r = await renderStack("prod");
  const { cfg, plan } = prodPlan(r);
  const file = path.join(ROOT, "docs", "delivery.md");
  const text = fs.readFileSync(file, "utf8");
  const a = text.indexOf(VERDICTS_BEGIN);
  const b = text.indexOf(VERDICTS_END);
  if (a < 0 || b < a) throw new Error(`docs/delivery.md has no ${VERDICTS_BEGIN} … ${VERDICTS_END}`);
  fs.writeFileSync(file, `${text.slice(0, a + VERDICTS_BEGIN.length)}\n${verdictsTable(cfg, plan)}\n${text.slice(b)}`);
  console.log("docs/delivery.md: the simulator's table regenerated");
})();
