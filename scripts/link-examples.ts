/**
 * Makes `import ... from "pulumi-alicloud-rds-backups"` resolve in examples/ to this checkout, as
 * it would from node_modules in a user's project: examples/node_modules/<name> -> the repository.
 * Runs after every build (`npm run build`), so a fresh clone's `npm ci` sets it up.
 */
import * as fs from "fs";
import * as path from "path";
import { REPO_ROOT } from "../support/repo-root";

const { name } = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")) as { name: string };
const link = path.join(REPO_ROOT, "examples", "node_modules", name);

fs.mkdirSync(path.dirname(link), { recursive: true });
const target = path.relative(path.dirname(link), REPO_ROOT);
let current: string | undefined;
try {
  current = fs.readlinkSync(link);
} catch {
  current = undefined; // no link yet
}
if (current !== target) {
  fs.rmSync(link, { force: true });
  fs.symlinkSync(target, link, "dir");
}
