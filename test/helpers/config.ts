// Stack configuration for the parser tests: a stack file's values with a patch merged in.
import { strict as assert } from "assert";
import { ConfigError, RawConfig, parseStackConfig } from "../../components/config";
import { stackRaw } from "./mocks";

export type Patch = Record<string, unknown>;

/** The stack file's value of each top-level key with the patch merged in (objects merged, arrays replaced, null deletes). */
export function patchedRaw(stack: string, patch: Patch): RawConfig {
  const base = stackRaw(stack);
  const merge = (a: unknown, b: unknown): unknown => {
    if (b === null) return undefined;
    if (typeof b !== "object" || Array.isArray(b)) return b;
    const out: Record<string, unknown> = typeof a === "object" && a !== null && !Array.isArray(a) ? { ...(a as Record<string, unknown>) } : {};
    for (const [k, v] of Object.entries(b)) {
      const m = merge(out[k], v);
      if (m === undefined) delete out[k];
      else out[k] = m;
    }
    return out;
  };
  const overrides: Patch = {};
  for (const [k, v] of Object.entries(patch)) {
    const have = base[`agent-platform:${k}`];
    const parsed = have === undefined ? undefined : have.value.startsWith("{") || have.value.startsWith("[") ? JSON.parse(have.value) : have.value;
    overrides[k] = merge(parsed, v);
  }
  return stackRaw(stack, overrides);
}

/** The problems the parser reports for the patched stack; [] when it is accepted. */
export function problemsOf(stack: string, patch: Patch): string[] {
  try {
    parseStackConfig(patchedRaw(stack, patch), stack);
  } catch (e) {
    assert.ok(e instanceof ConfigError, `expected a ConfigError, got ${String(e)}`);
    return e.problems;
  }
  return [];
}

/** `a.b.c` = v as a patch. */
export function at(path: string, value: unknown): Patch {
  return path
    .split(".")
    .reverse()
    .reduce<unknown>((v, k) => ({ [k]: v }), value) as Patch;
}
