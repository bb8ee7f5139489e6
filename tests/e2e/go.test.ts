/**
 * examples/go-gate in the real engine: its program function run as a Go Automation API inline
 * program (auto.SelectStackInlineSource: no Go language host), built from the example's module,
 * whose go.mod takes the generated SDK from lang/go with a replace, and whose go.sum pins the rest
 * (the Go module proxy or the module cache). The scenario: inline-gate-program.ts.
 */
import { prepareGoInline } from "../../support/inline-programs";
import { describeInlineGateProgram } from "./inline-gate-program";

describeInlineGateProgram({
  language: "Go",
  example: "go-gate",
  gated: "rm-e2egolang01",
  ensured: "rm-e2egolang02",
  prepare: async (workDir) => prepareGoInline(workDir),
});
