/**
 * One version everywhere: package.json's. schema.json carries it (scripts/gen-schema.ts), every
 * generated SDK asks the engine for the plugin at it, `npm run pack:plugin` packs the plugin at it,
 * the plugin reports it, and the documented install registers it. A program whose SDK asks for
 * another version than the installed one fails with "no resource plugin ... found at version".
 */
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { packageVersion } from "../../plugin/package-files";
import { pluginInstallCommand, pluginTarballName } from "../../scripts/pack-plugin";
import { REPO_ROOT } from "../../support/repo-root";

const read = (...parts: string[]) => fs.readFileSync(path.join(REPO_ROOT, ...parts), "utf8");
const json = (...parts: string[]) => JSON.parse(read(...parts)) as { version?: string };
const VERSION = (json("package.json") as { version: string }).version;

/** Every capture of `pattern` (global, one group) in `text`. */
function captures(text: string, pattern: RegExp): string[] {
  return [...text.matchAll(pattern)].map((m) => m[1]!);
}

describe("one version: package.json's", () => {
  it("is a release version", () => {
    expect(VERSION).to.match(/^\d+\.\d+\.\d+$/);
  });

  it("is schema.json's and the one the plugin reports", () => {
    expect(json("plugin", "schema.json").version).to.equal(VERSION);
    expect(packageVersion()).to.equal(VERSION);
  });

  it("is the plugin version the Python SDK asks for (its package's version, and pulumi-plugin.json)", () => {
    expect(captures(read("lang", "python", "pyproject.toml"), /^\s*version = "([^"]*)"/gm)).to.deep.equal([VERSION]);
    expect(json("lang", "python", "pulumi_alicloud_rds_backups", "pulumi-plugin.json").version).to.equal(VERSION);
  });

  it("is the plugin version the Go SDK asks for (its default resource and invoke options, and pulumi-plugin.json)", () => {
    const utilities = read("lang", "go", "alicloudrdsbackups", "internal", "pulumiUtilities.go");
    expect(captures(utilities, /version := semver\.MustParse\("([^"]*)"\)/g)).to.deep.equal([VERSION, VERSION]);
    expect(utilities).not.to.match(/version := SdkVersion/);
    expect(json("lang", "go", "alicloudrdsbackups", "pulumi-plugin.json").version).to.equal(VERSION);
  });

  it("is the plugin version the .NET SDK asks for (its embedded version.txt, the project, pulumi-plugin.json)", () => {
    expect(read("lang", "dotnet", "version.txt").trim()).to.equal(VERSION);
    expect(
      captures(read("lang", "dotnet", "Pulumi.AlicloudRdsBackups.csproj"), /<Version>([^<]*)<\/Version>/g),
    ).to.deep.equal([VERSION]);
    expect(json("lang", "dotnet", "pulumi-plugin.json").version).to.equal(VERSION);
  });

  it("is the version npm run pack:plugin packs and the documented install registers", () => {
    const tarball = pluginTarballName(VERSION);
    expect(tarball).to.equal(`pulumi-resource-alicloud-rds-backups-v${VERSION}.tar.gz`);
    const documented = read("docs", "languages.md")
      .split("\n")
      .filter((line) => line.includes("pulumi plugin install"));
    expect(documented, "docs/languages.md shows the install").to.not.have.lengthOf(0);
    for (const line of documented) expect(line.trim()).to.equal(pluginInstallCommand(VERSION, `dist/pack/${tarball}`));
    expect(captures(read("docs", "languages.md"), /pulumi_alicloud_rds_backups-([^-\s]+)-py3/g)).to.satisfy(
      (versions: string[]) => versions.length > 0 && versions.every((v) => v === VERSION),
      "the wheel docs/languages.md names",
    );
  });

  it("is the version the Go example requires of the generated module", () => {
    expect(
      captures(read("examples", "go-gate", "go.mod"), /example\.com\/pulumi-alicloud-rds-backups\/sdk\/go v(\S+)/g),
    ).to.deep.equal([VERSION]);
  });
});
