/**
 * The repository root is a Pulumi project (Pulumi.yaml, `main: examples/read-backups`): in a
 * clone, `pulumi preview` against the emulator's generated data shows real backups, with the
 * settings the README gives (the emulator's endpoint and key in the environment, nothing else).
 * The stack's own file (Pulumi.<stack>.yaml, git-ignored) is removed afterwards.
 */
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { type Backend, REPO_ROOT, SETUP_TIMEOUT_MS, ensurePulumi, initStack, newBackend, pulumiOk } from "./harness";

describe("the repository root as a Pulumi project", function () {
  this.timeout(10 * 60_000);
  const stack = `e2e-root-${process.pid}`;
  let backend: Backend;
  let emulator: Awaited<ReturnType<typeof import("../../emulator").startEmulator>>;
  let env: Record<string, string>;

  before(async function () {
    this.timeout(SETUP_TIMEOUT_MS);
    await ensurePulumi();
    // What `npm run emulator -- --generate` serves: its default instances, seed and key.
    const { DEFAULT_ACCESS_KEY_ID, DEFAULT_ACCESS_KEY_SECRET, startEmulator } = await import("../../emulator");
    const { generateData } = await import("../../emulator/generate");
    const { DEFAULT_INSTANCE_PRESETS } = await import("../../emulator/engine-profiles");
    const data = generateData({ seed: 1, instances: DEFAULT_INSTANCE_PRESETS.map(() => ({ count: 60 })) });
    emulator = await startEmulator({ data, port: 0 });
    backend = newBackend("rds-root-");
    env = {
      ALIBABA_CLOUD_RDS_ENDPOINT: emulator.url,
      ALIBABA_CLOUD_ACCESS_KEY_ID: DEFAULT_ACCESS_KEY_ID,
      ALIBABA_CLOUD_ACCESS_KEY_SECRET: DEFAULT_ACCESS_KEY_SECRET,
    };
  });
  after(async () => {
    fs.rmSync(path.join(REPO_ROOT, `Pulumi.${stack}.yaml`), { force: true });
    backend?.cleanup();
    await emulator?.close();
  });

  it("pulumi preview in the checkout shows the default instance's real backups", async () => {
    await initStack(stack, { cwd: REPO_ROOT, backend, env });
    emulator.resetStats();
    const r = await pulumiOk(["preview"], { cwd: REPO_ROOT, backend, env, stack });
    expect(emulator.stats.describeBackups, "the read ran during preview").to.be.greaterThan(0);
    const id = /latestId\s*:\s*"(\d+)"/.exec(r.stdout)?.[1];
    expect(id, r.stdout).to.be.a("string");
    expect(r.stdout).to.match(/latestStatus\s*:\s*"Success"/);
    expect(r.stdout).to.match(/backupCount\s*:\s*[1-9]\d*/);
  });

  it("the endpoint can come from alicloud:endpoints, set with --path as for @pulumi/alicloud", async () => {
    const other = `${stack}-endpoints`;
    const { ALIBABA_CLOUD_RDS_ENDPOINT: url, ...keys } = env;
    try {
      await initStack(other, { cwd: REPO_ROOT, backend, env: keys });
      await pulumiOk(["config", "set", "--path", "alicloud:endpoints[0].rds", url!], {
        cwd: REPO_ROOT,
        backend,
        env: keys,
        stack: other,
      });
      emulator.resetStats();
      const r = await pulumiOk(["preview"], { cwd: REPO_ROOT, backend, env: keys, stack: other });
      expect(emulator.stats.describeBackups).to.be.greaterThan(0);
      expect(r.stdout).to.match(/latestStatus\s*:\s*"Success"/);
    } finally {
      fs.rmSync(path.join(REPO_ROOT, `Pulumi.${other}.yaml`), { force: true });
    }
  });
});
