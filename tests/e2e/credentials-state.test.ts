/**
 * What Pulumi keeps of the access key in the state, by the way the key is given, in the real
 * engine (examples/read-backups, `up`, then `pulumi stack export`):
 * - `alicloud:accessKey` / `alicloud:secretKey` in the stack config: Pulumi gives a dynamic
 *   provider the stack's config and records it in the inputs and outputs of the default
 *   `pulumi:providers:pulumi-nodejs` entry, as set: the key id in plain text, the secret (set
 *   with --secret) as ciphertext;
 * - the key id set with --secret too: both ciphertext, the key id's text absent;
 * - the keys in the environment of `pulumi up`, or in a credentials file the environment names:
 *   nothing of either in the state;
 * - the provider plugin's keys (a YAML program), even set without --secret: ciphertext, because
 *   the plugin's CheckConfig hands them back to the engine as secrets.
 * The read succeeds every time: each way is a way that works, not one the provider ignores.
 */
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { rawBackup } from "../provider/fixtures";
import {
  type E2eWithEmulator,
  REPO_ROOT,
  SETUP_TIMEOUT_MS,
  copyExample,
  ensurePulumi,
  pulumiOk,
  stackExport,
  startE2e,
} from "./harness";

const KEY_ID = "LTAI5tStateKeyId0001";
const SECRET = "state-secret-Kq3v9";
const INSTANCE = "rm-statekeys01";
const DEFAULT_PROVIDER = "pulumi:providers:pulumi-nodejs";
const PLUGIN = "pulumi-resource-alicloud-rds-backups";

describe("e2e: what the state keeps of the access key", function () {
  this.timeout(10 * 60_000);
  let e2e: E2eWithEmulator;
  let cwd: string;

  before(async function () {
    this.timeout(SETUP_TIMEOUT_MS);
    e2e = await startE2e({
      prefix: "rds-e2e-keys-",
      data: {
        accessKeys: { [KEY_ID]: SECRET },
        instances: {
          [INSTANCE]: { regionId: "cn-hangzhou", backups: [rawBackup("510001", 3, { DBInstanceId: INSTANCE })] },
        },
      },
    });
    cwd = copyExample("read-backups", e2e.backend.dir);
  });
  after(() => e2e?.close());

  /**
   * `up` of a new stack of `project` with `config` (`secrets` with --secret) and `env`; the read
   * must have found the backup. Returns the exported state and the entry of `providerType`.
   */
  async function upAndExport(
    stack: string,
    config: Record<string, string>,
    secrets: Record<string, string>,
    env: Record<string, string> = {},
    { project = cwd, providerType = DEFAULT_PROVIDER } = {},
  ) {
    const at = {
      ...(await e2e.stack(stack, project, { dbInstanceId: INSTANCE, ...config }, secrets)),
      env: { ...e2e.env, ...env },
    };
    e2e.emulator.resetStats();
    const up = await pulumiOk(["up", "--yes"], at);
    expect(up.stdout).to.match(/latestId\s*:\s*"510001"/);
    expect(e2e.emulator.stats.byCode, "every call was signed with the right key").to.deep.equal({});
    const state = await stackExport(at);
    expect(state.text, "the secret never appears").not.to.contain(SECRET);
    const provider = state.resources.find((r) => r.type === providerType);
    expect(provider, `a ${providerType} entry`).to.not.equal(undefined);
    return { text: state.text, provider: provider! };
  }

  it("keys in the stack config: the default provider's entry holds the key id in plain text, the secret encrypted", async () => {
    const { provider } = await upAndExport(
      "config-keys",
      { "alicloud:accessKey": KEY_ID },
      { "alicloud:secretKey": SECRET },
    );
    for (const recorded of [provider.inputs, provider.outputs]) {
      expect(recorded["alicloud:accessKey"]).to.equal(KEY_ID);
      expect(recorded["alicloud:secretKey"]).to.have.property("ciphertext").that.is.a("string");
    }
  });

  it("the key id set with --secret too: its text is not in the state", async () => {
    const { text, provider } = await upAndExport(
      "secret-key-id",
      {},
      {
        "alicloud:accessKey": KEY_ID,
        "alicloud:secretKey": SECRET,
      },
    );
    expect(text).not.to.contain(KEY_ID);
    expect(provider.inputs["alicloud:accessKey"]).to.have.property("ciphertext");
  });

  it("keys in the environment of pulumi up: neither is in the state", async () => {
    const { text, provider } = await upAndExport(
      "env-keys",
      {},
      {},
      { ALIBABA_CLOUD_ACCESS_KEY_ID: KEY_ID, ALIBABA_CLOUD_ACCESS_KEY_SECRET: SECRET },
    );
    expect(text).not.to.contain(KEY_ID);
    expect(Object.keys(provider.inputs).filter((k) => k.startsWith("alicloud:"))).to.deep.equal([]);
  });

  it("keys in a credentials file the environment names: neither is in the state", async () => {
    const file = path.join(e2e.backend.dir, "alibabacloud-credentials");
    fs.writeFileSync(file, `[default]\ntype = access_key\naccess_key_id = ${KEY_ID}\naccess_key_secret = ${SECRET}\n`, {
      mode: 0o600,
    });
    const { text } = await upAndExport("file-keys", {}, {}, { ALIBABA_CLOUD_CREDENTIALS_FILE: file });
    expect(text).not.to.contain(KEY_ID);
    expect(text).not.to.contain(file);
  });

  it("the provider plugin's keys, set without --secret: ciphertext in its provider's entry, their text absent", async () => {
    const bin = await ensurePulumi();
    const pluginDir = path.join(e2e.backend.dir, "plugin-bin");
    fs.mkdirSync(pluginDir);
    fs.symlinkSync(path.join(REPO_ROOT, "plugin", PLUGIN), path.join(pluginDir, PLUGIN));
    const { text, provider } = await upAndExport(
      "plugin-keys",
      {
        "alicloud-rds-backups:region": "cn-hangzhou",
        "alicloud-rds-backups:endpoint": e2e.emulator.url,
        "alicloud-rds-backups:accessKeyId": KEY_ID,
        "alicloud-rds-backups:accessKeySecret": SECRET,
      },
      {},
      { PATH: [bin, pluginDir, process.env.PATH ?? ""].join(path.delimiter) },
      { project: copyExample("yaml-gate", e2e.backend.dir), providerType: "pulumi:providers:alicloud-rds-backups" },
    );
    expect(text).not.to.contain(KEY_ID);
    expect(provider.inputs.accessKeyId).to.have.property("ciphertext");
  });
});
