// npm run docs:tests — regenerates the requirement → test table in docs/testing.md.
import * as fs from "fs";
import * as path from "path";
import { ROOT } from "../components/config/stackFile";
import { listTests, testMapMarkdown, TEST_MAP_BEGIN, TEST_MAP_END } from "../tools/docs/test-map";

const file = path.join(ROOT, "docs", "testing.md");
const doc = fs.readFileSync(file, "utf8");
const start = doc.indexOf(TEST_MAP_BEGIN);
const end = doc.indexOf(TEST_MAP_END);
if (start < 0 || end < start) throw new Error(`docs/testing.md: the markers ${TEST_MAP_BEGIN} … ${TEST_MAP_END} are missing`);
fs.writeFileSync(file, doc.slice(0, start) + testMapMarkdown(listTests()) + doc.slice(end + TEST_MAP_END.length));
console.log("docs/testing.md: requirement → test table regenerated");
