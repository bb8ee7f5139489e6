/**
 * The checkout's root directory, for the code that only runs inside a checkout: scripts/,
 * support/, tests/ and bench/. It is the nearest directory above this file that holds
 * package.json, which is right both from support/ (ts-node) and from dist/support/ (compiled;
 * dist/ holds no package.json).
 *
 * Shipped code (sdk/, provider/, cli/, emulator/) never uses it: an installed package has no
 * checkout around it, only its own files.
 */
import * as fs from "node:fs";
import * as path from "node:path";

function findRepoRoot(): string {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, "package.json"))) return dir;
    if (path.dirname(dir) === dir)
      throw new Error(`no package.json above ${__dirname}: not inside a checkout of this repository`);
  }
}

export const REPO_ROOT = findRepoRoot();
