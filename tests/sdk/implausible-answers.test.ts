/**
 * Answers that cannot be right are refused, never used: checkAnswer on its own (pure, with an
 * injected clock), then through every reader against the emulator serving each bad answer
 * (scripted `rewrite` faults, or a backup put in the data), counting requests at the emulator.
 */
import { expect } from "chai";
import {
  DEFAULT_ACCESS_KEY_ID,
  DEFAULT_ACCESS_KEY_SECRET,
  startEmulator,
  type RawBackup,
  type RunningEmulator,
  type ScriptedFault,
} from "../../emulator";
import {
  checkFreshBackup,
  describeBackupsPage,
  findNewestUsableBackup,
  iterateBackups,
  listBackups,
  paginateBackups,
  RdsImplausibleAnswerError,
  RdsIncompleteListError,
  RdsValidationError,
  type Backup,
  type BackupPage,
  type ListOptions,
} from "../../sdk";
import { checkAnswer } from "../../sdk/check-answer";
import { TokenBucketRateLimiter } from "../../sdk/rate-limiter";
import { StandardRetryPolicy } from "../../sdk/retry";
import { CLOCK_SKEW_MS } from "../../sdk/time";
import type { WireParams } from "../../sdk/validate";
import { passTimeBudgetMs } from "../../sdk/paginate";

const NOW = Date.parse("2026-11-27T12:00:00Z");
const HOUR = 3_600_000;
const INSTANCE = "rm-trust01";
const LIAR = "rm-trustliar1";
const apiTime = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");

/** A successful automated full backup of `instance` that ended `hoursAgo` before NOW and ran 30 minutes. */
function raw(id: string, hoursAgo: number, over: Partial<RawBackup> = {}, instance = INSTANCE): RawBackup {
  const end = NOW - hoursAgo * HOUR;
  return {
    BackupId: id,
    DBInstanceId: instance,
    BackupStatus: "Success",
    BackupStartTime: apiTime(end - HOUR / 2),
    BackupEndTime: apiTime(end),
    BackupType: "FullBackup",
    BackupMethod: "Physical",
    BackupMode: "Automated",
    BackupInitiator: "System",
    BackupSize: 1024,
    IsAvail: 1,
    Engine: "MySQL",
    EngineVersion: "8.0",
    HostInstanceID: "1",
    Checksum: "1",
    ConsistentTime: 0,
    Encryption: "{}",
    MetaStatus: "OK",
    StorageClass: "0",
    StoreStatus: "Disabled",
    BackupDownloadURL: "",
    BackupIntranetDownloadURL: "",
    ...over,
  } as RawBackup;
}

