/**
 * Writes plugin/schema.json (`npm run gen-schema`; `npm run gen-sdks` runs it first) from four parts:
 * - plugin/schema-base.json, written by hand: the package's metadata, config, types, each
 *   resource's and function's description, the function's identity outputs (`id`,
 *   `dbInstanceId`), and the language sections (each of which respects the schema's version, so
 *   every generated SDK asks the engine for this plugin version);
 * - the version, package.json's: the one `npm run pack:plugin` packs and the plugin reports;
 * - the inputs of each resource and function, derived from the argument declarations
 *   (sdk/arguments.ts, picked per function in provider/args.ts): name, type, doc and whether it
 *   is required are written there once, and the plugin checks its input with the same lists;
 * - the outputs, from each resource's output declarations (provider/outputs.ts), which the
 *   provider core returns; a resource's outputs also echo its inputs.
 * tests/plugin/schema.test.ts fails when schema.json differs from what this writes.
 */
import * as fs from "fs";
import * as path from "path";
import {
  ENSURE_FRESH_BACKUP_ARGUMENTS,
  GET_BACKUPS_ARGUMENTS,
  GET_RECOVERABILITY_ARGUMENTS,
  REQUIRE_FRESH_BACKUP_ARGUMENTS,
} from "../provider/args";
import {
  BACKUPS_OUTPUTS,
  ENSURE_OUTPUTS,
  GATE_OUTPUTS,
  RECOVERABILITY_OUTPUTS,
  type OutputDecl,
  type OutputType,
} from "../provider/outputs";
import type { ArgumentDecl } from "../sdk/internal";
import { REPO_ROOT } from "../support/repo-root";

export const SCHEMA_FILE = path.join(REPO_ROOT, "plugin", "schema.json");
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
  [`${TOKEN}getRecoverability`]: GET_RECOVERABILITY_ARGUMENTS,
};
/** Which declared outputs each resource and function returns. */
const OUTPUTS: Readonly<Record<string, readonly OutputDecl[]>> = {
  [`${TOKEN}FreshBackupGate`]: GATE_OUTPUTS,
  [`${TOKEN}EnsuredBackup`]: ENSURE_OUTPUTS,
  [`${TOKEN}getBackups`]: BACKUPS_OUTPUTS,
  [`${TOKEN}getRecoverability`]: RECOVERABILITY_OUTPUTS,
};

const BACKUP_REF = { $ref: `#/types/${TOKEN}Backup` };
/** An output's declared type as a schema type. */
const OUTPUT_TYPES: Readonly<Record<OutputType, Json>> = {
  string: { type: "string" },
  number: { type: "number" },
  integer: { type: "integer" },
  boolean: { type: "boolean" },
  "string[]": { type: "array", items: { type: "string" } },
  backup: BACKUP_REF,
  "backup[]": { type: "array", items: BACKUP_REF },
  overrideRecord: { $ref: `#/types/${TOKEN}GateOverrideRecord` },
  backupPolicy: { $ref: `#/types/${TOKEN}BackupPolicy` },
  "logFile[]": { type: "array", items: { $ref: `#/types/${TOKEN}LogFile` } },
  "logGap[]": { type: "array", items: { $ref: `#/types/${TOKEN}LogGap` } },
  "recoverabilityFailure[]": { type: "array", items: { $ref: `#/types/${TOKEN}RecoverabilityFailure` } },
};

/**
 * A declared type as a schema type. A duration and a time travel as text in every language (a
 * duration's text needs its unit: "3600s", "1h").
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
  resources: Record<string, { description: string }>;
  functions: Record<string, { description: string; outputs: { properties: Json; required: string[] } }>;
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

function required(decls: readonly (ArgumentDecl | OutputDecl)[]): string[] {
  return decls.filter((d) => d.required).map((d) => d.name);
}

function outputProperties(decls: readonly OutputDecl[]): Json {
  return Object.fromEntries(decls.map((d) => [d.name, { ...OUTPUT_TYPES[d.type], description: d.doc }]));
}

/** The outputs of `token`; a key the base writes by hand as well is a mistake (one place for each). */
function outputsFor(token: string, handWritten: Json = {}): readonly OutputDecl[] {
  const decls = OUTPUTS[token];
  if (decls === undefined) throw new Error(`gen-schema: no output list for ${token} (provider/outputs.ts)`);
  const twice = decls.filter((d) => d.name in handWritten).map((d) => d.name);
  if (twice.length > 0)
    throw new Error(
      `gen-schema: ${token} outputs ${twice.join(", ")} are declared in provider/outputs.ts; remove them from plugin/schema-base.json`,
    );
  return decls;
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
    Object.entries(base.resources).map(([token, { description, ...rest }]) => {
      const decls = inputsFor(RESOURCE_INPUTS, token);
      const outputs = outputsFor(token, (rest as { properties?: Json }).properties);
      return [
        token,
        {
          description,
          inputProperties: properties(decls),
          requiredInputs: required(decls),
          ...rest,
          // Its outputs: the inputs echoed, then what it computes.
          properties: { ...properties(decls), ...outputProperties(outputs) },
          required: [...required(decls), ...required(outputs)],
        },
      ];
    }),
  );
  const functions = Object.fromEntries(
    Object.entries(base.functions).map(([token, { description, outputs: identity, ...rest }]) => {
      const decls = inputsFor(FUNCTION_INPUTS, token);
      const outputs = outputsFor(token, identity.properties);
      return [
        token,
        {
          description,
          inputs: { properties: properties(decls), required: required(decls) },
          outputs: {
            properties: { ...identity.properties, ...outputProperties(outputs) },
            required: [...identity.required, ...required(outputs)],
          },
          ...rest,
        },
      ];
    }),
  );
  const { name, displayName, ...rest } = base;
  return `${JSON.stringify({ name, displayName, version, ...rest, resources, functions }, null, 2)}\n`;
}

if (require.main === module) {
  try {
    fs.writeFileSync(SCHEMA_FILE, generateSchema());
    console.log(`plugin/schema.json: written from plugin/schema-base.json and the argument declarations`);
  } catch (err) {
    console.error(`gen-schema: ${(err as Error).message}`);
    process.exitCode = 1;
  }
}
