// Reads Pulumi.<stack>.yaml (and Pulumi.yaml's declarations, by the engine's rules:
// project.ts) into the raw key/value form the Pulumi engine hands a program, without the
// Pulumi CLI: what the
// render command and the tests feed to parseStackConfig. Encrypted (`secure:`) values
// cannot be decrypted here, so they become placeholders that are still marked secret:
// the render shows where secrets go, never what they are. A YAML syntax error is one
// ConfigError line with file, line and column.
import * as fs from "fs";
import * as path from "path";
import { YAMLParseError, parse } from "yaml";
import { ConfigError } from "./messages";
import { StackEntry, applyProjectConfig, projectDeclarations } from "./project";
import type { RawConfig } from "./parse";
import { secretPlaceholder } from "./parse";
import { PROJECT } from "./schema";

export { ROOT } from "../shared/root";
import { ROOT } from "../shared/root";

function isSecure(v: unknown): v is { secure: string } {
  return typeof v === "object" && v !== null && !Array.isArray(v) && typeof (v as { secure?: unknown }).secure === "string";
}

/** Replaces nested `secure:` leaves; reports whether any were found. */
function replaceSecure(v: unknown, key: string): [unknown, boolean] {
  if (isSecure(v)) return [secretPlaceholder(key), true];
  if (Array.isArray(v)) {
    const parts = v.map((e) => replaceSecure(e, key));
    return [parts.map((p) => p[0]), parts.some((p) => p[1])];
  }
  if (typeof v === "object" && v !== null) {
    let any = false;
    const out: Record<string, unknown> = {};
    for (const [k, e] of Object.entries(v)) {
      const [r, s] = replaceSecure(e, key);
      out[k] = r;
      any ||= s;
    }
    return [out, any];
  }
  return [v, false];
}

export function stackFilePath(stack: string, root = ROOT): string {
  return path.join(root, `Pulumi.${stack}.yaml`);
}

export function listStacks(root = ROOT): string[] {
  if (!fs.existsSync(root)) return [];
  return fs
    .readdirSync(root)
    .map((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1])
    .filter((s): s is string => s !== undefined)
    .sort();
}

/** Parses a YAML file; a syntax error becomes one line naming file, line and column. */
function readYaml(file: string, stack: string): unknown {
  try {
    return parse(fs.readFileSync(file, "utf8"));
  } catch (e) {
    if (e instanceof YAMLParseError) {
      const pos = e.linePos?.[0];
      const where = pos ? `${path.basename(file)}:${pos.line}:${pos.col}` : path.basename(file);
      const reason = e.message.split("\n")[0].replace(/ at line \d+, column \d+:?$/, "");
      throw new ConfigError(stack, [`${where}: YAML syntax error: ${reason}`]);
    }
    throw e;
  }
}

/**
 * The stack file's config as the engine passes it to the program: `Pulumi.yaml`'s
 * declarations checked and applied by the engine's rules (project.ts: required keys,
 * defaults and values, types, secrets only from `secure:`), values as strings, JSON for
 * structured values. An engine refusal is one ConfigError line in the engine's words.
 */
export function readStackConfig(stack: string, root = ROOT, project: string = PROJECT): RawConfig {
  const file = stackFilePath(stack, root);
  if (!fs.existsSync(file)) {
    const known = listStacks(root);
    throw new Error(`no stack file ${path.basename(file)}; known stacks: ${known.join(", ") || "(none)"}`);
  }
  const doc0 = readYaml(path.join(root, "Pulumi.yaml"), stack) as { name?: unknown; config?: unknown } | null;
  if (doc0?.name !== project) {
    // The engine keys every bare config name by the project's name; ours are `<project>:`.
    throw new ConfigError(stack, [`Pulumi.yaml: the project's name must be "${project}" (the namespace of every key this program reads), not ${JSON.stringify(doc0?.name ?? null)}`]);
  }
  const declared = projectDeclarations(project, doc0.config);
  if (declared.problems.length) throw new ConfigError(stack, [declared.problems[0]]);

  const doc = (readYaml(file, stack) ?? {}) as { config?: Record<string, unknown> };
  if (doc.config !== undefined && (typeof doc.config !== "object" || doc.config === null || Array.isArray(doc.config))) {
    throw new ConfigError(stack, [`${path.basename(file)}: \`config:\` must be a mapping of keys to values`]);
  }
  const entries: Record<string, StackEntry> = {};
  for (const [key, value] of Object.entries(doc.config ?? {})) {
    const [v, secure] = replaceSecure(value, key.split(":").pop()!);
    entries[key] = { value: v, secure };
  }
  const applied = applyProjectConfig(stack, project, declared.declarations, entries);
  if (applied.problems.length) throw new ConfigError(stack, applied.problems);
  return applied.raw;
}
