// npm run docs:config — regenerates the configuration reference in README.md.
import * as fs from "fs";
import * as path from "path";
import { withReference } from "../tools/docs/config-reference";
import { ROOT } from "../components/config/stackFile";

const readme = path.join(ROOT, "README.md");
fs.writeFileSync(readme, withReference(fs.readFileSync(readme, "utf8")));
console.log("README.md configuration reference regenerated");
