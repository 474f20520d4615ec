// The engine's rules for `Pulumi.yaml`'s `config:` block, as the Pulumi CLI applies them
// before a program runs (`pulumi preview`, `pulumi up`), so that the credential-free
// render refuses what the engine refuses, with the engine's own words. Read at the CLI
// version this repository pins (.pulumi-version: pulumi/pulumi v3.248.0):
//
// - sdk/go/common/workspace/project.go, `(*Project).Validate`: a declaration may not have
//   both `default` and `value`; a key of the project's namespace that declares an array
//   names its `items`; a typed key's `default` is of its type; a key of another namespace
//   (`aws:region`) declares neither a type nor a default, and must give a `value`.
// - sdk/go/common/workspace/project.json: the declaration's fields (type, items,
//   description, secret, default, value; nothing else) and the types (string, integer,
//   boolean, array, object); a bare scalar or list is a `value`.
// - sdk/go/common/workspace/config.go, `mergeConfig`: a key of the project's namespace
//   with neither `default` nor `value` that the stack does not set is *required*; every
//   missing key is named in one error ("Stack 'dev' is missing configuration values 'a'
//   and 'b'"); otherwise a key the stack does not set takes the value or default.
// - same file, `validateStackConfigValues`/`validateStackConfigValue` (keys in sorted
//   order, first failure wins): a `secret: true` key must be a `secure:` value; a typed
//   key's value must be of its type (`ValidateConfigValue` in project.go: an integer may
//   be written as text that parses as one, a boolean as "true"/"false"; a scalar written
//   in the stack file reaches the check as text, sdk/go/common/resource/config/object.go
//   `MarshalString`).
//
// Secure values cannot be decrypted here, so their type is not checked; the engine
// checks it after decryption.
import type { RawConfig } from "./parse";

export const PULUMI_CLI_VERSION_FILE = ".pulumi-version";

const TYPES = ["string", "integer", "boolean", "array", "object"] as const;
type TypeName = (typeof TYPES)[number];
const DECLARATION_FIELDS = ["type", "items", "description", "secret", "default", "value"];

interface ItemsType {
  type: TypeName;
  items?: ItemsType;
}

export interface ConfigDeclaration {
  type?: TypeName;
  items?: ItemsType;
  description?: string;
  secret?: boolean;
  default?: unknown;
  value?: unknown;
}

/**
 * One stack-file entry before it becomes a raw value: what YAML holds (its `secure:`
 * leaves already replaced by placeholders), and whether it held any `secure:` value.
 */
export interface StackEntry {
  value: unknown;
  secure: boolean;
}

const isMap = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** `ValidateConfigValue` (project.go): whether `value` (text for a scalar, parsed JSON for an object) is of the type. */
export function valueHasType(type: TypeName, items: ItemsType | undefined, value: unknown): boolean {
  switch (type) {
    case "string":
      return typeof value === "string";
    case "integer":
      if (typeof value === "number") return Number.isInteger(value);
      // strconv.Atoi: optional sign, decimal digits, within 64 bits
      return typeof value === "string" && /^[+-]?\d+$/.test(value) && Math.abs(Number(value)) <= 2 ** 63;
    case "boolean":
      return value === true || value === false || value === "true" || value === "false";
    case "object":
      return isMap(value);
    case "array":
      return Array.isArray(value) && items !== undefined && value.every((v) => valueHasType(items.type, items.items, v));
  }
}

/** `InferFullTypeName` (project.go): `array<string>` and so on. */
export function fullTypeName(type: TypeName, items?: ItemsType): string {
  return items ? `array<${fullTypeName(items.type, items.items)}>` : type;
}

/** `formatMissingKeys` (config.go): 'a'; 'a' and 'b'; 'a', 'b' and 'c' (the keys come sorted). */
function formatMissing(sorted: string[]): string {
  if (sorted.length === 1) return `'${sorted[0]}'`;
  return `${sorted.slice(0, -1).map((k) => `'${k}'`).join(", ")} and '${sorted[sorted.length - 1]}'`;
}

function itemsProblem(key: string, items: unknown): string | undefined {
  if (!isMap(items) || !TYPES.includes(items.type as TypeName)) {
    return `Pulumi.yaml: configuration key '${key}': items.type must be one of ${TYPES.join(", ")}`;
  }
  if (items.type === "array") return items.items === undefined ? `Pulumi.yaml: configuration key '${key}': array items must name their own items` : itemsProblem(key, items.items);
  return undefined;
}

/**
 * The project's declarations, checked as the engine checks `Pulumi.yaml`; throws the
 * problems found (engine wording where the engine has one).
 */
