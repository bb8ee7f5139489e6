/**
 * Every ```ts block of the README compiles against the package as users get it: the built
 * declarations (dist/, through package.json "exports"), not the sources. Each block is its own
 * ES module (top-level `await` allowed, as in the README's sdk example); the names a README
 * snippet borrows from the reader's own program (`db`, `SchemaMigration`) are declared once in
 * a stand-in file. Needs `npm run build` (npm test runs it first).
 */
import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as ts from "typescript";
import { REPO_ROOT } from "../../scripts/repo-root";

const { name: PACKAGE_NAME } = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")) as {
  name: string;
};

/** The README's stand-ins for things of the reader's own program. */
const STAND_INS = `import * as pulumi from "@pulumi/pulumi";
declare global {
  /** An RDS instance the reader's program creates. */
  const db: { readonly id: pulumi.Output<string> };
  /** A risky change of the reader's own. */
  class SchemaMigration extends pulumi.CustomResource {
    constructor(name: string, args: { version: string; requires: pulumi.Input<string> }, opts?: pulumi.CustomResourceOptions);
  }
}
export {};
`;

/** The ```ts blocks of a Markdown text, with the line each starts on. */
export function typescriptBlocks(markdown: string): { line: number; code: string }[] {
  const blocks: { line: number; code: string }[] = [];
  const lines = markdown.split("\n");
  for (let i = 0; i < lines.length; i++) {
    if (!/^```(ts|typescript)\s*$/.test(lines[i] ?? "")) continue;
    const start = i + 1;
    let end = start;
    while (end < lines.length && !/^```\s*$/.test(lines[end] ?? "")) end++;
    blocks.push({ line: start + 1, code: lines.slice(start, end).join("\n") });
    i = end;
  }
  return blocks;
}

describe("the README's TypeScript snippets", function () {
  this.timeout(120_000);
  const blocks = typescriptBlocks(fs.readFileSync(path.join(REPO_ROOT, "README.md"), "utf8"));
  let dir: string;

  before(function () {
    if (!fs.existsSync(path.join(REPO_ROOT, "dist", "provider", "index.d.ts"))) {
      throw new Error("dist/ is missing: run `npm run build` first");
    }
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "rds-readme-"));
    // A user's project: ES modules, this package and @pulumi/pulumi in node_modules.
    fs.writeFileSync(
      path.join(dir, "package.json"),
      JSON.stringify({ name: "readme-snippets", private: true, type: "module" }),
    );
    fs.mkdirSync(path.join(dir, "node_modules", "@pulumi"), { recursive: true });
    fs.symlinkSync(REPO_ROOT, path.join(dir, "node_modules", PACKAGE_NAME), "dir");
    fs.symlinkSync(
      path.join(REPO_ROOT, "node_modules", "@pulumi", "pulumi"),
      path.join(dir, "node_modules", "@pulumi", "pulumi"),
      "dir",
    );
    fs.writeFileSync(path.join(dir, "stand-ins.ts"), STAND_INS);
  });
  after(() => dir && fs.rmSync(dir, { recursive: true, force: true }));

  it("finds the snippets (the README has some for the provider and for the sdk)", () => {
    expect(blocks.length).to.be.greaterThan(2);
    expect(blocks.some((b) => b.code.includes(`from "${PACKAGE_NAME}/sdk"`))).to.equal(true);
  });

  it("compiles each of them with tsc, strict, against dist/'s declarations", () => {
    const files = blocks.map((block, i) => {
      const file = path.join(dir, `snippet-${i + 1}-line-${block.line}.ts`);
      // A snippet that imports nothing still needs a name for this package: `rds`, as in the README.
      const imports = /^import /m.test(block.code) ? "" : `import * as rds from "${PACKAGE_NAME}";\nvoid rds;\n`;
      fs.writeFileSync(file, `${imports}${block.code}\nexport {};\n`);
      return file;
    });
    const program = ts.createProgram([path.join(dir, "stand-ins.ts"), ...files], {
      strict: true,
      noEmit: true,
      target: ts.ScriptTarget.ES2022,
      lib: ["lib.es2022.d.ts"],
      module: ts.ModuleKind.Node16,
      moduleResolution: ts.ModuleResolutionKind.Node16,
      esModuleInterop: true,
      skipLibCheck: true,
      types: ["node"],
      typeRoots: [path.join(REPO_ROOT, "node_modules", "@types")],
    });
    const errors = ts.getPreEmitDiagnostics(program).map((d) => {
      const where = d.file
        ? `${path.basename(d.file.fileName)}:${d.file.getLineAndCharacterOfPosition(d.start ?? 0).line + 1}`
        : "";
      return `${where} TS${d.code}: ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`;
    });
    expect(errors, "README.md snippets (file names carry the README line)").to.deep.equal([]);
    // They were checked against the built package, not the sources.
    const resolved = program.getSourceFiles().map((f) => f.fileName);
    expect(resolved.some((f) => f.endsWith(path.join("dist", "provider", "index.d.ts")))).to.equal(true);
  });
});
