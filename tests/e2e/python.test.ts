/**
 * examples/python-gate in the real engine: its program function run as a Python Automation API
 * inline program (pulumi.automation, program=fn: no Python language host), with the generated SDK
 * installed into a fresh venv from a wheel built from lang/python, and the Pulumi Python SDK pinned
 * in the example's requirements.txt (PyPI or pip's cache). The scenario: inline-gate-program.ts.
 */
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { preparePythonInline } from "../../support/inline-programs";
import { REPO_ROOT } from "./harness";
import { describeInlineGateProgram } from "./inline-gate-program";

/** The pinned lines of a requirements file (comments and blank lines left out). */
function pins(file: string): string[] {
  return fs
    .readFileSync(file, "utf8")
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line !== "" && !line.startsWith("#"));
}

describe("examples/python-gate's requirements", () => {
  it("pin the Pulumi Python SDK and its dependencies exactly as the SDK check does", () => {
    const example = pins(path.join(REPO_ROOT, "examples", "python-gate", "requirements.txt"));
    expect(
      example.filter((line) => !/^[A-Za-z0-9_.-]+==\S+$/.test(line)),
      "lines not pinned with ==",
    ).to.deep.equal([]);
    expect(example).to.deep.equal(pins(path.join(REPO_ROOT, "tools", "python-sdk-check", "requirements.txt")));
  });
});

describeInlineGateProgram({
  language: "Python",
  example: "python-gate",
  gated: "rm-e2epython01",
  ensured: "rm-e2epython02",
  prepare: async (workDir) => preparePythonInline(workDir),
});
