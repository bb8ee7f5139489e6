/**
 * schema.json against the code: every input the schema declares is an argument the provider
 * accepts and every argument it accepts is declared (the parsers list the accepted names in their
 * unknown-argument failure); every property has a description; every type reference resolves.
 */
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { REPO_ROOT } from "../../scripts/repo-root";
import { parseBackupsArgs, parseEnsureBackupArgs, parseFreshBackupArgs } from "../../provider/args";
import { CONFIG_KEYS } from "../../plugin/config";
import { RdsValidationError } from "../../sdk/errors";

/** The parts of a Pulumi package schema this test reads. */
type Properties = Record<string, { description?: string; secret?: boolean }>;
interface PackageSchema {
  config: { variables: Properties };
  provider: { inputProperties: Properties };
  types: Record<string, { properties: Properties }>;
  resources: Record<string, { inputProperties: Properties; properties: Properties }>;
  functions: Record<string, { inputs: { properties: Properties }; outputs: { properties: Properties } }>;
  language: Record<string, unknown>;
}

const schema = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "schema.json"), "utf8")) as PackageSchema;

/** The argument names a parser accepts, read from its answer to an argument it does not know. */
function acceptedKeys(parse: (args: unknown) => unknown, required: Record<string, unknown>): string[] {
  let failures: readonly { field: string; allowed: string }[] = [];
  try {
    parse({ ...required, notAnArgument: "x" });
  } catch (err) {
    if (!(err instanceof RdsValidationError)) throw err;
    failures = err.failures;
  }
  const unknown = failures.find((f) => f.field === "notAnArgument");
  expect(unknown, "the parser refuses an unknown argument").to.not.equal(undefined);
  const list = /one of (?:the arguments )?(.*)$/.exec(unknown!.allowed)?.[1];
  expect(list, unknown!.allowed).to.be.a("string");
  return list!.split(", ").sort();
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
  it("declares exactly the arguments getBackups, the gate and ensure accept", () => {
    const declared = (props: object) => Object.keys(props).sort();
    expect(declared(schema.functions["alicloud-rds-backups:index:getBackups"]!.inputs.properties)).to.deep.equal(
      acceptedKeys(parseBackupsArgs, { dbInstanceId: "rm-uf6schema01" }),
    );
    expect(declared(schema.resources["alicloud-rds-backups:index:FreshBackupGate"]!.inputProperties)).to.deep.equal(
      acceptedKeys(parseFreshBackupArgs, { dbInstanceId: "rm-uf6schema01", maxAge: "24h" }),
    );
    expect(declared(schema.resources["alicloud-rds-backups:index:EnsuredBackup"]!.inputProperties)).to.deep.equal(
      acceptedKeys(parseEnsureBackupArgs, { dbInstanceId: "rm-uf6schema01", maxAge: "24h" }),
    );
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
