/**
 * The README is a user's guide a person reads top to bottom: short enough to (at most
 * MAX_README_BYTES), with a table of contents that lists every section and links that land on a
 * heading, and the two commands for a clone at the top, the second being the one CI runs.
 */
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { REPO_ROOT } from "../../support/repo-root";

/** About 20 KB of guide; measured figures and contributor matter live in the pages it links. */
const MAX_README_BYTES = 22_000;

const README = fs.readFileSync(path.join(REPO_ROOT, "README.md"), "utf8");

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces as dashes. */
function anchorOf(heading: string): string {
  return heading
    .toLowerCase()
    .replace(/[^\w\- ]/g, "")
    .replace(/ /g, "-");
}

/** The headings of the README outside code blocks, with their level. */
function headings(): { level: number; text: string }[] {
  let inCode = false;
  const found: { level: number; text: string }[] = [];
  for (const line of README.split("\n")) {
    if (/^```/.test(line)) inCode = !inCode;
    const m = inCode ? null : /^(#{1,6}) (.+)$/.exec(line);
    if (m) found.push({ level: m[1]!.length, text: m[2]!.trim() });
  }
  return found;
}

describe("the README as a user's guide", () => {
  it(`is at most ${MAX_README_BYTES} bytes`, () => {
    expect(Buffer.byteLength(README, "utf8")).to.be.at.most(MAX_README_BYTES);
  });

  it("has a table of contents linking every section", () => {
    const start = README.indexOf("\n## Contents\n");
    expect(start, "a ## Contents section").to.be.greaterThan(0);
    const contents = README.slice(start, README.indexOf("\n## ", start + 1));
    const linked = new Set([...contents.matchAll(/\]\(#([^)]+)\)/g)].map((m) => m[1]));
    const sections = headings()
      .filter((h) => h.level === 2 && h.text !== "Contents")
      .map((h) => anchorOf(h.text));
    expect(
      sections.filter((s) => !linked.has(s)),
      "sections missing from the contents",
    ).to.deep.equal([]);
  });

  it("every link to #anchor lands on a heading", () => {
    const anchors = new Set(headings().map((h) => anchorOf(h.text)));
    const links = [...README.matchAll(/\]\(#([^)]+)\)/g)].map((m) => m[1]!);
    expect(links.length).to.be.greaterThan(5);
    expect(links.filter((l) => !anchors.has(l))).to.deep.equal([]);
  });

  it("starts with the clone's two commands, the second the one CI runs", () => {
    const firstBlock = /```sh\n([\s\S]*?)```/.exec(README)?.[1] ?? "";
    expect(README.indexOf(firstBlock)).to.be.lessThan(README.indexOf("\n## "));
    const commands = firstBlock
      .split("\n")
      .map((l) => l.replace(/#.*$/, "").trim())
      .filter(Boolean);
    expect(commands).to.deep.equal(["npm ci && npm run demo", "npm test"]);
    const ci = fs.readFileSync(path.join(REPO_ROOT, ".ci", "run"), "utf8");
    expect(ci).to.match(/^npm test\b/m);
  });
});
