/**
 * Every ```ts block of the README compiles on its own against the package as users get it: the
 * built declarations (dist/, through package.json), not the sources, in a package folder that
 * holds what `npm pack` ships rather than a link to the checkout (whose sdk/ sources would
 * otherwise answer `pulumi-alicloud-rds-backups/sdk` under the older resolution). Each block is
 * compiled twice: under the tsconfig `pulumi new typescript` writes (CommonJS,
 * `"moduleResolution": "node"`, which reads `typesVersions`) and as an ES module under `node16`
 * (which reads `exports`). No stand-ins: a snippet that uses a name imports or defines it.
 * Needs `npm run build` (npm test runs it first).
 */
import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as ts from "typescript";
import { REPO_ROOT } from "../../support/repo-root";

interface PackageJson {
  name: string;
  exports: Record<string, string | { types?: string; default?: string }>;
  typesVersions?: Record<string, Record<string, string[]>>;
}
const PACKAGE = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")) as PackageJson;

/** The compiler options of Pulumi's TypeScript template (`pulumi new typescript`), as a user's program has them. */
const PULUMI_DEFAULT: ts.CompilerOptions = {
  strict: true,
  target: ts.ScriptTarget.ES2020,
  module: ts.ModuleKind.CommonJS,
  moduleResolution: ts.ModuleResolutionKind.Node10,
  experimentalDecorators: true,
  noFallthroughCasesInSwitch: true,
  noImplicitReturns: true,
  forceConsistentCasingInFileNames: true,
};

/** An ES module project on Node's own resolution. */
const NODE16: ts.CompilerOptions = {
  strict: true,
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.Node16,
  moduleResolution: ts.ModuleResolutionKind.Node16,
  esModuleInterop: true,
};

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

/**
 * A user's project in a temp dir: `type` is its package.json's module type; node_modules holds
 * this package as `npm pack` ships it (package.json and dist/, whose own dependencies resolve
 * from the checkout's node_modules) and @pulumi/pulumi.
 */
function userProject(parent: string, name: string, type: "commonjs" | "module"): string {
  const dir = path.join(parent, name);
  const pkg = path.join(dir, "node_modules", PACKAGE.name);
  fs.mkdirSync(pkg, { recursive: true });
  fs.mkdirSync(path.join(dir, "node_modules", "@pulumi"));
  fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name, private: true, type }));
  fs.copyFileSync(path.join(REPO_ROOT, "package.json"), path.join(pkg, "package.json"));
  fs.symlinkSync(path.join(REPO_ROOT, "dist"), path.join(pkg, "dist"), "dir");
  fs.symlinkSync(path.join(REPO_ROOT, "node_modules"), path.join(pkg, "node_modules"), "dir");
  fs.symlinkSync(
    path.join(REPO_ROOT, "node_modules", "@pulumi", "pulumi"),
    path.join(dir, "node_modules", "@pulumi", "pulumi"),
    "dir",
  );
  return dir;
}

/** Compiles `files` with `options` (plus Node's types) and returns each error as `file:line TScode: text`. */
function compile(files: string[], options: ts.CompilerOptions): { errors: string[]; program: ts.Program } {
  const program = ts.createProgram(files, {
    ...options,
    noEmit: true,
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
  return { errors, program };
}

describe("the README's TypeScript snippets", function () {
  this.timeout(180_000);
  const blocks = typescriptBlocks(fs.readFileSync(path.join(REPO_ROOT, "README.md"), "utf8"));
  let dir: string;

  before(function () {
    if (!fs.existsSync(path.join(REPO_ROOT, "dist", "provider", "index.d.ts"))) {
      throw new Error("dist/ is missing: run `npm run build` first");
    }
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "rds-readme-"));
  });
  after(() => dir && fs.rmSync(dir, { recursive: true, force: true }));

  it("finds the snippets (the README has some for the provider and for the sdk)", () => {
    expect(blocks.length).to.be.greaterThan(2);
    expect(blocks.some((b) => b.code.includes(`from "${PACKAGE.name}/sdk"`))).to.equal(true);
    expect(blocks.some((b) => b.code.includes(`from "${PACKAGE.name}"`))).to.equal(true);
  });

  for (const [label, options, type] of [
    ['Pulumi\'s default tsconfig (CommonJS, "moduleResolution": "node")', PULUMI_DEFAULT, "commonjs"],
    ["node16 (an ES module)", NODE16, "module"],
  ] as const) {
    it(`each compiles on its own, strict, under ${label}, against dist/'s declarations`, () => {
      const project = userProject(dir, type, type);
      const files = blocks.map((block, i) => {
        const file = path.join(project, `snippet-${i + 1}-line-${block.line}.ts`);
        fs.writeFileSync(file, `${block.code}\nexport {};\n`);
        return file;
      });
      const { errors, program } = compile(files, options);
      expect(errors, "README.md snippets (file names carry the README line)").to.deep.equal([]);
      // They were checked against the built package, not the sources.
      const resolved = program.getSourceFiles().map((f) => f.fileName);
      expect(resolved.some((f) => f.endsWith(path.join("dist", "provider", "index.d.ts")))).to.equal(true);
      expect(resolved.some((f) => f.endsWith(path.join("dist", "sdk", "index.d.ts")))).to.equal(true);
    });
  }

  it("every subpath with types resolves under both: typesVersions names the file exports does", () => {
    // `exports` is what Node and node16 read; the older resolution Pulumi's template uses reads
    // typesVersions instead, so each subpath's types must be said there too, and the same file.
    const fromExports = Object.entries(PACKAGE.exports)
      .filter(([subpath, target]) => subpath !== "." && typeof target === "object" && target.types)
      .map(([subpath, target]) => [
        subpath.replace(/^\.\//, ""),
        (target as { types: string }).types.replace(/^\.\//, ""),
      ]);
    const fromTypesVersions = Object.entries(PACKAGE.typesVersions?.["*"] ?? {}).map(([subpath, [file]]) => [
      subpath,
      file,
    ]);
    expect(fromTypesVersions).to.have.deep.members(fromExports);
  });

  it("an import of each subpath compiles in both projects (the check above, by the compiler)", () => {
    const subpaths = Object.keys(PACKAGE.exports)
      .filter((s) => s !== "." && s !== "./package.json")
      .map((s) => `${PACKAGE.name}/${s.replace(/^\.\//, "")}`);
    for (const [options, type] of [
      [PULUMI_DEFAULT, "commonjs"],
      [NODE16, "module"],
    ] as const) {
      const project = userProject(dir, `imports-${type}`, type);
      const file = path.join(project, "index.ts");
      fs.writeFileSync(
        file,
        subpaths.map((s, i) => `import * as m${i} from "${s}";\nvoid m${i};\n`).join("") + "export {};\n",
      );
      expect(compile([file], options).errors, `${type}: ${subpaths.join(", ")}`).to.deep.equal([]);
    }
  });
});
