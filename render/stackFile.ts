// Reads Pulumi.<stack>.yaml (and Pulumi.yaml's project-level defaults) into the raw
// key/value form the Pulumi engine hands a program, without the Pulumi CLI.
// Encrypted (`secure:`) values cannot be decrypted here, so they become placeholders
// that are still marked secret: the render shows where secrets go, never what they are.
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { PROJECT, RawConfig } from "../components/config";

export const ROOT = path.resolve(__dirname, "..");

const placeholder = (key: string) => `placeholder-for-${key}`;

function isSecure(v: unknown): v is { secure: string } {
  return typeof v === "object" && v !== null && !Array.isArray(v) && typeof (v as { secure?: unknown }).secure === "string";
}

/** Replaces nested `secure:` leaves; reports whether any were found. */
function replaceSecure(v: unknown, key: string): [unknown, boolean] {
  if (isSecure(v)) return [placeholder(key), true];
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

function fullKey(key: string): string {
  return key.includes(":") ? key : `${PROJECT}:${key}`;
}

export function stackFilePath(stack: string, root = ROOT): string {
  return path.join(root, `Pulumi.${stack}.yaml`);
}

export function listStacks(root = ROOT): string[] {
  return fs
    .readdirSync(root)
    .map((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1])
    .filter((s): s is string => s !== undefined)
    .sort();
}

/** The stack file's config as Pulumi would pass it: strings, JSON for structured values. */
export function readStackConfig(stack: string, root = ROOT): RawConfig {
  const file = stackFilePath(stack, root);
  if (!fs.existsSync(file)) {
    const known = listStacks(root);
    throw new Error(`no stack file ${path.basename(file)}; known stacks: ${known.join(", ") || "(none)"}`);
  }
  const raw: RawConfig = {};
  const project = parse(fs.readFileSync(path.join(root, "Pulumi.yaml"), "utf8")) as {
    config?: Record<string, { default?: unknown }>;
  };
  for (const [key, decl] of Object.entries(project.config ?? {})) {
    if (decl && typeof decl === "object" && "default" in decl) {
      const v = decl.default;
      raw[fullKey(key)] = { value: typeof v === "string" ? v : JSON.stringify(v), secret: false };
    }
  }
  const doc = (parse(fs.readFileSync(file, "utf8")) ?? {}) as { config?: Record<string, unknown> };
  for (const [key, value] of Object.entries(doc.config ?? {})) {
    const [v, secret] = replaceSecure(value, key.split(":").pop()!);
    raw[fullKey(key)] = { value: typeof v === "string" ? v : JSON.stringify(v), secret };
  }
  return raw;
}
