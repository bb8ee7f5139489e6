/**
 * What end-to-end tests add to the Pulumi driver (scripts/pulumi-driver.ts, re-exported here:
 * ensurePulumi, newBackend, pulumi, pulumiOk, initStack, configSetAll, stackExport, ...): the
 * test fixtures.
 *
 *   const backend = newBackend();                      // temp state dir + PULUMI_HOME
 *   const cwd = copyFixture("smoke", backend);         // temp copy of tests/e2e/fixtures/smoke
 *   await initStack("dev", { cwd, backend });
 *   await configSet("alicloud:accessKey", "x", { cwd, backend, stack: "dev", secret: true });
 *   const r = await pulumi(["preview"], { cwd, backend, stack: "dev" });
 *   const state = await stackExport({ cwd, backend, stack: "dev" });
 *   backend.cleanup();
 *
 * Call ensurePulumi() in a before() hook with this.timeout(SETUP_TIMEOUT_MS): a cold build of
 * the CLI takes minutes.
 */
import * as fs from "fs";
import * as path from "path";
import type { Backend } from "../../scripts/pulumi-driver";
import { REPO_ROOT } from "../../scripts/repo-root";

export * from "../../scripts/pulumi-driver";
export { REPO_ROOT };

export const FIXTURES_DIR = path.join(__dirname, "fixtures");

/**
 * Copies tests/e2e/fixtures/<name> into the backend's temp dir and links the repository's
 * node_modules next to it, so the program resolves @pulumi/pulumi (and this package's deps)
 * from the repo without an npm install, and stack files (Pulumi.<stack>.yaml) never land in
 * the source tree. Returns the project directory.
 */
export function copyFixture(name: string, backend: Backend): string {
  const src = path.join(FIXTURES_DIR, name);
  if (!fs.existsSync(path.join(src, "Pulumi.yaml"))) throw new Error(`no fixture at ${src}`);
  const dest = path.join(backend.dir, "projects", name);
  fs.cpSync(src, dest, { recursive: true, filter: (p) => !/[/\\](node_modules|Pulumi\.[^/\\]+\.yaml)$/.test(p) });
  fs.symlinkSync(path.join(REPO_ROOT, "node_modules"), path.join(dest, "node_modules"), "dir");
  return dest;
}
