/**
 * The package's doors, held to what the README promises. Every runtime name the sdk exports is a
 * promise to users: few (at most MAX_SDK_NAMES), and each one documented in the README's sdk
 * section, so neither the code nor the README can grow a name the other lacks. Types are not
 * counted: they vanish at run time and only describe what the functions take and return.
 */
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import * as provider from "../../provider";
import * as sdk from "../../sdk";

const REPO_ROOT = path.resolve(__dirname, "..", "..");
/** The most runtime names the sdk's public entry may export. */
const MAX_SDK_NAMES = 21;

/** The README's section headed `heading` (up to the next `## ` heading). */
function readmeSection(heading: string): string {
  const readme = fs.readFileSync(path.join(REPO_ROOT, "README.md"), "utf8");
  const start = readme.indexOf(`\n## ${heading}`);
  if (start < 0) throw new Error(`README.md has no section "## ${heading}"`);
  const end = readme.indexOf("\n## ", start + 1);
  return readme.slice(start, end < 0 ? undefined : end);
}

/** Names in backticks in a Markdown text, as `name` or `name(...)`, and those a code line imports. */
function namesShown(markdown: string): Set<string> {
  const names = new Set<string>();
  for (const m of markdown.matchAll(/`([A-Za-z_$][\w$]*)(?:\([^`]*\))?`/g)) names.add(m[1] ?? "");
  for (const m of markdown.matchAll(/^import \{([^}]*)\}/gm))
    for (const n of (m[1] ?? "").split(",")) names.add(n.trim());
  return names;
}

/** Every .ts file below `dir`. */
function sourceFiles(dir: string): string[] {
  return fs
    .readdirSync(path.join(REPO_ROOT, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith(".ts"))
    .map((e) => path.relative(REPO_ROOT, path.join(e.parentPath, e.name)));
}

describe("the public surface", () => {
  const sdkNames = Object.keys(sdk);
  const sdkSection = readmeSection("Plain TypeScript, no Pulumi");

  it(`the sdk's entry exports at most ${MAX_SDK_NAMES} runtime names`, () => {
    expect(sdkNames.length, sdkNames.join(", ")).to.be.within(1, MAX_SDK_NAMES);
  });

  it("the README's sdk section documents every one of them", () => {
    const shown = namesShown(sdkSection);
    expect(
      sdkNames.filter((n) => !shown.has(n)),
      "exported by sdk/index.ts but not in the README's sdk section",
    ).to.deep.equal([]);
  });

  it("every function the README's sdk section shows as a call is exported", () => {
    // `name(...)` in backticks reads as "call this": it must be importable from the sdk.
    const called = [...sdkSection.matchAll(/`([a-z][\w$]*)\([^`]*\)`/g)].map((m) => m[1] ?? "");
    expect(
      called.filter((n) => !sdkNames.includes(n)),
      "shown as a call in the README, not exported",
    ).to.deep.equal([]);
  });

  it("the provider exports only errors a program can catch (thrown in the program, not in the engine)", () => {
    // An API failure or a failed backup job happens in the provider's own process and reaches the
    // program as the text of a failed resource: a class to catch it with would be a false promise.
    expect(Object.keys(provider)).to.not.include.members(["RdsApiError"]);
    expect(Object.keys(provider)).to.not.include.members(["RdsBackupJobError"]);
    expect(provider.RdsValidationError.prototype).to.be.instanceOf(provider.RdsBackupsError);
  });

  it("provider/, plugin/ and cli/ reach sdk/ through sdk/internal.ts only", () => {
    const strays: string[] = [];
    for (const file of [...sourceFiles("provider"), ...sourceFiles("plugin"), ...sourceFiles("cli")]) {
      const text = fs.readFileSync(path.join(REPO_ROOT, file), "utf8");
      for (const m of text.matchAll(/(?:from|import\(|require\()\s*["']((?:\.\.\/)+sdk(?:\/[\w./-]*)?)["']/g)) {
        if (!/\/sdk\/internal$/.test(m[1] ?? "")) strays.push(`${file}: ${m[1]}`);
      }
    }
    expect(strays).to.deep.equal([]);
  });
});
