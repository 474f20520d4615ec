#!/usr/bin/env node
// `npm run render`: scripts/render.ts as one bundled file, run with a V8 code cache.
//
// Started through ts-node, the command spent most of its time before rendering anything:
// ts-node and TypeScript, a transpile of every source file, resolving some four thousand
// modules of the SDKs and compiling them (@pulumi/pulumi alone loads TypeScript and npm's
// arborist). Here esbuild bundles the command once into node_modules/.cache/ (again only
// when a source file, package-lock.json, tsconfig.json or this file is newer than the bundle), and
// V8 keeps the compiled code beside it (vm.Script cachedData), so a render pays for
// loading one file and for rendering. docs/testing.md has the figures (`npm run bench`).
// The bundle runs the very code ts-node runs: scripts/render.ts and what it imports.
"use strict";
const fs = require("fs");
const path = require("path");
const vm = require("vm");
const Module = require("module");

const ROOT = path.resolve(__dirname, "..");
const CACHE = path.join(ROOT, "node_modules", ".cache", "agent-platform-render");
const BUNDLE = path.join(CACHE, "render.js");
const INPUTS = path.join(CACHE, "inputs.json");
const CODE_CACHE = path.join(CACHE, "render.js.v8");
const ENTRY = path.join(ROOT, "scripts", "render.ts");

const mtime = (f) => {
  try {
    return fs.statSync(f).mtimeMs;
  } catch {
    return Infinity;
  }
};

/** Writes through a temporary file and a rename, so a concurrent render never reads half a file. */
function writeAtomic(file, data) {
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, data);
  fs.renameSync(tmp, file);
}

/** Whether the bundle is older than anything it was built from. */
function stale() {
  const built = fs.existsSync(BUNDLE) ? mtime(BUNDLE) : -Infinity;
  if (built === -Infinity || !fs.existsSync(INPUTS)) return true;
  const inputs = JSON.parse(fs.readFileSync(INPUTS, "utf8"));
  // This file too: it holds the build options.
  return [...inputs, "package-lock.json", "tsconfig.json", "scripts/render-cli.js"].some((f) => mtime(path.join(ROOT, f)) > built);
}

/**
 * Modules @pulumi/pulumi requires at load time for work a render never does: TypeScript
 * (to serialize function closures, runtime/closure/) and npm's arborist (to find a
 * program's packages for a closure, runtime/closure/codePaths.js). Together they are a
 * third of the bundle. In the bundle they are stand-ins that fail by name if anything
 * ever uses them, so a render that needed one would stop with that message.
 */
const UNUSED = ["typescript", "@npmcli/arborist"];

/** The stand-in of one unused module: a file the bundle's alias points at. */
function standIn(name) {
  const file = path.join(CACHE, `unused-${name.replace(/[^a-z0-9]/gi, "-")}.js`);
  const what = JSON.stringify(`${name} is not part of the render's bundle (scripts/render-cli.js: UNUSED), yet it was asked for `);
  writeAtomic(
    file,
    `module.exports = new Proxy({}, { get(_, key) { if (typeof key === "symbol" || key === "__esModule" || key === "then") return undefined; throw new Error(${what} + String(key)); } });\n`,
  );
  return file;
}

function build() {
  const esbuild = require("esbuild");
  fs.mkdirSync(CACHE, { recursive: true });
  const tmp = `${BUNDLE}.${process.pid}.tmp`;
  const result = esbuild.buildSync({
    entryPoints: [ENTRY],
    bundle: true,
    platform: "node",
    target: "node20",
    format: "cjs",
    // No keepNames: it wraps every function esbuild creates in `__name(fn, "…")`, an
    // Object.defineProperty per closure created, which cost prod's render about 0.5 s in
    // the canary simulator's inner loop (counts(), components/model/delivery/queries.ts).
    // Nothing reads a renamed name: a RunError is recognised by Pulumi's flag
    // (RunError.isInstance, render/index.ts), and test/stacks/render.test.ts compares the
    // CLI's files and one-line errors with the in-process render's.
    keepNames: false,
    minifyWhitespace: true,
    minifySyntax: true,
    outfile: tmp,
    metafile: true,
    logLevel: "error",
    // The preflight's clients, loaded with import() only by `pulumi up`; never by a render.
    external: ["@kubernetes/client-node", "@aws-sdk/*"],
    tsconfig: path.join(ROOT, "tsconfig.json"),
    alias: Object.fromEntries(UNUSED.map((m) => [m, standIn(m)])),
  });
  const own = Object.keys(result.metafile.inputs).filter((f) => !f.startsWith("node_modules/"));
  writeAtomic(INPUTS, JSON.stringify(own));
  fs.renameSync(tmp, BUNDLE);
  fs.rmSync(CODE_CACHE, { force: true });
}

function run() {
  const source = fs.readFileSync(BUNDLE, "utf8");
  let cachedData;
  try {
    cachedData = fs.readFileSync(CODE_CACHE);
  } catch {
    cachedData = undefined;
  }
  const script = new vm.Script(Module.wrap(source), { filename: BUNDLE, cachedData });
  const bundle = new Module(BUNDLE, module);
  bundle.filename = BUNDLE;
  bundle.paths = Module._nodeModulePaths(CACHE);
  // The bundle is the main module: scripts/render.ts runs its command when it is.
  process.mainModule = bundle;
  const req = (id) => bundle.require(id);
  req.main = bundle;
  req.resolve = (id, o) => Module._resolveFilename(id, bundle, false, o);
  req.cache = Module._cache;
  if (cachedData === undefined || script.cachedDataRejected) {
    // After the render, so the cache also holds the functions it compiled lazily.
    process.once("exit", () => {
      try {
        writeAtomic(CODE_CACHE, script.createCachedData());
      } catch {
        // a cache that cannot be written only costs the next run its compile time
      }
    });
  }
  script.runInThisContext().call(bundle.exports, bundle.exports, req, bundle, BUNDLE, CACHE);
}

if (stale()) build();
run();
