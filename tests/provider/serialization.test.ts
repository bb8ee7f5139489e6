/**
 * What a Pulumi program registers, through `pulumi.runtime.setMocks` (which runs serialization
 * but never calls a dynamic provider): the serialized providers capture no credential, reads are
 * shared between equal calls, and bad input fails before anything is registered.
 */
import { expect } from "chai";
import * as pulumi from "@pulumi/pulumi";
import type { MockResourceArgs } from "@pulumi/pulumi/runtime";

const KEY_ID = "LTAI5tSerializationKey9";
const SECRET = "serialization-secret-Kq3p";
const TOKEN = "sts-token-serialization-77";

describe("provider registration under setMocks", () => {
  const registered: MockResourceArgs[] = [];
  const savedEnv = { ...process.env };
  let rds: typeof import("../../provider");

  before(async () => {
    // Credentials everywhere a careless provider could pick them up from.
    process.env.ALIBABA_CLOUD_ACCESS_KEY_ID = KEY_ID;
    process.env.ALIBABA_CLOUD_ACCESS_KEY_SECRET = SECRET;
    process.env.ALIBABA_CLOUD_SECURITY_TOKEN = TOKEN;
    pulumi.runtime.setAllConfig(
      {
        "alicloud:accessKey": KEY_ID,
        "alicloud:secretKey": SECRET,
        "alicloud:securityToken": TOKEN,
        "alicloud:region": "cn-hangzhou",
      },
      ["alicloud:secretKey", "alicloud:securityToken"],
    );
    await pulumi.runtime.setMocks(
      {
        newResource: (args) => {
          registered.push(args);
          return {
            id: args.id ?? `${args.name}-id`,
            state: {
              ...args.inputs,
              ids: [],
              backupsJson: "[]",
              logFilesJson: "[]",
              totalCount: 0,
              totalEcsSnapshotSize: 0,
              latest: null,
              backupId: "1",
            },
          };
        },
        call: () => ({}),
      },
      "rds-test",
      "dev",
      false,
    );
    rds = await import("../../provider");
  });
  after(() => {
    process.env = savedEnv;
  });

  const settle = <T>(out: pulumi.Output<T>) => new Promise<T>((resolve) => out.apply((v) => resolve(v)));

  it("serializes providers that hold neither the access key id, the secret nor the token", async () => {
    await settle(rds.getBackupsOutput({ dbInstanceId: "rm-serialize01" }));
    const gate = rds.requireFreshBackup({ dbInstanceId: "rm-serialize01", maxAge: "24h" });
    await settle(gate.backupId);
    const providers = registered.map((r) => String(r.inputs.__provider));
    expect(providers).to.have.length.greaterThan(1);
    for (const text of providers) {
      expect(text).to.contain("require(");
      expect(text).not.to.contain(KEY_ID);
      expect(text).not.to.contain(SECRET);
      expect(text).not.to.contain(TOKEN);
      // A shim, not a serialized copy of the sdk: a few hundred bytes.
      expect(text.length).to.be.lessThan(4000);
    }
    const types = registered.map((r) => r.type);
    expect(types).to.include.members(["pulumi-nodejs:dynamic/rds:Backups", "pulumi-nodejs:dynamic/rds:FreshBackup"]);
  });

  it("registers a read (with an id) whose inputs hold no credential", async () => {
    const read = registered.find((r) => r.type === "pulumi-nodejs:dynamic/rds:Backups")!;
    expect(read.id).to.equal("rm-serialize01");
    const { __provider: _ignored, ...inputs } = read.inputs;
    expect(JSON.stringify(inputs)).not.to.contain(SECRET).and.not.to.contain(KEY_ID);
  });

  it("shares one read between calls with equal arguments, and not between different ones", async () => {
    const before = registered.length;
    const a = rds.getBackupsOutput({ dbInstanceId: "rm-share01", backupStatus: "Success" });
    const b = rds.getBackupsOutput({ backupStatus: "Success", dbInstanceId: "rm-share01" });
    const c = rds.getBackupsOutput({ dbInstanceId: "rm-share01", backupStatus: "Failed" });
    await Promise.all([settle(a), settle(b), settle(c)]);
    const added = registered.slice(before).map((r) => r.name);
    expect(added).to.have.length(2);
    expect(new Set(added).size).to.equal(2);
    expect(added.every((n) => n.startsWith("backups-rm-share01-"))).to.equal(true);
  });

  it("fails at once on bad input, naming the field, and registers nothing", async () => {
    const before = registered.length;
    expect(() => rds.getBackupsOutput({ dbInstanceId: "rm-bad01", backupStatus: "success" as never })).to.throw(
      /backupStatus.*success.*Success/,
    );
    expect(() => rds.requireFreshBackup({ dbInstanceId: "rm-bad01", maxAge: "1x" })).to.throw(/maxAge/);
    expect(() => rds.getBackupsOutput({ dbInstanceId: "rm-bad01", bogus: 1 } as never)).to.throw(/bogus/);
    expect(registered.length).to.equal(before);
  });

  it("bad input is a pulumi.RunError (printed as its message alone) and still an RdsValidationError", async () => {
    let known: unknown;
    try {
      rds.requireFreshBackup({ dbInstanceId: "rm-bad02", maxAge: "1x" });
    } catch (err) {
      known = err;
    }
    expect(known).to.be.instanceOf(rds.RdsValidationError);
    expect(pulumi.RunError.isInstance(known)).to.equal(true);
    // Still unknown when registered: the same error once the value resolves, inside an apply.
    const later = new Promise<unknown>((resolve) => process.once("unhandledRejection", resolve));
    rds.getBackupsOutput({
      dbInstanceId: "rm-bad03",
      backupStatus: pulumi.output(Promise.resolve("success" as never)),
    });
    const unknownThen = await later;
    expect(unknownThen).to.be.instanceOf(rds.RdsValidationError);
    expect(pulumi.RunError.isInstance(unknownThen)).to.equal(true);
    expect((unknownThen as Error).message).to.match(/backupStatus "success"/);
  });

  it("ensureFreshBackup's bad input is a pulumi.RunError too, naming the field, before anything is registered", () => {
    const before = registered.length;
    let known: unknown;
    try {
      rds.ensureFreshBackup({ dbInstanceId: "rm-bad04", maxAge: "24h", backupMethod: "Incremental" as never });
    } catch (err) {
      known = err;
    }
    expect(known).to.be.instanceOf(rds.RdsValidationError);
    expect(pulumi.RunError.isInstance(known)).to.equal(true);
    expect((known as Error).message).to.match(/backupMethod "Incremental"/);
    expect(registered.length).to.equal(before);
  });

  it("refuses download links in the Promise form, which cannot keep them secret", async () => {
    let error: Error | undefined;
    await rds
      .getBackups({ dbInstanceId: "rm-links01", includeDownloadUrls: true })
      .catch((err: Error) => (error = err));
    expect(error?.message).to.contain("includeDownloadUrls").and.to.contain("getBackupsOutput");
  });

  it("marks the whole result secret when download links are asked for", async () => {
    const result = rds.getBackupsOutput({ dbInstanceId: "rm-links02", includeDownloadUrls: true });
    expect(await pulumi.isSecret(result)).to.equal(true);
    const plain = rds.getBackupsOutput({ dbInstanceId: "rm-links03" });
    expect(await pulumi.isSecret(plain)).to.equal(false);
  });

  it("getRecoverability: the Promise form refuses log files' links; the Output form with them is secret", async () => {
    let error: Error | undefined;
    await rds
      .getRecoverability({ dbInstanceId: "rm-links04", recoverableWithin: "15m", includeDownloadUrls: true })
      .catch((err: Error) => (error = err));
    expect(error?.message).to.contain("includeDownloadUrls").and.to.contain("getRecoverabilityOutput");
    const args = { dbInstanceId: "rm-links05", recoverableWithin: "15m" };
    expect(await pulumi.isSecret(rds.getRecoverabilityOutput({ ...args, includeDownloadUrls: true }))).to.equal(true);
    expect(await pulumi.isSecret(rds.getRecoverabilityOutput(args))).to.equal(false);
  });
});
