/**
 * The official SDK over real HTTP against the project's emulator: no mock of the SDK or HTTP.
 * Calls are counted at the emulator. Each test gets its own fast rate limiter and a
 * deterministic retry policy (random = 0: no waiting) so that nothing depends on timing.
 */
import { expect } from "chai";
import { createServer } from "node:net";
import {
  DEFAULT_ACCESS_KEY_ID,
  DEFAULT_ACCESS_KEY_SECRET,
  generateData,
  startEmulator,
  type EmulatorData,
  type RawBackup,
  type RunningEmulator,
} from "../../emulator";
import {
  checkFreshBackup,
  describeBackupsPage,
  iterateBackups,
  listBackups,
  RdsApiError,
  RdsValidationError,
  type ListOptions,
} from "../../sdk";
import { TokenBucketRateLimiter } from "../../sdk/rate-limiter";
import { StandardRetryPolicy } from "../../sdk/retry";

const SIZES: Record<string, number> = {
  "rm-n0": 0,
  "rm-n1": 1,
  "rm-n100": 100,
  "rm-n101": 101,
  "rm-n250": 250,
  "rm-n10001": 10_001,
};
const creds = { accessKeyId: DEFAULT_ACCESS_KEY_ID, accessKeySecret: DEFAULT_ACCESS_KEY_SECRET };

function opts(emu: RunningEmulator, extra: Partial<ListOptions> = {}): ListOptions {
  return {
    endpoint: emu.url,
    credentials: creds,
    readTimeoutMs: 5_000,
    connectTimeoutMs: 2_000,
    rateLimiter: new TokenBucketRateLimiter({ maxRps: 10_000, burst: 10_000 }),
    retry: new StandardRetryPolicy({ random: () => 0 }),
    ...extra,
  };
}
async function rejection(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (e) {
    return e as Error;
  }
  throw new Error("expected a rejection");
}

