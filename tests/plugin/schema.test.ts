/**
 * plugin/schema.json against the code: it is exactly what scripts/gen-schema.ts writes (its inputs
 * derived from the argument declarations the plugin checks with), the required inputs are the
 * ones the checks require, every property has a description, every type reference resolves.
 */
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import {
  checkBackupsArgs,
  checkEnsureBackupArgs,
  checkFreshBackupArgs,
  ENSURE_FRESH_BACKUP_ARGUMENTS,
  REQUIRE_FRESH_BACKUP_ARGUMENTS,
} from "../../provider/args";
import { BACKUPS_OUTPUTS, ENSURE_OUTPUTS, GATE_OUTPUTS, type OutputDecl } from "../../provider/outputs";
import { REPO_ROOT } from "../../support/repo-root";
import { CONFIG_KEYS } from "../../plugin/config";
import { generateSchema, SCHEMA_FILE } from "../../scripts/gen-schema";

/** The parts of a Pulumi package schema this test reads. */
type Properties = Record<string, { description?: string; secret?: boolean }>;
interface PackageSchema {
  config: { variables: Properties };
  provider: { inputProperties: Properties };
  types: Record<string, { properties: Properties }>;
  resources: Record<string, { inputProperties: Properties; requiredInputs: string[]; properties: Properties }>;
  functions: Record<
    string,
    { inputs: { properties: Properties; required: string[] }; outputs: { properties: Properties } }
  >;
  language: Record<string, unknown>;
}

const schemaText = fs.readFileSync(SCHEMA_FILE, "utf8");
const schema = JSON.parse(schemaText) as PackageSchema;

/** The fields a check reports as missing when given no argument at all. */
function requiredBy(check: (args: unknown) => { failures: readonly { field: string }[] }): string[] {
  return check({})
    .failures.map((f) => f.field)
    .sort();
}

function propertyMaps(): Array<[string, Properties]> {
  const maps: Array<[string, Properties]> = [
    ["config", schema.config.variables],
    ["provider", schema.provider.inputProperties],
  ];
  for (const [token, type] of Object.entries(schema.types)) maps.push([token, type.properties]);
  for (const [token, resource] of Object.entries(schema.resources)) {
    maps.push([`${token} inputs`, resource.inputProperties], [`${token} outputs`, resource.properties]);
  }
  for (const [token, fn] of Object.entries(schema.functions)) {
    maps.push([`${token} inputs`, fn.inputs.properties], [`${token} outputs`, fn.outputs.properties]);
  }
  return maps;
}

