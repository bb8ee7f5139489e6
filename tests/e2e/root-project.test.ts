/**
 * The repository root is a Pulumi project (Pulumi.yaml, `main: examples/read-backups`): in a
 * clone, `pulumi preview` against the emulator's generated data shows real backups, with the
 * settings the README gives (the emulator's endpoint and key in the environment, nothing else).
 * The stack's own file (Pulumi.<stack>.yaml, git-ignored) is removed afterwards.
 */
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { type E2eWithEmulator, REPO_ROOT, SETUP_TIMEOUT_MS, pulumiOk, startE2e } from "./harness";

describe("the repository root as a Pulumi project", function () {
  this.timeout(10 * 60_000);
  const stack = `e2e-root-${process.pid}`;
  let e2e: E2eWithEmulator;

  before(async function () {
    this.timeout(SETUP_TIMEOUT_MS);
    // What `npm run emulator -- --generate` serves: its default instances, seed and key.
    const { DEFAULT_ACCESS_KEY_ID, DEFAULT_ACCESS_KEY_SECRET } = await import("../../emulator");
    const { generateData } = await import("../../emulator/generate");
    const { DEFAULT_INSTANCE_PRESETS } = await import("../../emulator/engine-profiles");
    e2e = await startE2e({
      prefix: "rds-root-",
      data: generateData({ seed: 1, instances: DEFAULT_INSTANCE_PRESETS.map(() => ({ count: 60 })) }),
      env: {
        ALIBABA_CLOUD_ACCESS_KEY_ID: DEFAULT_ACCESS_KEY_ID,
        ALIBABA_CLOUD_ACCESS_KEY_SECRET: DEFAULT_ACCESS_KEY_SECRET,
      },
    });
  });
  after(async () => {
    fs.rmSync(path.join(REPO_ROOT, `Pulumi.${stack}.yaml`), { force: true });
    await e2e?.close();
  });

  it("pulumi preview in the checkout shows the default instance's real backups", async () => {
    const { emulator } = e2e;
    const at = await e2e.stack(stack, REPO_ROOT);
    emulator.resetStats();
    const r = await pulumiOk(["preview"], at);
    expect(emulator.stats.describeBackups, "the read ran during preview").to.be.greaterThan(0);
    const id = /latestId\s*:\s*"(\d+)"/.exec(r.stdout)?.[1];
    expect(id, r.stdout).to.be.a("string");
    expect(r.stdout).to.match(/latestStatus\s*:\s*"Success"/);
    expect(r.stdout).to.match(/backupCount\s*:\s*[1-9]\d*/);
  });

  it("the endpoint can come from alicloud:endpoints, set with --path as for @pulumi/alicloud", async () => {
    const other = `${stack}-endpoints`;
    const { emulator } = e2e;
    // The keys only: the endpoint is not in the environment.
    try {
      const at = await e2e.stack(
        other,
        REPO_ROOT,
        { "alicloud:endpoints[0].rds": emulator.url },
        {},
        { path: true, env: { ALIBABA_CLOUD_RDS_ENDPOINT: undefined } },
      );
      emulator.resetStats();
      const r = await pulumiOk(["preview"], at);
      expect(emulator.stats.describeBackups).to.be.greaterThan(0);
      expect(r.stdout).to.match(/latestStatus\s*:\s*"Success"/);
    } finally {
      fs.rmSync(path.join(REPO_ROOT, `Pulumi.${other}.yaml`), { force: true });
    }
  });
});
