/**
 * Proves the offline Pulumi toolchain works on this machine with the real engine: the CLI built
 * by scripts/setup-pulumi.sh, our own language host, and @pulumi/pulumi's dynamic-provider host.
 * The fixture (tests/e2e/fixtures/smoke) has a dynamic read (opts.id), a dynamic resource with
 * a lifecycle, and plain + secret config.
 */
import { expect } from "chai";
import { devDependencies } from "../../package.json";
import {
  type Backend,
  COMMAND_TIMEOUT_MS,
  configSet,
  copyFixture,
  describeFailure,
  type E2e,
  pulumi,
  pulumiOk,
  SETUP_TIMEOUT_MS,
  stackExport,
  stackOutputs,
  startE2e,
} from "./harness";

const STACK = "smoke";
const SECRET = "s3cr3t-token-value-7f9c";

describe("e2e: the Pulumi engine runs here (smoke fixture)", function () {
  this.timeout(COMMAND_TIMEOUT_MS);
  let e2e: E2e;
  let backend: Backend;
  let cwd: string;
  const at = () => ({ cwd, backend, stack: STACK });

  before(async function () {
    this.timeout(SETUP_TIMEOUT_MS);
    e2e = await startE2e({ prefix: "rds-e2e-engine-" });
    backend = e2e.backend;
    cwd = copyFixture("smoke", backend);
    await e2e.stack(STACK, cwd, { who: "tester" }, { token: SECRET });
  });

  after(async function () {
    // Leave nothing behind even when a test failed half-way.
    if (e2e) {
      await pulumi(["destroy", "--yes", "--skip-preview"], at()).catch(() => undefined);
      await e2e.close();
    }
  });

  it("the CLI is in the supported range and runs programs with our language host", async () => {
    // Any CLI from the version of the SDK the tests use up to the next major (setup-pulumi.sh).
    const oldest = devDependencies["@pulumi/pulumi"];
    const version = (await pulumiOk(["version"], { cwd, backend })).stdout.trim();
    const parts = (v: string) => v.replace(/^v/, "").split(/[.-]/).slice(0, 3).map(Number);
    const [major, minor, patch] = parts(version);
    const [oldMajor, oldMinor, oldPatch] = parts(oldest);
    expect(major, version).to.equal(oldMajor);
    expect((minor ?? 0) * 1e6 + (patch ?? 0), version).to.be.at.least((oldMinor ?? 0) * 1e6 + (oldPatch ?? 0));
    // `pulumi about` asks the language host (About RPC) what runs the program.
    const about = JSON.parse((await pulumiOk(["about", "--json"], at())).stdout);
    expect(`v${about.cliAbout.version}`).to.equal(version);
    expect(about.runtime.languageHost).to.include("tools/language-host");
  });

  it("preview runs the read and shows its real value; the created output is unknown", async () => {
    const r = await pulumiOk(["preview", "--diff", "--show-reads"], at());
    // The read's own row, with the outputs its `read` returned: it ran during the preview.
    expect(r.stdout).to.match(/> pulumi-nodejs:dynamic:Resource: \(read\)\s+\[urn=\S+::greeting\]/);
    expect(r.stdout).to.match(/--outputs:--\s+greeting\s*: "hello tester from read\(smoke-id\)"/);
    expect(r.stdout).to.match(/greetingText\s*: "hello tester from read\(smoke-id\)"/);
    // Input computed from the read's value is known too; the created output is not.
    expect(r.stdout).to.match(/label\s*: "32"/);
    expect(r.stdout).to.match(/madeText\s*: \[unknown\]/);
    // The stack and `thing`; a read is never counted as a create.
    expect(r.stdout).to.match(/\+ 2 to create/);
    expect(r.stdout + r.stderr).to.not.include(SECRET);
  });

  it("up creates the resource and records the read", async () => {
    const r = await pulumiOk(["up", "--yes", "--skip-preview"], at());
    expect(r.stdout).to.match(/\+ 2 created/);
    expect(r.stdout + r.stderr).to.not.include(SECRET);
    const outputs = await stackOutputs({ ...at(), showSecrets: true });
    expect(outputs.greetingText).to.equal("hello tester from read(smoke-id)");
    // label = length of the greeting, computed from the read's output
    expect(outputs.madeText).to.equal(`made ${"hello tester from read(smoke-id)".length}`);
    expect(outputs.tokenLength).to.equal(SECRET.length);
    expect(outputs.tokenEcho).to.equal(SECRET);
  });

  it("a second up changes nothing (--expect-no-changes)", async () => {
    const r = await pulumi(["up", "--yes", "--skip-preview", "--expect-no-changes"], at());
    expect(r.code, describeFailure(["up", "--expect-no-changes"], r)).to.equal(0);
    expect(r.stdout).to.not.match(/\d+ (created|updated|deleted|replaced)/);
  });

  it("stack export has both resources, the read as external, and no plaintext secret", async () => {
    const state = await stackExport(at());
    const types = state.resources.map((r) => `${r.type}::${r.urn.split("::").pop()}`);
    expect(types).to.include.members([
      "pulumi-nodejs:dynamic:Resource::greeting",
      "pulumi-nodejs:dynamic:Resource::thing",
    ]);
    const greeting = state.resources.find((r) => r.urn.endsWith("::greeting"))!;
    expect(greeting.external, "reads are stored as external resources").to.equal(true);
    expect(greeting.id).to.equal("smoke-id");
    expect(state.text).to.not.include(SECRET);
    expect(state.json.deployment.secrets_providers?.type).to.equal("passphrase");
  });

  it("refresh runs the providers' reads and finds no drift", async () => {
    const r = await pulumiOk(["refresh", "--yes", "--skip-preview"], at());
    expect(r.stdout).to.not.match(/\d+ (updated|deleted)/);
    await pulumiOk(["preview", "--expect-no-changes"], at());
  });

  it("destroy deletes everything", async () => {
    const r = await pulumiOk(["destroy", "--yes", "--skip-preview"], at());
    expect(r.stdout).to.match(/- 2 deleted/);
    const state = await stackExport(at());
    expect(state.resources.filter((x) => x.type !== "pulumi:pulumi:Stack")).to.deep.equal([]);
  });

  it("a read that fails stops preview and up before anything dependent is created", async () => {
    await configSet("failRead", "true", at());
    const preview = await pulumi(["preview"], at());
    expect(preview.code).to.not.equal(0);
    expect(preview.stdout + preview.stderr).to.include("read of smoke-id refused: failRead is set");
    const up = await pulumi(["up", "--yes", "--skip-preview"], at());
    expect(up.code).to.not.equal(0);
    expect(up.stdout + up.stderr).to.include("read of smoke-id refused: failRead is set");
    const state = await stackExport(at());
    expect(state.resources.filter((x) => x.urn.endsWith("::thing"))).to.deep.equal([]);
    await pulumiOk(["stack", "rm", "--yes", "--force"], at());
  });
});
