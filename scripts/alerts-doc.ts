// npm run docs:alerts — regenerates docs/alerts.md from the rule catalogue.
import * as fs from "fs";
import * as path from "path";
import { alertsMarkdown } from "../tools/docs/alerts";
import { ROOT } from "../components/config/stackFile";

fs.writeFileSync(path.join(ROOT, "docs", "alerts.md"), alertsMarkdown());
console.log("docs/alerts.md regenerated");
