/**
 * The provider plugin as a user without internet installs it: `npm run pack:plugin`'s tarball,
 * `pulumi plugin install resource alicloud-rds-backups <version> --file <tarball>`, then the real
 * CLI starts the installed plugin (not one on PATH) and asks it for its schema. Packing runs npm
 * install (the registry or its cache); installing and running use no network.
 */
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import {
  type Backend,
  type E2e,
  PACKAGE_VERSION,
  PLUGIN,
  REPO_ROOT,
  SETUP_TIMEOUT_MS,
  installPackedPlugin,
  packPlugin,
  pulumiOk,
  startE2e,
} from "./harness";

describe("the provider plugin installed from its tarball", function () {
  this.timeout(SETUP_TIMEOUT_MS);
  let e2e: E2e;
  let backend: Backend;

  before(async () => {
    e2e = await startE2e({ prefix: "rds-plugin-pack-" });
    backend = e2e.backend;
  });
  after(() => e2e?.close());

  it("installs with pulumi plugin install --file and serves its schema from the plugin directory", async () => {
    expect(path.basename(await packPlugin())).to.equal(`${PLUGIN}-v${PACKAGE_VERSION}.tar.gz`);
    const env = await installPackedPlugin(backend);
    const installed = path.join(backend.home, "plugins", `resource-alicloud-rds-backups-v${PACKAGE_VERSION}`);
    expect(fs.statSync(path.join(installed, PLUGIN)).mode & 0o111, "the wrapper is executable").to.not.equal(0);
    const { stdout } = await pulumiOk(["package", "get-schema", `alicloud-rds-backups@${PACKAGE_VERSION}`], {
      cwd: backend.dir,
      backend,
      env,
    });
    expect(JSON.parse(stdout)).to.deep.equal(
      JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "plugin", "schema.json"), "utf8")),
    );
  });
});
