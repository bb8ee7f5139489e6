/**
 * The provider's methods, called in-process as Pulumi's dynamic-provider host calls them,
 * against the emulator over real HTTP with the official SDK.
 */
import { expect } from "chai";
import { startEmulator } from "../../emulator";
import * as runtime from "../../provider/runtime";
import { parseBackupsArgs } from "../../provider/args";
import type { Backup } from "../../sdk";
import { ACCESS_KEY_ID, ACCESS_KEY_SECRET, EMPTY_INSTANCE, INSTANCE, providerData, rawBackup } from "./fixtures";

const HOUR = 3600e3;
/** The API's minute format (`yyyy-MM-ddTHH:mmZ`) → ms. */
const apiMinuteMs = (t: string): number => Date.parse(t.replace("Z", ":00Z"));

type Running = Awaited<ReturnType<typeof startEmulator>>;
/** The props a read returns (Pulumi types them `any`): the keys these tests look at. */
interface BackupsProps {
  ids: string[];
  backupsJson: string;
  totalCount: number;
  latest: Backup | null;
}
interface FreshBackupProps {
  backupId: string | null;
  maxAgeSeconds: number;
  backupEndTime: string;
}

describe("provider runtime (dynamic-provider methods) against the emulator", () => {
  let emulator: Running;
  const savedEnv = { ...process.env };
  /**
   * The fixture's clock. The reads judge by the real clock (later, by however long the run takes):
   * every window and limit below sits hours away from any backup, so no delay changes a result;
   * what depends on the exact moment is asserted between clocks read around the call.
   */
  let dataNow: number;

  before(async () => {
    dataNow = Date.now();
    emulator = await startEmulator({ data: providerData(dataNow), port: 0 });
    process.env.ALIBABA_CLOUD_RDS_ENDPOINT = emulator.url;
    delete process.env.ALIBABA_CLOUD_ACCESS_KEY_ID;
    delete process.env.ALIBABA_CLOUD_ACCESS_KEY_SECRET;
  });
  beforeEach(() => {
    emulator.resetStats();
    runtime.setStackSettings({ accessKey: ACCESS_KEY_ID, secretKey: ACCESS_KEY_SECRET, region: "cn-hangzhou" });
  });
  after(async () => {
    process.env = savedEnv;
    await emulator.close();
  });

  describe("readBackups", () => {
    it("returns every backup, the ids, the totals and the newest usable one", async () => {
      const result = await runtime.readBackups(INSTANCE, { dbInstanceId: INSTANCE, __provider: "ignored" });
      const props = result.props as BackupsProps;
      expect(result.id).to.equal(INSTANCE);
      expect(props.totalCount).to.equal(5);
      // Oldest first, so that a new backup is one addition at the end of a diff.
      expect(props.ids).to.deep.equal(["900001", "900002", "900003", "900004", "900005"]);
      // Keyed by id: the engine diffs JSON text structurally, and objects key by key.
      expect(Object.keys(JSON.parse(props.backupsJson))).to.have.members(props.ids);
      // The failed one is newer but not usable; the incremental one (2 h) is the newest usable.
      expect(props.latest?.backupId).to.equal("900004");
      expect(props.latest?.isAvail).to.equal(true);
      expect(props.latest?.backupSize).to.equal(512 * 1024 * 1024);
      expect(emulator.stats.describeBackups).to.equal(1);
    });

    it("a new backup is one more id at the end and one more key, whatever order the API answers in", async () => {
      const before = (await runtime.readBackups(INSTANCE, { dbInstanceId: INSTANCE })).props as BackupsProps;
      emulator.addBackup(INSTANCE, rawBackup("900006", 0.5));
      try {
        const after = (await runtime.readBackups(INSTANCE, { dbInstanceId: INSTANCE })).props as BackupsProps;
        expect(after.ids).to.deep.equal([...before.ids, "900006"]);
        const [oldSets, newSets] = [JSON.parse(before.backupsJson), JSON.parse(after.backupsJson)];
        expect(Object.keys(newSets).filter((id) => !(id in oldSets))).to.deep.equal(["900006"]);
        for (const id of before.ids) expect(newSets[id]).to.deep.equal(oldSets[id]);
      } finally {
        emulator.removeBackup(INSTANCE, "900006");
      }
    });

    it("passes every filter to the API", async () => {
      const result = await runtime.readBackups(INSTANCE, {
        dbInstanceId: INSTANCE,
        backupStatus: "Success",
        backupType: "FullBackup",
        backupMode: "Automated",
        // Between 900002 (started 30 h before the data's clock) and 900001 (54 h).
        startTime: new Date(dataNow - 40 * HOUR).toISOString(),
      });
      const props = result.props as BackupsProps;
      expect(props.ids).to.have.members(["900002", "900003"]);
      expect(props.latest?.backupId).to.equal("900003");
      const sent = emulator.stats.lastParams!;
      expect(sent.BackupStatus).to.equal("Success");
      expect(sent.BackupType).to.equal("FullBackup");
      expect(sent.BackupMode).to.equal("Automated");
      expect(sent.StartTime).to.match(/^\d{4}-\d\d-\d\dT\d\d:\d\dZ$/);
    });

    it("turns since into a start time when the read runs, and refuses since with startTime", async () => {
      // The conversion itself, with the clock injected: exact, as sent (rounded down to the minute).
      const at = new Date("2026-11-27T12:05:30Z");
      expect(parseBackupsArgs({ dbInstanceId: INSTANCE, since: "40h" }, at).query.params.StartTime).to.equal(
        "2026-11-25T20:05Z",
      );
      const before = Date.now();
      const result = await runtime.readBackups(INSTANCE, {
        dbInstanceId: INSTANCE,
        since: "40h",
        backupType: "FullBackup",
      });
      const after = Date.now();
      // Full backups that started in the last 40 h: 900002 (30 h), 900003 (6 h), the failed 900005 (2 h); not 900001 (54 h).
      expect((result.props as BackupsProps).ids).to.have.members(["900002", "900003", "900005"]);
      // Taken when the read ran (between the two clocks), rounded down to the minute.
      const sent = apiMinuteMs(emulator.stats.lastParams!.StartTime!);
      expect(sent).to.be.within(Math.floor((before - 40 * HOUR) / 60e3) * 60e3, after - 40 * HOUR);
      let error: Error | undefined;
      await runtime
        .readBackups(INSTANCE, { dbInstanceId: INSTANCE, since: "7d", startTime: "2026-01-01T00:00:00Z" })
        .catch((e: Error) => (error = e));
      expect(error?.message).to.contain("since").and.to.contain("startTime");
    });

    it("leaves download links out unless asked, and includes them when asked", async () => {
      const plainResult = await runtime.readBackups(INSTANCE, { dbInstanceId: INSTANCE });
      expect(JSON.stringify(plainResult.props)).not.to.contain("presigned-");
      const withLinks = await runtime.readBackups(INSTANCE, { dbInstanceId: INSTANCE, includeDownloadUrls: true });
      const latest = (withLinks.props as BackupsProps).latest;
      expect(latest?.backupDownloadUrl).to.contain("presigned-900004");
    });

    it("returns an empty list and no latest for an instance with no backups, in one call", async () => {
      const result = await runtime.readBackups(EMPTY_INSTANCE, { dbInstanceId: EMPTY_INSTANCE });
      const props = result.props as BackupsProps;
      expect(JSON.parse(props.backupsJson)).to.deep.equal({});
      expect(props.totalCount).to.equal(0);
      expect(props.latest).to.equal(null);
      expect(emulator.stats.describeBackups).to.equal(1);
    });

    it("ignores the previous outputs that the engine passes back on refresh", async () => {
      const first = await runtime.readBackups(INSTANCE, { dbInstanceId: INSTANCE, backupStatus: "Failed" });
      const again = await runtime.readBackups(INSTANCE, { ...(first.props as object), __provider: "x" });
      expect((again.props as BackupsProps).ids).to.deep.equal(["900005"]);
    });

    it("refuses bad input naming the field and the allowed values, before any call", async () => {
      let error: Error | undefined;
      try {
        await runtime.readBackups(INSTANCE, { dbInstanceId: INSTANCE, backupStatus: "success" });
      } catch (err) {
        error = err as Error;
      }
      expect(error?.message).to.contain("backupStatus").and.to.contain("success").and.to.contain("Success");
      expect(emulator.stats.requests).to.equal(0);
    });

    it("the core runs the request its caller checked (the plugin's invoke), with the caller's settings", async () => {
      const request = parseBackupsArgs({ dbInstanceId: INSTANCE, backupStatus: "Failed" });
      // Props a check would refuse: only the checked request is read.
      const settings = { accessKey: ACCESS_KEY_ID, secretKey: ACCESS_KEY_SECRET, region: "cn-hangzhou" };
      const outputs = await runtime.backupsCore.run("judge", { settings, subject: "getBackups", request });
      expect(outputs.ids).to.deep.equal(["900005"]);
      expect(emulator.stats.describeBackups).to.equal(1);
    });

    it("takes credentials from the stack config given to configure", async () => {
      const config: Record<string, string> = {
        "alicloud:accessKey": ACCESS_KEY_ID,
        "alicloud:secretKey": "wrong-secret",
      };
      await runtime.configure({ config: { get: (k: string) => config[k], require: (k: string) => config[k]! } });
      let error: Error | undefined;
      try {
        await runtime.readBackups(INSTANCE, { dbInstanceId: INSTANCE });
      } catch (err) {
        error = err as Error;
      }
      expect(error?.message).to.match(/secret|signature/i);
      expect(error?.message).not.to.contain("wrong-secret");
      expect(emulator.stats.byCode["SignatureDoesNotMatch"]).to.be.greaterThan(0);
    });
  });

  describe("readFreshBackup", () => {
    it("passes with the newest usable backup when it ended within maxAge", async () => {
      // 900003 ended 5 h before the data's clock: fresh for 24 h whenever the read runs today.
      const result = await runtime.readFreshBackup(INSTANCE, {
        dbInstanceId: INSTANCE,
        maxAge: "24h",
        backupType: "FullBackup",
      });
      const props = result.props as FreshBackupProps;
      expect(props.backupId).to.equal("900003");
      expect(props.maxAgeSeconds).to.equal(24 * 3600);
      expect(props.backupEndTime).to.match(/Z$/);
      expect(JSON.stringify(props)).not.to.contain("presigned-");
      expect(emulator.stats.describeBackups).to.equal(1);
    });

    it("fails with the instance, the newest backup, its age and the limit when it is stale", async () => {
      let error: Error | undefined;
      try {
        await runtime.readFreshBackup(INSTANCE, { dbInstanceId: INSTANCE, maxAge: "4h", backupType: "FullBackup" });
      } catch (err) {
        error = err as Error;
      }
      expect(error, "a stale backup must fail the read").to.be.instanceOf(Error);
      expect(error!.message).to.contain(INSTANCE).and.to.contain("4h");
      expect(error!.message).to.match(/no usable|older|900003/);
    });

    it("fails saying there is none for an instance without backups", async () => {
      let error: Error | undefined;
      try {
        await runtime.readFreshBackup(EMPTY_INSTANCE, { dbInstanceId: EMPTY_INSTANCE, maxAge: "24h" });
      } catch (err) {
        error = err as Error;
      }
      expect(error!.message)
        .to.contain(EMPTY_INSTANCE)
        .and.to.match(/no usable backup/);
    });

    it("fails closed, saying it could not read, when the API refuses", async () => {
      runtime.setStackSettings({ accessKey: ACCESS_KEY_ID, secretKey: "not-the-secret", region: "cn-hangzhou" });
      let error: Error | undefined;
      try {
        await runtime.readFreshBackup(INSTANCE, { dbInstanceId: INSTANCE, maxAge: "24h" });
      } catch (err) {
        error = err as Error;
      }
      expect(error!.message).to.contain("could not read").and.not.to.contain("not-the-secret");
      expect(error!.message).not.to.match(/older than/);
    });

    it("counts full backups unless asked: the incremental 2 h old passes only with backupType any or IncrementalBackup", async () => {
      const failure = async (args: Record<string, unknown>): Promise<Error | undefined> => {
        try {
          await runtime.readFreshBackup(INSTANCE, { dbInstanceId: INSTANCE, maxAge: "3h", ...args });
        } catch (err) {
          return err as Error;
        }
        return undefined;
      };
      const byDefault = await failure({});
      expect(byDefault?.message).to.match(
        /newest usable backup 900003 ended .*, older than the limit 3h \(backupType FullBackup\)/,
      );
      expect(emulator.stats.lastParams?.BackupType).to.equal("FullBackup");
      for (const backupType of ["any", "IncrementalBackup"]) {
        const result = await runtime.readFreshBackup(INSTANCE, { dbInstanceId: INSTANCE, maxAge: "3h", backupType });
        expect((result.props as FreshBackupProps).backupId, backupType).to.equal("900004");
      }
      expect((await failure({ backupType: "Incremental" }))?.message).to.match(
        /backupType "Incremental" is not allowed; use FullBackup \(the default\), IncrementalBackup, or any/,
      );
    });

    it("fails closed, saying it could not read, on an answer that cannot be right (a backup of another instance)", async () => {
      emulator.injectFaults([{ kind: "rewrite", setEachItem: { DBInstanceId: "rm-uf6someoneelse" } }]);
      let error: Error | undefined;
      try {
        await runtime.readFreshBackup(INSTANCE, { dbInstanceId: INSTANCE, maxAge: "24h" });
      } catch (err) {
        error = err as Error;
      }
      expect(error?.message).to.match(/could not read the backups of rm-uf6provider01, so freshness cannot be proven/);
      expect(error?.message).to.match(
        /DBInstanceId = "rm-uf6someoneelse" \(request id "[0-9A-F-]{36}"\), which cannot be right/,
      );
      expect(error?.message).not.to.match(/within the limit|older than/);
      expect(emulator.stats.describeBackups).to.equal(1);
    });

    it("refuses a bad maxAge before any call", async () => {
      for (const maxAge of ["1x", "-5m", 0, ""]) {
        let error: Error | undefined;
        try {
          await runtime.readFreshBackup(INSTANCE, { dbInstanceId: INSTANCE, maxAge });
        } catch (err) {
          error = err as Error;
        }
        expect(error?.message, `maxAge ${JSON.stringify(maxAge)}`).to.contain("maxAge");
      }
      expect(emulator.stats.requests).to.equal(0);
    });
  });

  describe("check", () => {
    it("reports failures as data naming the property", async () => {
      const result = await runtime.checkBackups({}, { dbInstanceId: "", backupType: "Full", pageSize: 10 });
      const properties = (result.failures ?? []).map((f) => f.property);
      expect(properties).to.include.members(["dbInstanceId", "backupType", "pageSize"]);
    });
    it("accepts good input", async () => {
      const result = await runtime.checkFreshBackupInputs({}, { dbInstanceId: INSTANCE, maxAge: "24h" });
      expect(result.failures).to.deep.equal([]);
    });
  });
});