describe("schema.json", () => {
  it("is what npm run gen-schema writes from the argument declarations (else: npm run gen-sdks)", () => {
    expect(schemaText === generateSchema(), "schema.json differs from a regeneration; run npm run gen-sdks").to.equal(
      true,
    );
  });

  it("requires the inputs that getBackups, the gate and ensure require", () => {
    expect([...schema.functions["alicloud-rds-backups:index:getBackups"]!.inputs.required].sort()).to.deep.equal(
      requiredBy(checkBackupsArgs),
    );
    expect([...schema.resources["alicloud-rds-backups:index:FreshBackupGate"]!.requiredInputs].sort()).to.deep.equal(
      requiredBy(checkFreshBackupArgs),
    );
    expect([...schema.resources["alicloud-rds-backups:index:EnsuredBackup"]!.requiredInputs].sort()).to.deep.equal(
      requiredBy(checkEnsureBackupArgs),
    );
  });

  it("has each resource's and function's outputs as provider/outputs.ts declares them, written nowhere else", () => {
    const names = (decls: readonly { name: string }[]) => decls.map((d) => d.name);
    const requiredOf = (decls: readonly OutputDecl[]) => names(decls.filter((d) => d.required));
    const resources: Array<[string, readonly { name: string; required?: boolean }[], readonly OutputDecl[]]> = [
      ["FreshBackupGate", REQUIRE_FRESH_BACKUP_ARGUMENTS, GATE_OUTPUTS],
      ["EnsuredBackup", ENSURE_FRESH_BACKUP_ARGUMENTS, ENSURE_OUTPUTS],
    ];
    for (const [name, args, outputs] of resources) {
      const resource = schema.resources[`alicloud-rds-backups:index:${name}`]!;
      // A resource's outputs echo its inputs, then add what it computes.
      expect(Object.keys(resource.properties), name).to.deep.equal([...names(args), ...names(outputs)]);
      for (const decl of outputs) expect(resource.properties[decl.name]?.description, decl.name).to.equal(decl.doc);
      expect((resource as unknown as { required: string[] }).required, name).to.include.members(requiredOf(outputs));
    }
    const getBackups = schema.functions["alicloud-rds-backups:index:getBackups"]!;
    expect(Object.keys(getBackups.outputs.properties)).to.deep.equal(["id", "dbInstanceId", ...names(BACKUPS_OUTPUTS)]);
    // The hand-written base holds no output a declaration holds: one place for each.
    const base = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "plugin", "schema-base.json"), "utf8")) as {
      resources: Record<string, Record<string, unknown>>;
      functions: Record<string, { outputs: { properties: Record<string, unknown> } }>;
    };
    for (const [token, resource] of Object.entries(base.resources))
      expect(resource, token).not.to.have.property("properties");
    expect(Object.keys(base.functions["alicloud-rds-backups:index:getBackups"]!.outputs.properties)).to.deep.equal([
      "id",
      "dbInstanceId",
    ]);
  });

  it("declares the provider's settings as config and as the provider's inputs, keys secret", () => {
    expect(Object.keys(schema.config.variables).sort()).to.deep.equal([...CONFIG_KEYS].sort());
    expect(schema.provider.inputProperties).to.deep.equal(
      Object.fromEntries(
        Object.entries(schema.config.variables).map(([k, v]) => [
          k,
          { ...v, description: schema.provider.inputProperties[k]?.description },
        ]),
      ),
    );
    const secrets = Object.entries(schema.config.variables)
      .filter(([, v]) => v.secret)
      .map(([k]) => k)
      .sort();
    expect(secrets).to.deep.equal(["accessKeyId", "accessKeySecret", "securityToken"]);
  });

  it("describes every property, and every type it refers to exists", () => {
    const text = JSON.stringify(schema);
    for (const [where, props] of propertyMaps()) {
      for (const [name, prop] of Object.entries(props)) {
        expect(prop.description, `${where}: ${name}`).to.be.a("string").and.not.equal("");
      }
    }
    for (const ref of text.match(/"#\/types\/[^"]+"/g) ?? []) {
      expect(schema.types, ref).to.have.property(ref.slice(9, -1));
    }
    for (const lang of ["nodejs", "python", "go", "csharp"]) expect(schema.language).to.have.property(lang);
  });
});

// getRecoverability (its own imports here, so this section merges as an append).
import { checkRecoverabilityArgs, GET_RECOVERABILITY_ARGUMENTS } from "../../provider/args";
import { RECOVERABILITY_OUTPUTS } from "../../provider/outputs";

describe("schema.json: getRecoverability", () => {
  const fn = schema.functions["alicloud-rds-backups:index:getRecoverability"]!;

  it("takes the arguments its check takes, requiring the same ones", () => {
    expect(Object.keys(fn.inputs.properties)).to.deep.equal(GET_RECOVERABILITY_ARGUMENTS.map((d) => d.name));
    expect([...fn.inputs.required].sort()).to.deep.equal(requiredBy(checkRecoverabilityArgs));
    expect(fn.inputs.properties).not.to.have.property("now");
  });

  it("returns the identity, then the outputs provider/outputs.ts declares, each with its doc", () => {
    expect(Object.keys(fn.outputs.properties)).to.deep.equal([
      "id",
      "dbInstanceId",
      ...RECOVERABILITY_OUTPUTS.map((d) => d.name),
    ]);
    for (const decl of RECOVERABILITY_OUTPUTS) expect(fn.outputs.properties[decl.name]?.description).to.equal(decl.doc);
    // The log files' links are secrets in every language's types.
    const logFile = schema.types["alicloud-rds-backups:index:LogFile"]!;
    expect(logFile.properties.downloadLink?.secret).to.equal(true);
    expect(logFile.properties.intranetDownloadLink?.secret).to.equal(true);
  });
});
