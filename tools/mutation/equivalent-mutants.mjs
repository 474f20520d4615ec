// The equivalent mutants of the product code, kept here instead of `// Stryker disable`
// pragmas in it: a StrykerJS ignorer plugin (stryker.config.json: "plugins", "ignorers")
// that reports each listed node as Ignored with its reason. An entry names the file, the
// node's type and its exact source (and, where that is not unique, its parent's source);
// test/tooling/equivalent-mutants.test.ts fails when an entry matches no node, so a stale
// entry cannot hide a mutant of changed code.
import { PluginKind, declareValuePlugin } from "@stryker-mutator/api/plugin";

export const EQUIVALENT_MUTANTS = [
  {
    file: "components/config/parse.ts",
    type: "StringLiteral",
    source: '""',
    parent: 'colon >= 0 ? fullKey.slice(0, colon) : ""',
    reason: "a key without a namespace is not ours under any name far enough from the project's",
  },
  {
    file: "components/config/parse.ts",
    type: "RegExpLiteral",
    source: "/^must be a /",
    reason: 'every message for an unset value starts with "must be"',
  },
  {
    file: "components/config/rules/data.ts",
    type: "StringLiteral",
    source: '""',
    parent: 'parseImage(ms.clientImage).tag ?? ""',
    reason: "a tag without leading digits names no major version, as no tag does",
  },
  {
    file: "components/config/fields.ts",
    type: "TemplateLiteral",
    source: "`must be ${BYTE_SIZE_HELP}`",
    reason: "zod words an empty message with text()'s error, the same \"must be <the size form>\"",
  },
  {
    file: "components/config/images.ts",
    type: "StringLiteral",
    source: '""',
    parent: 'r.domain ?? ""',
    reason: "a reference parseFamiliarName accepts always has a domain (docker.io by default); the fallback only satisfies its optional type",
  },
  {
    file: "components/config/images.ts",
    type: "StringLiteral",
    source: '""',
    parent: 'r.repository ?? ""',
    reason: "a reference parseFamiliarName accepts always has a repository; the fallback only satisfies its optional type",
  },
  {
    file: "components/config/images.ts",
    type: "RegExpLiteral",
    source: "/^invalid reference format:?\\s*/",
    reason: '@swimlane/docker-reference writes "invalid reference format" only at a message\'s start (src/parsers.ts)',
  },
  {
    file: "components/config/stackFile.ts",
    type: "CallExpression",
    sourceStartsWith: "fs\n    .readdirSync(root)",
    reason: "Node's readdirSync returns sorted names (libuv's scandir); the sort keeps the order from resting on that",
  },
  {
    file: "policy/policies/supply-chain.ts",
    type: "StringLiteral",
    source: '""',
    parent: 'c.image ?? ""',
    reason: "any default that is no reference reads the same (String(undefined) would be one)",
  },
  {
    file: "policy/policies/common.ts",
    type: "UnaryExpression",
    source: '!type.startsWith("kubernetes:")',
    reason: "another provider's type, cut after the prefix's length, never names a kind of POD_PATHS (those have an API group and version)",
  },
  {
    file: "policy/policies/common.ts",
    type: "BooleanLiteral",
    source: "false",
    parent: "patch: false",
    reason: "with no pods there is nothing a patch flag could change",
  },
  {
    file: "components/model/delivery/rollout.ts",
    type: "BinaryExpression",
    source: 'd.trafficRouter === "gatewayApi"',
    reason: 'a canary always routes through the Gateway API: the configuration refuses trafficRouter "none" for one (components/config/rules/delivery.ts); the term ties the plugin to the router it serves',
  },
];

/** The entry a node matches, if any. */
export function equivalentOf(path) {
  const filename = path.hub?.file?.opts?.filename ?? "";
  for (const e of EQUIVALENT_MUTANTS) {
    if (path.node.type !== e.type || !filename.replace(/\\/g, "/").endsWith(e.file)) continue;
    const source = path.getSource();
    if (e.source !== undefined && source !== e.source) continue;
    if (e.sourceStartsWith !== undefined && !source.startsWith(e.sourceStartsWith)) continue;
    if (e.parent !== undefined && path.parentPath?.getSource() !== e.parent) continue;
    return e;
  }
  return undefined;
}

export const strykerPlugins = [
  declareValuePlugin(PluginKind.Ignore, "equivalent-mutants", {
    shouldIgnore(path) {
      const e = equivalentOf(path);
      return e ? `equivalent: ${e.reason}` : undefined;
    },
  }),
];