describe("sdk: answers that cannot be right are refused", function () {
  this.timeout(60_000);

  describe("checkAnswer (pure)", () => {
    const backup = (over: Partial<Backup> = {}): Backup => ({
      backupId: "1",
      dbInstanceId: INSTANCE,
      backupStatus: "Success",
      backupStartTime: "2026-11-27T10:00:00Z",
      backupEndTime: "2026-11-27T10:30:00Z",
      backupType: "FullBackup",
      backupMethod: "Physical",
      backupMode: "Automated",
      backupSize: 1,
      downloadLinksByDatabase: [],
      encryption: {},
      isAvail: true,
      ...over,
    });
    const page = (backups: Backup[], over: Partial<BackupPage> = {}): BackupPage => ({
      backups,
      pageNumber: 1,
      pageSize: 100,
      pageRecordCount: backups.length,
      totalRecordCount: backups.length,
      totalEcsSnapshotSize: 0,
      requestId: "REQ-1",
      ...over,
    });
    const sent = (over: Partial<WireParams> = {}): WireParams => ({
      DBInstanceId: INSTANCE,
      PageSize: 100,
      PageNumber: 1,
      ...over,
    });
    const refused = (p: BackupPage, s: WireParams, field: RegExp, now = NOW): RdsImplausibleAnswerError => {
      let err: unknown;
      try {
        checkAnswer(p, s, now);
      } catch (e) {
        err = e;
      }
      expect(err, field.source).to.be.instanceOf(RdsImplausibleAnswerError);
      const e = err as RdsImplausibleAnswerError;
      expect(e.field).to.match(field);
      expect(e.requestId).to.equal("REQ-1");
      expect(e.message).to.contain("REQ-1");
      return e;
    };

    it("accepts an honest page, empty pages and pages past the end", () => {
      expect(() => checkAnswer(page([backup(), backup({ backupId: "2" })]), sent(), NOW)).not.to.throw();
      expect(() => checkAnswer(page([]), sent(), NOW)).not.to.throw();
      expect(() =>
        checkAnswer(page([], { pageNumber: 4, totalRecordCount: 250 }), sent({ PageNumber: 4 }), NOW),
      ).not.to.throw();
      expect(() =>
        checkAnswer(page([backup()], { pageNumber: 3, totalRecordCount: 201 }), sent({ PageNumber: 3 }), NOW),
      ).not.to.throw();
    });

    it("refuses an item of another instance or one that does not match a filter sent", () => {
      expect(
        refused(
          page([backup(), backup({ backupId: "2", dbInstanceId: "rm-other01" })]),
          sent(),
          /^Items\.Backup\[1\]\.DBInstanceId$/,
        ).value,
      ).to.equal("rm-other01");
      refused(page([backup({ backupType: "IncrementalBackup" })]), sent({ BackupType: "FullBackup" }), /\.BackupType$/);
      refused(page([backup({ backupStatus: "Failed" })]), sent({ BackupStatus: "Success" }), /\.BackupStatus$/);
      refused(page([backup({ backupMode: "Manual" })]), sent({ BackupMode: "Automated" }), /\.BackupMode$/);
      const e = refused(page([backup({ backupId: "99" })]), sent({ BackupId: "1" }), /\.BackupId$/);
      expect(e.message).to.contain('the request asked for BackupId "1"');
      // Filters not sent constrain nothing.
      expect(() =>
        checkAnswer(
          page([backup({ backupType: "IncrementalBackup", backupMode: "Manual", backupStatus: "Failed" })]),
          sent(),
          NOW,
        ),
      ).not.to.throw();
    });

    it("the window: refuses what no reading of StartTime/EndTime allows, accepts what one does", () => {
      const window = sent({ StartTime: "2026-11-27T10:00Z", EndTime: "2026-11-27T11:00Z" });
      // Started in EndTime's minute (the API compares minutes), or started before StartTime but ended inside: allowed.
      expect(() =>
        checkAnswer(
          page([backup({ backupStartTime: "2026-11-27T11:00:59Z", backupEndTime: "2026-11-27T11:30:00Z" })]),
          window,
          NOW,
        ),
      ).not.to.throw();
      expect(() =>
        checkAnswer(
          page([backup({ backupStartTime: "2026-11-27T09:50:00Z", backupEndTime: "2026-11-27T10:00:00Z" })]),
          window,
          NOW,
        ),
      ).not.to.throw();
      refused(
        page([backup({ backupStartTime: "2026-11-27T11:01:00Z", backupEndTime: "2026-11-27T11:30:00Z" })]),
        window,
        /\.BackupStartTime$/,
      );
      const e = refused(
        page([backup({ backupStartTime: "2026-11-27T09:00:00Z", backupEndTime: "2026-11-27T09:59:59Z" })]),
        window,
        /\.BackupEndTime$/,
      );
      expect(e.message).to.contain("StartTime 2026-11-27T10:00Z");
    });

    it("refuses an end later than now plus the clock skew allowance, or before the start", () => {
      const end = (ms: number) => page([backup({ backupStartTime: apiTime(NOW - HOUR), backupEndTime: apiTime(ms) })]);
      expect(() => checkAnswer(end(NOW + CLOCK_SKEW_MS), sent(), NOW)).not.to.throw();
      const e = refused(end(NOW + CLOCK_SKEW_MS + 1_000), sent(), /\.BackupEndTime$/);
      expect(e.message).to.contain("in the future (now is 2026-11-27T12:00:00.000Z, clock skew allowed 5 minutes)");
      refused(end(Date.parse("2099-01-01T00:00:00Z")), sent(), /\.BackupEndTime$/);
      refused(
        page([backup({ backupStartTime: "2026-11-27T10:00:00Z", backupEndTime: "2026-11-27T09:00:00Z" })]),
        sent(),
        /\.BackupEndTime$/,
      );
    });

    it("refuses counts that contradict the items, a page not asked for and a backup twice on one page", () => {
      refused(page([backup()], { pageRecordCount: 5 }), sent(), /^PageRecordCount$/);
      refused(page([backup()], { totalRecordCount: 0 }), sent(), /^TotalRecordCount$/);
      expect(
        refused(
          page([backup()], { pageNumber: 2, totalRecordCount: 100 }),
          sent({ PageNumber: 2 }),
          /^TotalRecordCount$/,
        ).message,
      ).to.contain("at least 101");
      refused(page([backup()], { pageNumber: 1 }), sent({ PageNumber: 2 }), /^PageNumber$/);
      refused(
        page(
          Array.from({ length: 31 }, (_, i) => backup({ backupId: String(i) })),
          { totalRecordCount: 31 },
        ),
        sent({ PageSize: 30 }),
        /^Items\.Backup$/,
      );
      refused(page([backup(), backup({ backupId: "2" }), backup()]), sent(), /^Items\.Backup\[2\]\.BackupId$/);
    });

    it("quotes the server's value bounded and with control characters escaped", () => {
      const hostile = `rm-x\u001b]0;pwned\u0007\r\u009b2J${"A".repeat(5_000)}`;
      const e = refused(page([backup({ dbInstanceId: hostile })]), sent(), /DBInstanceId/);
      expect(e.message).not.to.match(/[\u0000-\u001f\u007f-\u009f]/);
      expect(e.message)
        .to.contain("\\u001b")
        .and.to.contain("\\u009b")
        .and.to.match(/\(50\d\d characters, cut\)/);
      expect(e.message.length).to.be.below(600);
      expect(e.value).to.equal(hostile); // the value itself is kept whole for programs
    });

    it("a pass's time follows from its pages, with a hard ceiling", () => {
      expect(passTimeBudgetMs(1)).to.equal(62_000);
      expect(passTimeBudgetMs(100)).to.equal(260_000);
      expect(passTimeBudgetMs(20_000)).to.equal(15 * 60_000);
    });
  });

  describe("through every reader, against the emulator", () => {
    let emu: RunningEmulator;
    const o = (extra: Partial<ListOptions> = {}): ListOptions => ({
      endpoint: emu.url,
      credentials: { accessKeyId: DEFAULT_ACCESS_KEY_ID, accessKeySecret: DEFAULT_ACCESS_KEY_SECRET },
      rateLimiter: new TokenBucketRateLimiter({ maxRps: 10_000 }),
      retry: new StandardRetryPolicy({ random: () => 0 }),
      now: new Date(NOW),
      ...extra,
    });
    /** Every public reader, each asking with `filters` (the gate and newest always send BackupStatus Success). */
    const readers = (filters: Record<string, string> = {}): Array<[string, () => Promise<unknown>]> => {
      const q = { dbInstanceId: INSTANCE, ...filters };
      return [
        ["listBackups", () => listBackups(q, o())],
        [
          "iterateBackups",
          async () => {
            for await (const b of iterateBackups(q, o())) void b;
          },
        ],
        [
          "paginateBackups",
          async () => {
            for await (const p of paginateBackups(q, o())) void p;
          },
        ],
        ["describeBackupsPage", () => describeBackupsPage(q, o())],
        ["findNewestUsableBackup", () => findNewestUsableBackup({ ...q, backupStatus: "Success" }, o())],
        [
          "checkFreshBackup",
          () =>
            checkFreshBackup(
              { dbInstanceId: INSTANCE, maxAge: "24h", backupType: "any", ...filters, now: new Date(NOW) },
              o(),
            ),
        ],
      ];
    };
    /** Runs `read` with `fault` served on its first request: refused with the field, the value and the request id, in one request. */
    const refusedBy = async (
      name: string,
      read: () => Promise<unknown>,
      fault: Omit<ScriptedFault, "kind">,
      field: RegExp,
    ): Promise<RdsImplausibleAnswerError> => {
      emu.injectFaults([{ kind: "rewrite", ...fault }]);
      const before = emu.stats.describeBackups;
      let err: unknown;
      try {
        await read();
      } catch (e) {
        err = e;
      }
      expect(err, `${name}: ${String(err)}`).to.be.instanceOf(RdsImplausibleAnswerError);
      const e = err as RdsImplausibleAnswerError;
      expect(e.field, name).to.match(field);
      expect(e.requestId, name).to.match(/^[0-9A-F-]{36}$/);
      expect(e.message, name).to.contain(e.requestId);
      expect(emu.stats.describeBackups - before, `${name}: requests`).to.equal(1); // refused, not retried
      return e;
    };

    before(async () => {
      const data = {
        accessKeys: { [DEFAULT_ACCESS_KEY_ID]: DEFAULT_ACCESS_KEY_SECRET },
        instances: {
          [INSTANCE]: {
            regionId: "cn-hangzhou",
            backups: [
              raw("5001", 1),
              raw("5002", 2, { BackupType: "IncrementalBackup" }),
              raw("5003", 5, { BackupMode: "Manual", BackupInitiator: "User" }),
              raw("5004", 30),
            ],
          },
        },
      };
      emu = await startEmulator({ data, port: 0 });
    });
    after(async () => emu && emu.close());

    it("honest answers still pass, judged at the injected now", async () => {
      expect((await listBackups({ dbInstanceId: INSTANCE }, o())).backups).to.have.length(4);
      const verdict = await checkFreshBackup({ dbInstanceId: INSTANCE, maxAge: "24h" }, o());
      expect(verdict).to.include({ fresh: true, backupType: "FullBackup", checkedAt: "2026-11-27T12:00:00Z" });
      expect(emu.stats.lastParams).to.include({ BackupType: "FullBackup" });
    });

    it("a backup of another instance: refused by every reader", async () => {
      for (const [name, read] of readers()) {
        const e = await refusedBy(
          name,
          read,
          { setEachItem: { DBInstanceId: "rm-someoneelse" } },
          /^Items\.Backup\[0\]\.DBInstanceId$/,
        );
        expect(e.message)
          .to.contain('"rm-someoneelse"')
          .and.to.contain(`the request asked for DBInstanceId "${INSTANCE}"`);
      }
    });

    it("a backup of a type, status or mode not asked for: refused by every reader that sent the filter", async () => {
      for (const [name, read] of readers({ backupType: "FullBackup" })) {
        await refusedBy(name, read, { setEachItem: { BackupType: "IncrementalBackup" } }, /\.BackupType$/);
      }
      // The gate's default is FullBackup: an incremental answer is refused without asking for a type.
      await refusedBy(
        "gate default",
        () => checkFreshBackup({ dbInstanceId: INSTANCE, maxAge: "24h", now: new Date(NOW) }, o()),
        { setEachItem: { BackupType: "IncrementalBackup" } },
        /\.BackupType$/,
      );
      for (const [name, read] of readers({ backupMode: "Automated" })) {
        await refusedBy(name, read, { setEachItem: { BackupMode: "Manual" } }, /\.BackupMode$/);
      }
      for (const [name, read] of readers().slice(4)) {
        await refusedBy(name, read, { setEachItem: { BackupStatus: "Failed" } }, /\.BackupStatus$/);
      }
      await refusedBy(
        "describeBackupsPage",
        () => describeBackupsPage({ dbInstanceId: INSTANCE, backupId: "5001" }, o()),
        { setEachItem: { BackupId: "5002" } },
        /\.BackupId$/,
      );
    });

    it("a backup outside the window asked for: refused by the gate and the newest", async () => {
      const old = { BackupStartTime: "2020-01-01T00:00:00Z", BackupEndTime: "2020-01-01T00:30:00Z" };
      for (const [name, read] of readers().slice(4))
        await refusedBy(name, read, { setEachItem: old }, /\.BackupEndTime$/);
      const window = { startTime: "2026-11-27T06:00:00Z", endTime: "2026-11-27T08:00:00Z" }; // holds 5003
      for (const [name, read] of readers(window).slice(0, 5))
        await refusedBy(name, read, { setEachItem: old }, /\.BackupEndTime$/);
    });

    it("a backup ending in 2099, or before it started: the gate says it could not read, never fresh", async () => {
      emu.addBackup(INSTANCE, raw("5999", 0.5, { BackupEndTime: "2099-01-01T00:00:00Z" }));
      try {
        for (const [name, read] of readers()) {
          let err: unknown;
          try {
            await read();
          } catch (e) {
            err = e;
          }
          expect(err, name).to.be.instanceOf(RdsImplausibleAnswerError);
          expect((err as Error).message, name).to.match(
            /BackupEndTime = "2099-01-01T00:00:00Z" \(request id "[0-9A-F-]{36}"\), which cannot be right: it is in the future/,
          );
        }
      } finally {
        emu.removeBackup(INSTANCE, "5999");
      }
      for (const [name, read] of readers()) {
        await refusedBy(
          name,
          read,
          { setEachItem: { BackupStartTime: "2026-11-27T11:00:00Z", BackupEndTime: "2026-11-27T10:00:00Z" } },
          /\.BackupEndTime$/,
        );
      }
    });

    it("totals that contradict the items: refused by every reader", async () => {
      for (const [name, read] of readers()) {
        await refusedBy(name, read, { set: { TotalRecordCount: "0" } }, /^TotalRecordCount$/);
        await refusedBy(name, read, { set: { PageRecordCount: "7" } }, /^PageRecordCount$/);
        await refusedBy(name, read, { set: { PageNumber: "3" } }, /^PageNumber$/);
      }
    });

    it("refuses a gate backupType that is not FullBackup, IncrementalBackup or any, before any call", async () => {
      const before = emu.stats.requests;
      let err: unknown;
      try {
        await checkFreshBackup({ dbInstanceId: INSTANCE, maxAge: "24h", backupType: "Full" as never }, o());
      } catch (e) {
        err = e;
      }
      expect(err).to.be.instanceOf(RdsValidationError);
      expect((err as Error).message).to.equal(
        'backupType "Full" is not allowed; use FullBackup (the default), IncrementalBackup, or any to count both (case matters)',
      );
      expect(emu.stats.requests).to.equal(before);
    });
  });

  describe("a lying TotalRecordCount fails within a bounded number of requests", () => {
    let own: RunningEmulator;
    const hundred = Array.from({ length: 100 }, (_, i) => raw(String(800_000 + i), 1 + i * 0.2, {}, LIAR));
    const o = (): ListOptions => ({
      endpoint: own.url,
      credentials: { accessKeyId: DEFAULT_ACCESS_KEY_ID, accessKeySecret: DEFAULT_ACCESS_KEY_SECRET },
      rateLimiter: new TokenBucketRateLimiter({ maxRps: 10_000 }),
      retry: new StandardRetryPolicy({ random: () => 0 }),
      now: new Date(NOW),
    });
    /** A liar of its own (scripted faults outlive the test that queued them), serving `fault` on every request. */
    const liar = async (fault: Omit<ScriptedFault, "kind">): Promise<RunningEmulator> => {
      own = await startEmulator({
        data: {
          accessKeys: { [DEFAULT_ACCESS_KEY_ID]: DEFAULT_ACCESS_KEY_SECRET },
          instances: { [LIAR]: { regionId: "cn-hangzhou", backups: hundred } },
        },
        port: 0,
      });
      own.injectFaults([{ kind: "rewrite", times: 100_000, ...fault }]);
      return own;
    };
    afterEach(async () => own && own.close());

    /** The error `read` fails with, once the pages it abandoned in flight have reached the emulator (so they are counted). */
    const failure = async (read: () => Promise<unknown>): Promise<unknown> => {
      let err: unknown;
      try {
        await read();
      } catch (e) {
        err = e;
      }
      for (let seen = -1, i = 0; seen !== own.stats.describeBackups && i < 50; i++) {
        seen = own.stats.describeBackups;
        await new Promise((r) => setTimeout(r, 100));
      }
      return err;
    };

    const REPEAT = { set: { Items: { Backup: hundred }, PageRecordCount: "100", TotalRecordCount: "999999999" } };
    const repeaters: Array<[string, number, () => Promise<unknown>]> = [
      ["listBackups", 10, () => listBackups({ dbInstanceId: LIAR }, o())],
      [
        "iterateBackups",
        4,
        async () => {
          for await (const b of iterateBackups({ dbInstanceId: LIAR }, o())) void b;
        },
      ],
      [
        "paginateBackups",
        10,
        async () => {
          for await (const p of paginateBackups({ dbInstanceId: LIAR }, o())) void p;
        },
      ],
      ["checkFreshBackup", 10, () => checkFreshBackup({ dbInstanceId: LIAR, maxAge: "24h", now: new Date(NOW) }, o())],
    ];
    for (const [name, concurrency, read] of repeaters) {
      it(`${name}: 999999999 while repeating the same 100 items is refused at the first repeated page, naming its request id`, async () => {
        await liar(REPEAT);
        const err = await failure(read);
        expect(err, name).to.be.instanceOf(RdsImplausibleAnswerError);
        const e = err as RdsImplausibleAnswerError;
        expect(e.field).to.equal("Items.Backup");
        expect(e.message).to.match(
          /page 2 repeats 100 backups of earlier pages and brings none new, while TotalRecordCount 999999999 says there are more/,
        );
        expect(e.message).to.contain(e.requestId).and.to.contain("...");
        // The first page, then at most `concurrency` pages in flight: not thousands.
        expect(own.stats.describeBackups).to.be.within(2, 1 + concurrency);
      });
    }

    it("999999999 over 100 items and then empty pages: a loud incomplete list after the re-reads, naming the last request id", async () => {
      await liar({ set: { TotalRecordCount: "999999999" } });
      const err = await failure(() => listBackups({ dbInstanceId: LIAR }, o()));
      expect(err).to.be.instanceOf(RdsIncompleteListError);
      expect((err as Error).message).to.match(
        /100 distinct backups received, the API reported 999999999\) after 3 full reads; pages repeated or missed backups \(last request id [0-9A-F-]{36}\)/,
      );
      expect(own.stats.describeBackups).to.be.at.most(3 * (1 + 10));
    });
  });
});
