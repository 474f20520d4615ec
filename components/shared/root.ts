// The repository's root: the nearest folder above this module whose package.json is the
// project's. Found by walking up, not by a fixed depth, so a module finds it wherever it
// runs from: ts-node over the sources (`pulumi up`, the tests) or the render command's
// bundle in node_modules/.cache (scripts/render-cli.js).
import * as fs from "fs";
import * as path from "path";

export function findRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const pkg = path.join(dir, "package.json");
    if (fs.existsSync(pkg) && (JSON.parse(fs.readFileSync(pkg, "utf8")) as { name?: unknown }).name === "agent-platform") return dir;
    if (path.dirname(dir) === dir) throw new Error(`no package.json of agent-platform in ${from} or above it`);
  }
}

export const ROOT = findRoot(__dirname);
