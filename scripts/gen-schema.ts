/**
 * Writes schema.json (`npm run gen-schema`; `npm run gen-sdks` runs it first) from three parts:
 * - plugin/schema-base.json, written by hand: the package's metadata, config, types, outputs,
 *   each resource's and function's description, and the language sections (each of which
 *   respects the schema's version, so every generated SDK asks the engine for this plugin version);
 * - the version, package.json's: the one `npm run pack:plugin` packs and the plugin reports;
 * - the inputs of each resource and function, derived from the argument declarations
 *   (sdk/arguments.ts, picked per function in provider/args.ts): name, type, doc and whether it
 *   is required are written there once, and the plugin checks its input with the same lists.
 * tests/plugin/schema.test.ts fails when schema.json differs from what this writes.
 */
import * as fs from "fs";
import * as path from "path";
import { ENSURE_FRESH_BACKUP_ARGUMENTS, GET_BACKUPS_ARGUMENTS, REQUIRE_FRESH_BACKUP_ARGUMENTS } from "../provider/args";
import type { ArgumentDecl } from "../sdk/internal";
import { REPO_ROOT } from "./repo-root";

export const SCHEMA_FILE = path.join(REPO_ROOT, "schema.json");
const BASE_FILE = path.join(REPO_ROOT, "plugin", "schema-base.json");
const PACKAGE_FILE = path.join(REPO_ROOT, "package.json");

const TOKEN = "alicloud-rds-backups:index:";
/** Which declared arguments each resource and function takes. */
const RESOURCE_INPUTS: Readonly<Record<string, readonly ArgumentDecl[]>> = {
  [`${TOKEN}FreshBackupGate`]: REQUIRE_FRESH_BACKUP_ARGUMENTS,
  [`${TOKEN}EnsuredBackup`]: ENSURE_FRESH_BACKUP_ARGUMENTS,
};
const FUNCTION_INPUTS: Readonly<Record<string, readonly ArgumentDecl[]>> = {
  [`${TOKEN}getBackups`]: GET_BACKUPS_ARGUMENTS,
};

/**
 * A declared type as a schema type. A duration and a time travel as text in every language
 * (a duration may also be a number of seconds, written as text: "3600").
 */
const SCHEMA_TYPES: Readonly<Record<ArgumentDecl["type"], string>> = {
  string: "string",
  integer: "integer",
  boolean: "boolean",
  duration: "string",
  time: "string",
};

type Json = Record<string, unknown>;
interface SchemaBase {
  name: string;
  displayName: string;
  version?: unknown;
  resources: Record<string, Json>;
  functions: Record<string, Json>;
}

function properties(decls: readonly ArgumentDecl[]): Json {
  return Object.fromEntries(decls.map((d) => [d.name, { type: SCHEMA_TYPES[d.type], description: description(d) }]));
}

/** Its doc, and the values a list allows when the doc does not name them all (an SDK user sees no rule). */
function description(decl: ArgumentDecl): string {
  const { doc, rule } = decl;
  if (rule.kind !== "oneOf" || rule.values.every((v) => doc.includes(`\`${v}\``))) return doc;
  return `${doc} One of ${rule.values.map((v) => `\`${v}\``).join(", ")}.`;
}

function required(decls: readonly ArgumentDecl[]): string[] {
  return decls.filter((d) => d.required).map((d) => d.name);
}

/** The arguments of `token`: one the base describes but no list declares is a mistake of this package. */
function inputsFor(table: Readonly<Record<string, readonly ArgumentDecl[]>>, token: string): readonly ArgumentDecl[] {
  const decls = table[token];
  if (decls === undefined) throw new Error(`gen-schema: no argument list for ${token} (plugin/schema-base.json)`);
  return decls;
}

/** schema.json's text: the base with each resource's and function's inputs in place. */
export function generateSchema(): string {
  const base = JSON.parse(fs.readFileSync(BASE_FILE, "utf8")) as SchemaBase;
  if (base.version !== undefined)
    throw new Error("gen-schema: plugin/schema-base.json has a version; the version is package.json's");
  const { version } = JSON.parse(fs.readFileSync(PACKAGE_FILE, "utf8")) as { version: string };
  for (const token of [...Object.keys(RESOURCE_INPUTS), ...Object.keys(FUNCTION_INPUTS)]) {
    if (base.resources[token] === undefined && base.functions[token] === undefined)
      throw new Error(`gen-schema: ${token} has arguments but plugin/schema-base.json does not describe it`);
  }
  const resources = Object.fromEntries(
    Object.entries(base.resources).map(([token, { description, ...outputs }]) => {
      const decls = inputsFor(RESOURCE_INPUTS, token);
      return [token, { description, inputProperties: properties(decls), requiredInputs: required(decls), ...outputs }];
    }),
  );
  const functions = Object.fromEntries(
    Object.entries(base.functions).map(([token, { description, ...outputs }]) => {
      const decls = inputsFor(FUNCTION_INPUTS, token);
      return [token, { description, inputs: { properties: properties(decls), required: required(decls) }, ...outputs }];
    }),
  );
  const { name, displayName, ...rest } = base;
  return `${JSON.stringify({ name, displayName, version, ...rest, resources, functions }, null, 2)}\n`;
}

if (require.main === module) {
  try {
    fs.writeFileSync(SCHEMA_FILE, generateSchema());
    console.log(`schema.json: written from plugin/schema-base.json and the argument declarations`);
  } catch (err) {
    console.error(`gen-schema: ${(err as Error).message}`);
    process.exitCode = 1;
  }
}