describe("sdk against the emulator (official SDK, real HTTP)", function () {
  this.timeout(60_000);
  let emu: RunningEmulator;
  let data: EmulatorData;
  const calls = (): number => emu.stats.describeBackups;

  before(async () => {
    data = generateData({
      seed: 7,
      instances: [
        ...Object.entries(SIZES).map(([id, count]) => ({ id, count, engine: "MySQL" as const })),
        { id: "rm-mixed", count: 120, engine: "MySQL" as const, failedShare: 0.2, manualShare: 0.2, incremental: true },
        { id: "rm-stale", count: 5, engine: "MySQL" as const, newestAgeHours: 30 },
      ],
    });
    data.accessKeys["LTAIlimited"] = { secret: "limited-secret-123456", instances: ["rm-n1"] };
    data.accessKeys["STSkey"] = {
      secret: "sts-secret-abcdef",
      securityToken: "sts-token-zyxwvu",
      expiresAt: "2000-01-01T00:00:00Z",
    };
    emu = await startEmulator({ data: JSON.parse(JSON.stringify(data)) as EmulatorData, port: 0 });
  });
  after(async () => emu && emu.close());

  for (const [id, n] of Object.entries(SIZES)) {
    it(`lists ${n} backups in exactly ${Math.max(1, Math.ceil(n / 100))} calls`, async () => {
      const before = calls();
      const list = await listBackups({ dbInstanceId: id }, opts(emu));
      expect(list.backups).to.have.length(n);
      expect(new Set(list.backups.map((b) => b.backupId)).size).to.equal(n);
      expect(list.totalRecordCount).to.equal(n);
      expect(calls() - before).to.equal(Math.max(1, Math.ceil(n / 100)));
      expect(list.calls).to.equal(Math.max(1, Math.ceil(n / 100)));
    });
  }

  it("sends every filter and gets what the data holds", async () => {
    const raw = data.instances["rm-mixed"]!.backups;
    const cases: Array<[Record<string, unknown>, (b: RawBackup) => boolean]> = [
      [{ backupStatus: "Failed" }, (b) => b.BackupStatus === "Failed"],
      [{ backupStatus: "Success" }, (b) => b.BackupStatus === "Success"],
      [{ backupMode: "Manual" }, (b) => b.BackupMode === "Manual"],
      [{ backupType: "IncrementalBackup" }, (b) => b.BackupType === "IncrementalBackup"],
      [{ backupId: raw[5]!.BackupId }, (b) => b.BackupId === raw[5]!.BackupId],
    ];
    for (const [filter, pred] of cases) {
      const list = await listBackups({ dbInstanceId: "rm-mixed", ...filter }, opts(emu));
      expect(list.backups.map((b) => b.backupId).sort(), JSON.stringify(filter)).to.deep.equal(
        raw
          .filter(pred)
          .map((b) => b.BackupId)
          .sort(),
      );
    }
    const starts = raw.map((b) => b.BackupStartTime).sort();
    const start = starts[40]!;
    const end = starts[80]!;
    const windowed = await listBackups({ dbInstanceId: "rm-mixed", startTime: start, endTime: end }, opts(emu));
    expect(emu.stats.lastParams).to.include({ StartTime: start.slice(0, 16) + "Z", PageSize: "100", PageNumber: "1" });
    expect(windowed.backups.length).to.be.greaterThan(30).and.lessThan(raw.length);
    for (const b of windowed.backups) {
      expect(Date.parse(b.backupStartTime))
        .to.be.at.least(Date.parse(start) - 60_000)
        .and.at.most(Date.parse(end) + 60_000);
    }
  });

  it("describeBackupsPage makes exactly one call with the caller's page", async () => {
    const before = calls();
    const page = await describeBackupsPage({ dbInstanceId: "rm-n250", pageSize: 30, pageNumber: 2 }, opts(emu));
    expect(calls() - before).to.equal(1);
    expect(emu.stats.lastParams).to.include({ PageSize: "30", PageNumber: "2" });
    expect(page).to.include({ pageNumber: 2, pageSize: 30, totalRecordCount: 250 });
    expect(page.backups).to.have.length(30);
  });

  it("refuses invalid input with zero calls made", async () => {
    const before = emu.stats.requests;
    const bad: Array<[() => Promise<unknown>, string]> = [
      [() => listBackups({ dbInstanceId: "RM-N1" }, opts(emu)), "dbInstanceId"],
      [() => listBackups({ dbInstanceId: "rm-n1", backupStatus: "success" as "Success" }, opts(emu)), "backupStatus"],
      [() => listBackups({ dbInstanceId: "rm-n1", startTime: "2026-01-01T00:00" }, opts(emu)), "startTime"],
      [
        () =>
          listBackups(
            { dbInstanceId: "rm-n1", startTime: "2026-01-02T00:00Z", endTime: "2026-01-01T00:00Z" },
            opts(emu),
          ),
        "endTime",
      ],
      [() => describeBackupsPage({ dbInstanceId: "rm-n1", pageSize: 20 as 30 }, opts(emu)), "pageSize"],
      [() => describeBackupsPage({ dbInstanceId: "rm-n1", pageNumber: 0 }, opts(emu)), "pageNumber"],
      [() => listBackups({ dbInstanceId: "rm-n1", pageSize: 100 } as never, opts(emu)), "pageSize"],
      [() => listBackups({ dbInstanceId: "rm-n1" }, opts(emu, { endpoint: "ftp://x" })), "endpoint"],
      [() => listBackups({ dbInstanceId: "rm-n1" }, opts(emu, { region: "Hangzhou" })), "region"],
      [() => listBackups({ dbInstanceId: "rm-n1" }, opts(emu, { concurrency: 0 })), "concurrency"],
      [() => checkFreshBackup({ dbInstanceId: "rm-n1", maxAge: "1x" }, opts(emu)), "maxAge"],
      [async () => iterateBackups({ dbInstanceId: "" }, opts(emu)), "dbInstanceId"],
    ];
    for (const [run, field] of bad) {
      const e = await rejection(run());
      expect(e, field).to.be.instanceOf(RdsValidationError);
      expect((e as RdsValidationError).field).to.equal(field);
    }
    expect(emu.stats.requests - before).to.equal(0);
  });

  it("recovers from throttling, with and without x-acs-retry-after", async () => {
    emu.injectFaults([
      { kind: "throttle", times: 2 },
      { kind: "throttle", retryAfterMs: 30 },
    ]);
    const before = emu.stats.byCode["Throttling.User"] ?? 0;
    const list = await listBackups({ dbInstanceId: "rm-n101" }, opts(emu));
    expect(list.backups).to.have.length(101);
    expect((emu.stats.byCode["Throttling.User"] ?? 0) - before).to.equal(3);
    expect(list.calls).to.equal(2);
  });

  it("recovers from 5xx, HTML 502, empty bodies, truncated JSON, resets and drops", async () => {
    for (const kind of [
      "internalError",
      "serviceUnavailable",
      "html502",
      "emptyBody",
      "truncatedJson",
      "reset",
      "drop",
    ] as const) {
      emu.injectFaults([{ kind, ...(kind === "emptyBody" ? { status: 502 } : {}) }]);
      const list = await listBackups({ dbInstanceId: "rm-n100" }, opts(emu));
      expect(list.backups, kind).to.have.length(100);
    }
  });

  it("gives up after maxAttempts with the attempts in the message", async () => {
    emu.injectFaults([{ kind: "internalError", times: 3 }]);
    const e = await rejection(
      listBackups({ dbInstanceId: "rm-n1" }, opts(emu, { retry: { random: () => 0, maxAttempts: 3 } })),
    );
    expect(e).to.be.instanceOf(RdsApiError);
    expect(e.message).to.match(/the service failed \(InternalError, HTTP 500\) after 3 attempts/);
    expect((e as RdsApiError).attempts).to.equal(3);
  });

  it("reports a refused connection clearly, with the endpoint", async () => {
    const port = await new Promise<number>((resolve) => {
      const s = createServer().listen(0, "127.0.0.1", () => {
        const p = (s.address() as { port: number }).port;
        s.close(() => resolve(p));
      });
    });
    const e = await rejection(
      listBackups(
        { dbInstanceId: "rm-n1" },
        opts(emu, { endpoint: `http://127.0.0.1:${port}`, retry: { random: () => 0, maxAttempts: 2 } }),
      ),
    );
    expect(e).to.be.instanceOf(RdsApiError);
    expect((e as RdsApiError).code).to.equal("ECONNREFUSED");
    expect(e.message).to.contain(`connection refused by http://127.0.0.1:${port} after 2 attempts`);
  });

  it("reports a time-out with the time-out values", async () => {
    emu.injectFaults([{ kind: "slow", ms: 3_000, times: 2 }]);
    const e = await rejection(
      listBackups(
        { dbInstanceId: "rm-n1" },
        opts(emu, { readTimeoutMs: 300, connectTimeoutMs: 300, retry: { random: () => 0, maxAttempts: 2 } }),
      ),
    );
    expect(e).to.be.instanceOf(RdsApiError);
    expect((e as RdsApiError).code).to.equal("RequestTimeout");
    expect(e.message).to.contain("connect time-out 300 ms, read time-out 300 ms) after 2 attempts");
  });

  it("a wrong secret is refused with a clear message that holds no secret", async () => {
    const secret = "wrong-secret-value-42";
    const e = await rejection(
      listBackups(
        { dbInstanceId: "rm-n1" },
        opts(emu, { credentials: { accessKeyId: DEFAULT_ACCESS_KEY_ID, accessKeySecret: secret } }),
      ),
    );
    expect(e).to.be.instanceOf(RdsApiError);
    expect((e as RdsApiError).code).to.equal("SignatureDoesNotMatch");
    expect(e.message).to.match(/check that the access key secret belongs to the access key id/);
    expect(JSON.stringify({ ...e, message: e.message, stack: e.stack })).not.to.contain(secret);
  });

  it("an expired STS token says to refresh it, and never shows the secret or the token", async () => {
    const e = await rejection(
      listBackups(
        { dbInstanceId: "rm-n1" },
        opts(emu, {
          credentials: {
            accessKeyId: "STSkey",
            accessKeySecret: "sts-secret-abcdef",
            securityToken: "sts-token-zyxwvu",
          },
        }),
      ),
    );
    expect(e.message).to.match(/InvalidSecurityToken.Expired.*refresh the token/);
    const all = JSON.stringify({ ...e, message: e.message, stack: e.stack });
    expect(all).not.to.contain("sts-secret-abcdef");
    expect(all).not.to.contain("sts-token-zyxwvu");
  });

  it("a RAM denial names the action and the resource ARN", async () => {
    const e = await rejection(
      listBackups(
        { dbInstanceId: "rm-n100" },
        opts(emu, { credentials: { accessKeyId: "LTAIlimited", accessKeySecret: "limited-secret-123456" } }),
      ),
    );
    expect(e).to.be.instanceOf(RdsApiError);
    expect((e as RdsApiError).statusCode).to.equal(403);
    expect(e.message).to.match(/grant rds:DescribeBackups on acs:rds:cn-hangzhou:[^:]+:dbinstance\/rm-n100/);
  });

  it("an unknown instance mentions the region and the endpoint", async () => {
    const e = await rejection(listBackups({ dbInstanceId: "rm-nowhere" }, opts(emu, { region: "eu-central-1" })));
    expect(e.message).to.contain(`instance rm-nowhere is not in region eu-central-1 (endpoint ${emu.url})`);
  });
});