export function projectDeclarations(projectName: string, config: unknown): { declarations: Record<string, ConfigDeclaration>; problems: string[] } {
  const declarations: Record<string, ConfigDeclaration> = {};
  const problems: string[] = [];
  if (config === undefined || config === null) return { declarations, problems };
  if (!isMap(config)) {
    // A string here is the deprecated stack-config directory; this project does not use it.
    problems.push("Pulumi.yaml: `config:` must be a mapping of keys to their declarations");
    return { declarations, problems };
  }
  for (const [key, raw] of Object.entries(config)) {
    // project.json: a bare string, number, boolean or list is the key's value; nothing at all is no declaration.
    if (raw === null || raw === undefined) {
      problems.push(`Pulumi.yaml: configuration key '${key}' declares nothing; give it a type, a default or a value`);
      continue;
    }
    const decl: Record<string, unknown> = isMap(raw) ? raw : { value: raw };
    const unknown = Object.keys(decl).filter((f) => !DECLARATION_FIELDS.includes(f));
    if (unknown.length) {
      problems.push(`Pulumi.yaml: configuration key '${key}' has ${unknown.map((f) => `'${f}'`).join(", ")}; a declaration has only ${DECLARATION_FIELDS.join(", ")}`);
      continue;
    }
    if (decl.type !== undefined && !TYPES.includes(decl.type as TypeName)) {
      problems.push(`Pulumi.yaml: configuration key '${key}' has type '${String(decl.type)}'; the types are ${TYPES.join(", ")}`);
      continue;
    }
    const d = decl as ConfigDeclaration;
    if (d.default !== undefined && d.value !== undefined) {
      problems.push(`project config '${key}' cannot have both a 'default' and 'value' attribute`);
      continue;
    }
    const ownNamespace = !key.includes(":") || key.startsWith(`${projectName}:`);
    if (ownNamespace) {
      if (d.type === "array" && d.items === undefined) {
        problems.push(`The configuration key '${key}' declares an array but does not specify the underlying type via the 'items' attribute`);
        continue;
      }
      const items = d.items === undefined ? undefined : itemsProblem(key, d.items);
      if (items) {
        problems.push(items);
        continue;
      }
      if (d.type !== undefined && d.default !== undefined && !valueHasType(d.type, d.items, d.default)) {
        problems.push(`The default value specified for configuration key '${key}' is not of the expected type '${fullTypeName(d.type, d.items)}'`);
        continue;
      }
    } else {
      if (d.type !== undefined) {
        problems.push(`Configuration key '${key}' is not namespaced by the project and should not define a type`);
        continue;
      }
      if (d.default !== undefined) {
        problems.push(
          `Configuration key '${key}' is not namespaced by the project and should not define a default value. Did you mean to use the 'value' attribute instead of 'default'?`,
        );
        continue;
      }
      if (d.value === undefined) {
        problems.push(`Configuration key '${key}' is namespaced and must provide an attribute 'value'`);
        continue;
      }
    }
    declarations[key] = d;
  }
  return { declarations, problems };
}

/** `parseConfigKey` (config.go): a key without a namespace is the project's. */
const fullKey = (projectName: string, key: string) => (key.includes(":") ? key : `${projectName}:${key}`);

/** The text the engine holds for a value (`createConfigValue`, `MarshalString`): scalars as text, the rest as JSON. */
export function configText(v: unknown): string {
  return typeof v === "string" ? v : JSON.stringify(v);
}

/**
 * `mergeConfig` with validation (config.go): the project's values and defaults under the
 * keys the stack does not set, then the required keys, then each typed key's value.
 * Returns the raw config the program receives; problems in the engine's words.
 */
export function applyProjectConfig(
  stack: string,
  projectName: string,
  declarations: Record<string, ConfigDeclaration>,
  entries: Record<string, StackEntry>,
): { raw: RawConfig; problems: string[] } {
  const merged: Record<string, StackEntry> = {};
  for (const [k, e] of Object.entries(entries)) merged[fullKey(projectName, k)] = e;
  const missing: string[] = [];
  const keys = Object.keys(declarations).sort();
  for (const key of keys) {
    const d = declarations[key];
    const full = fullKey(projectName, key);
    if (merged[full] !== undefined) continue;
    if (d.value === undefined && d.default === undefined) {
      // Only keys of the project's namespace can be required (Validate refuses a bare
      // declaration of another namespace's key).
      missing.push(key);
      continue;
    }
    merged[full] = { value: d.default !== undefined ? d.default : d.value, secure: false };
  }
  if (missing.length) {
    return {
      raw: {},
      problems: [
        `Stack '${stack}' is missing configuration value${missing.length > 1 ? "s" : ""} ${formatMissing(missing)} ` +
          `(Pulumi.yaml declares ${missing.length > 1 ? "them" : "it"} without a default, so every stack must set ${missing.length > 1 ? "them" : "it"}: \`pulumi config set <key> <value>\`)`,
      ],
    };
  }
  for (const key of keys) {
    const d = declarations[key];
    if (d.type === undefined) continue;
    const entry = merged[fullKey(projectName, key)];
    if (d.secret && !entry.secure) return { raw: {}, problems: [`Stack '${stack}' with configuration key '${key}' must be encrypted as it's secret`] };
    if (entry.secure) continue; // checked by the engine once decrypted
    // A scalar reaches the check as the text the stack file holds; a mapping or list as itself.
    const content = isMap(entry.value) || Array.isArray(entry.value) ? entry.value : configText(entry.value);
    if (!valueHasType(d.type, d.items, content)) {
      return { raw: {}, problems: [`Stack '${stack}' with configuration key '${key}' must be of type '${fullTypeName(d.type, d.items)}'`] };
    }
  }
  const raw: RawConfig = {};
  for (const [k, e] of Object.entries(merged)) raw[k] = { value: configText(e.value), secret: e.secure };
  return { raw, problems: [] };
}
