/**
 * The bad-input table: every argument of getBackups and requireFreshBackup, the stack settings
 * (`alicloud:`), the environment and the CLI flags. Each row must give an error that names the
 * field, at preview (program side, under `pulumi.runtime.setMocks`), and the provider's read of
 * the same arguments (what runs in `pulumi preview`) must refuse them too, with no API call:
 * the emulator counts every HTTP request and must count none. CLI rows run the real binary
 * (a subprocess) and expect exit 2. Figures: RELIABILITY_REPORT=<file>.
 */
import { expect } from "chai";
import { spawn } from "child_process";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { startEmulator, type RunningEmulator } from "../../emulator";
import {
  checkFreshBackup,
  checkQuery,
  describeBackupsPage,
  findNewestUsableBackup,
  listBackups,
  parseDuration,
  RdsValidationError,
} from "../../sdk";
import { readBackups, readFreshBackup, setStackSettings } from "../../provider/runtime";
import type { StackSettings } from "../../provider/settings";
import { Figures, gist, INSTANCE, KEY_ID, leakedMarkers, rejection, reliabilityData, SECRET } from "./helpers";
import { REPO_ROOT } from "../../support/repo-root";

const figures = new Figures("Bad inputs", [
  "#",
  "surface",
  "input",
  "field named",
  "error (first line)",
  "API requests",
]);
let rowNumber = 0;

const future = (ms: number): string => new Date(Date.now() + ms).toISOString();
const DAY = 86_400_000;

/** [field the error must name, arguments], for getBackups. */
const GET_BACKUPS: Array<[string, Record<string, unknown>]> = [
  ["dbInstanceId", {}],
  ["dbInstanceId", { dbInstanceId: "" }],
  ["dbInstanceId", { dbInstanceId: "RM-UF6REL01" }],
  ["dbInstanceId", { dbInstanceId: " rm-rel01 " }],
  ["dbInstanceId", { dbInstanceId: "rm_rel01" }],
  ["dbInstanceId", { dbInstanceId: 12345 }],
  ["dbInstanceId", { dbInstanceId: `rm-${"a".repeat(80)}` }],
  ["dbInstanceId", { dbInstanceId: `rm-${"a".repeat(62)}` }],
  ["backupId", { dbInstanceId: INSTANCE, backupId: "12 34" }],
  ["backupId", { dbInstanceId: INSTANCE, backupId: 327329803 }],
  ["backupStatus", { dbInstanceId: INSTANCE, backupStatus: "success" }],
  ["backupStatus", { dbInstanceId: INSTANCE, backupStatus: "SUCCESS" }],
  ["backupStatus", { dbInstanceId: INSTANCE, backupStatus: "Succeeded" }],
  ["backupMode", { dbInstanceId: INSTANCE, backupMode: "automated" }],
  ["backupType", { dbInstanceId: INSTANCE, backupType: "fullbackup" }],
  ["backupType", { dbInstanceId: INSTANCE, backupType: "Full" }],
  ["startTime", { dbInstanceId: INSTANCE, startTime: "2026-01-20" }],
  ["startTime", { dbInstanceId: INSTANCE, startTime: "2026-01-20T00:00:00" }],
  ["startTime", { dbInstanceId: INSTANCE, startTime: "20/01/2026 00:00" }],
  ["startTime", { dbInstanceId: INSTANCE, startTime: "2026-02-30T00:00Z" }],
  ["startTime", { dbInstanceId: INSTANCE, startTime: "2026-01-20T25:00Z" }],
  ["startTime", { dbInstanceId: INSTANCE, startTime: 1_768_867_200 }],
  ["startTime", { dbInstanceId: INSTANCE, startTime: "yesterday" }],
  ["startTime", { dbInstanceId: INSTANCE, startTime: "2026-01-20T00:00+0800x" }],
  ["endTime", { dbInstanceId: INSTANCE, startTime: "2026-01-20T00:00Z", endTime: "2026-01-19T00:00Z" }],
  ["endTime", { dbInstanceId: INSTANCE, startTime: "2026-01-20T08:00+08:00", endTime: "2026-01-20T00:00Z" }],
  ["startTime", { dbInstanceId: INSTANCE, startTime: future(DAY) }],
  ["startTime", { dbInstanceId: INSTANCE, startTime: future(DAY), endTime: future(2 * DAY) }],
  ["endTime", { dbInstanceId: INSTANCE, endTime: "9999-12-31T23:59:30Z" }],
  ["endTime", { dbInstanceId: INSTANCE, endTime: "9999-12-31T23:30-01:00" }],
  ["startTime", { dbInstanceId: INSTANCE, startTime: "0000-01-01T00:30+01:00" }],
  ["since", { dbInstanceId: INSTANCE, since: "1x" }],
  ["since", { dbInstanceId: INSTANCE, since: "-5m" }],
  ["since", { dbInstanceId: INSTANCE, since: 0 }],
  ["since", { dbInstanceId: INSTANCE, since: "7d", startTime: "2026-01-20T00:00Z" }],
  ["includeDownloadUrls", { dbInstanceId: INSTANCE, includeDownloadUrls: "yes" }],
  ["pageSize", { dbInstanceId: INSTANCE, pageSize: 100 }],
  ["dbInstanceID", { dbInstanceID: INSTANCE }],
  ["accessKey", { dbInstanceId: INSTANCE, accessKey: KEY_ID }],
  ["region", { dbInstanceId: INSTANCE, region: "CN-HANGZHOU" }],
  ["region", { dbInstanceId: INSTANCE, region: "hangzhou" }],
  ["region", { dbInstanceId: INSTANCE, region: "" }],
  ["endpoint", { dbInstanceId: INSTANCE, endpoint: "not a url" }],
  ["endpoint", { dbInstanceId: INSTANCE, endpoint: "ftp://127.0.0.1:9000" }],
  ["endpoint", { dbInstanceId: INSTANCE, endpoint: "http://127.0.0.1:9000/rds" }],
  ["endpoint", { dbInstanceId: INSTANCE, endpoint: "http://" }],
  ["endpoint", { dbInstanceId: INSTANCE, endpoint: "http://127.0.0.1:70000" }],
  ["endpoint", { dbInstanceId: INSTANCE, endpoint: "127.0.0.1:99999" }],
  ["profile", { dbInstanceId: INSTANCE, profile: "" }],
];

/** For requireFreshBackup. */
const FRESH_BACKUP: Array<[string, Record<string, unknown>]> = [
  ["maxAge", { dbInstanceId: INSTANCE }],
  ["maxAge", { dbInstanceId: INSTANCE, maxAge: "1x" }],
  ["maxAge", { dbInstanceId: INSTANCE, maxAge: "-5m" }],
  ["maxAge", { dbInstanceId: INSTANCE, maxAge: 0 }],
  ["maxAge", { dbInstanceId: INSTANCE, maxAge: "0h" }],
  ["maxAge", { dbInstanceId: INSTANCE, maxAge: "" }],
  ["maxAge", { dbInstanceId: INSTANCE, maxAge: -3600 }],
  ["maxAge", { dbInstanceId: INSTANCE, maxAge: "24 hours" }],
  ["maxAge", { dbInstanceId: INSTANCE, maxAge: "3651d" }],
  ["maxAge", { dbInstanceId: INSTANCE, maxAge: Number.NaN }],
  ["maxAge", { dbInstanceId: INSTANCE, maxAge: true }],
  // Text without a unit: refused here as on the command line (a number is seconds).
  ["maxAge", { dbInstanceId: INSTANCE, maxAge: "24" }],
  ["dbInstanceId", { dbInstanceId: "RM-UF6REL01", maxAge: "24h" }],
  ["backupType", { dbInstanceId: INSTANCE, maxAge: "24h", backupType: "FULLBACKUP" }],
  ["backupMode", { dbInstanceId: INSTANCE, maxAge: "24h", backupMode: "manual" }],
  ["backupStatus", { dbInstanceId: INSTANCE, maxAge: "24h", backupStatus: "Success" }],
  ["max_age", { dbInstanceId: INSTANCE, max_age: "24h", maxAge: "24h" }],
  ["region", { dbInstanceId: INSTANCE, maxAge: "24h", region: "cn hangzhou" }],
  ["endpoint", { dbInstanceId: INSTANCE, maxAge: "24h", endpoint: "127.0.0.1:notaport" }],
];

/** Stack settings (`alicloud:` config, received by the provider's configure): refused at the read. */
const STACK: Array<[string, string, StackSettings]> = [
  ["region", "alicloud:region = CN-SHANGHAI", { region: "CN-SHANGHAI", accessKey: KEY_ID, secretKey: SECRET }],
  [
    "endpoint",
    'alicloud:endpoints = [{rds: "rds at home"}]',
    { rdsEndpoint: "rds at home", accessKey: KEY_ID, secretKey: SECRET },
  ],
  ["credentials.accessKeySecret", "alicloud:secretKey with a space", { accessKey: KEY_ID, secretKey: `${SECRET} ` }],
  [
    "credentials.securityToken",
    "alicloud:securityToken with a space",
    { accessKey: KEY_ID, secretKey: SECRET, securityToken: "tok en" },
  ],
];

/** Environment variables, through sdk/ (the provider and the CLI resolve them the same way). */
const ENV: Array<[string, Record<string, string>]> = [
  ["ALIBABA_CLOUD_RDS_ENDPOINT", { ALIBABA_CLOUD_RDS_ENDPOINT: "not a url" }],
  ["ALIBABA_CLOUD_RDS_ENDPOINT", { ALIBABA_CLOUD_RDS_ENDPOINT: "file:///etc/passwd" }],
  ["ALIBABA_CLOUD_REGION_ID", { ALIBABA_CLOUD_REGION_ID: "Hangzhou" }],
];

/** The CLI: [flag or variable named, argv, extra env]. Exit code 2 expected. */
const CLI: Array<[string, string[], Record<string, string>]> = [
  ["--max-age", ["check", INSTANCE, "--max-age", "1x"], {}],
  ["--max-age", ["check", INSTANCE, "--max-age", "-5m"], {}],
  ["--max-age", ["check", INSTANCE], {}],
  ["--status", ["list", INSTANCE, "--status", "success"], {}],
  ["--start", ["list", INSTANCE, "--start", "2026-01-20"], {}],
  ["--start", ["list", INSTANCE, "--start", future(DAY)], {}],
  ["--end", ["list", INSTANCE, "--start", "2026-01-20T00:00Z", "--end", "2026-01-19T00:00Z"], {}],
  ["--end", ["list", INSTANCE, "--end", "9999-12-31T23:59:30Z"], {}],
  ["--since", ["list", INSTANCE, "--since", "0"], {}],
  ["<instance-id>", ["latest", "RM-UPPER01"], {}],
  ["--region", ["list", INSTANCE, "--region", "CN-HANGZHOU"], {}],
  ["--endpoint", ["list", INSTANCE, "--endpoint", "ftp://x"], {}],
  ["--endpoint", ["list", INSTANCE, "--endpoint", "127.0.0.1:70000"], {}],
  ["ALIBABA_CLOUD_RDS_MAX_RPS", ["list", INSTANCE], { ALIBABA_CLOUD_RDS_MAX_RPS: "fast" }],
  ["--concurrency", ["check", INSTANCE, "--max-age", "24h", "--concurrency", "0"], {}],
];

function fieldsOf(err: unknown): string[] {
  return err instanceof RdsValidationError ? err.failures.map((f) => f.field) : [];
}

function runCli(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ["-r", "ts-node/register/transpile-only", path.join(REPO_ROOT, "cli", "main.ts"), ...args],
      {
        cwd: REPO_ROOT,
        env: { ...process.env, TS_NODE_TRANSPILE_ONLY: "true", NO_COLOR: "1", ...env },
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill("SIGKILL"), 30_000);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

describe("bad input: an error naming the field, at preview, with no API call", function () {
  this.timeout(60_000);
  let emu: RunningEmulator;
  let rds: typeof import("../../provider");
  const savedEnv = { ...process.env };

  before(async () => {
    emu = await startEmulator({ data: reliabilityData(), port: 0 });
    await pulumi.runtime.setMocks(
      {
        newResource: (args) => ({
          id: args.id ?? `${args.name}-id`,
          state: {
            ...args.inputs,
            ids: [],
            backupsJson: "[]",
            totalCount: 0,
            totalEcsSnapshotSize: 0,
            latest: null,
            backupId: "1",
          },
        }),
        call: () => ({}),
      },
      "rds-reliability",
      "dev",
      false,
    );
    rds = await import("../../provider");
    setStackSettings({ accessKey: KEY_ID, secretKey: SECRET });
  });
  beforeEach(() => emu.resetStats());
  afterEach(() => {
    process.env = { ...savedEnv };
    expect(emu.stats.requests, "no API call").to.equal(0);
  });
  after(async () => {
    setStackSettings({});
    await emu?.close();
    figures.flush();
  });

  const record = (surface: string, input: unknown, field: string, err: Error): void => {
    figures.add({
      "#": ++rowNumber,
      surface,
      input: JSON.stringify(input)?.slice(0, 90) ?? String(input),
      "field named": field,
      "error (first line)": gist(err.message, 120),
      "API requests": emu.stats.requests,
    });
    expect(leakedMarkers(err.message)).to.deep.equal([]);
  };

  describe("getBackups: program side (setMocks) and the provider's read", () => {
    for (const [field, args] of GET_BACKUPS) {
      it(`${JSON.stringify(args).slice(0, 100)} → names ${field}`, async () => {
        const program = await rejection(rds.getBackups(args as never));
        expect(fieldsOf(program), program.message).to.include(field);
        expect(program.message).to.contain(field);
        const read = await rejection(readBackups(INSTANCE, { endpoint: emu.url, ...args }));
        expect(read.message).to.contain(field);
        record("getBackups (program + read)", args, field, program);
      });
    }
    it("includeDownloadUrls: true is refused by the Promise form (it cannot stay secret)", async () => {
      const err = await rejection(rds.getBackups({ dbInstanceId: INSTANCE, includeDownloadUrls: true }));
      expect(fieldsOf(err)).to.deep.equal(["includeDownloadUrls"]);
      record("getBackups (program)", { dbInstanceId: INSTANCE, includeDownloadUrls: true }, "includeDownloadUrls", err);
    });
  });

  describe("requireFreshBackup: program side and the provider's read", () => {
    for (const [field, args] of FRESH_BACKUP) {
      it(`${JSON.stringify(args, (_k, v) => (Number.isNaN(v) ? "NaN" : v)).slice(0, 100)} → names ${field}`, async () => {
        let program: Error | undefined;
        try {
          rds.requireFreshBackup(args as never);
        } catch (e) {
          program = e as Error;
        }
        expect(program, "refused when the program registers it").to.be.instanceOf(RdsValidationError);
        expect(fieldsOf(program)).to.include(field);
        const read = await rejection(readFreshBackup(INSTANCE, { endpoint: emu.url, ...args }));
        expect(read.message).to.contain(field);
        expect(read.message, "bad input is not a stale verdict").not.to.match(/older than|could not read/);
        record("requireFreshBackup (program + read)", args, field, program as Error);
      });
    }
  });

  describe("alicloud: stack settings, at the provider's read", () => {
    for (const [field, label, settings] of STACK) {
      it(`${label} → names ${field}, for both reads`, async () => {
        setStackSettings(settings);
        try {
          const read = await rejection(readBackups(INSTANCE, { dbInstanceId: INSTANCE }));
          const gate = await rejection(readFreshBackup(INSTANCE, { dbInstanceId: INSTANCE, maxAge: "24h" }));
          for (const e of [read, gate]) expect(e.message).to.contain(field);
          expect(gate.message).not.to.match(/older than/);
          record("stack config (read + gate)", label, field, gate);
        } finally {
          setStackSettings({ accessKey: KEY_ID, secretKey: SECRET });
        }
      });
    }
  });

  describe("environment, through sdk/", () => {
    for (const [field, env] of ENV) {
      it(`${JSON.stringify(env)} → names ${field}`, async () => {
        Object.assign(process.env, env);
        const err = await rejection(
          listBackups({ dbInstanceId: INSTANCE }, { credentials: { accessKeyId: KEY_ID, accessKeySecret: SECRET } }),
        );
        expect(fieldsOf(err)).to.include(field);
        const gate = await rejection(
          checkFreshBackup(
            { dbInstanceId: INSTANCE, maxAge: "24h" },
            { credentials: { accessKeyId: KEY_ID, accessKeySecret: SECRET } },
          ),
        );
        expect(fieldsOf(gate)).to.include(field);
        record("env (sdk list + gate)", env, field, err);
      });
    }
  });

  describe("sdk/ options and direct calls", () => {
    const opts = () => ({ endpoint: emu.url, credentials: { accessKeyId: KEY_ID, accessKeySecret: SECRET } });
    const cases: Array<[string, string, () => Promise<unknown>]> = [
      [
        "pageSize",
        "describeBackupsPage pageSize 20",
        () => describeBackupsPage({ dbInstanceId: INSTANCE, pageSize: 20 as never }, opts()),
      ],
      [
        "pageNumber",
        "describeBackupsPage pageNumber 0",
        () => describeBackupsPage({ dbInstanceId: INSTANCE, pageNumber: 0 }, opts()),
      ],
      [
        "concurrency",
        "listBackups concurrency 0",
        () => listBackups({ dbInstanceId: INSTANCE }, { ...opts(), concurrency: 0 }),
      ],
      [
        "readTimeoutMs",
        "listBackups readTimeoutMs -1",
        () => listBackups({ dbInstanceId: INSTANCE }, { ...opts(), readTimeoutMs: -1 }),
      ],
      [
        "maxRereads",
        "listBackups maxRereads 9",
        () => listBackups({ dbInstanceId: INSTANCE }, { ...opts(), maxRereads: 9 }),
      ],
      [
        "credentials.accessKeySecret",
        "credentials with an empty secret",
        () =>
          listBackups(
            { dbInstanceId: INSTANCE },
            { ...opts(), credentials: { accessKeyId: KEY_ID, accessKeySecret: "" } },
          ),
      ],
      [
        "now",
        'checkFreshBackup now "tomorrow"',
        () => checkFreshBackup({ dbInstanceId: INSTANCE, maxAge: "24h", now: "tomorrow" }, opts()),
      ],
      [
        "maxAge",
        'checkFreshBackup maxAge "1x"',
        () => checkFreshBackup({ dbInstanceId: INSTANCE, maxAge: "1x" }, opts()),
      ],
      [
        "maxAg",
        "checkFreshBackup unknown key maxAg",
        () => checkFreshBackup({ dbInstanceId: INSTANCE, maxAge: "1h", maxAg: "24h" } as never, opts()),
      ],
      // Wrong JS types: a clear error, never a raw TypeError.
      ["query", "checkFreshBackup(null)", () => checkFreshBackup(null as never, opts())],
      ["query", "findNewestUsableBackup(null)", () => findNewestUsableBackup(null as never, opts())],
      [
        "options",
        "findNewestUsableBackup options null",
        () => findNewestUsableBackup({ dbInstanceId: INSTANCE }, null as never),
      ],
      [
        "endpoint",
        "listBackups endpoint 39202 (a number)",
        () => listBackups({ dbInstanceId: INSTANCE }, { ...opts(), endpoint: 39202 as never }),
      ],
      [
        "region",
        "listBackups region 5 (a number)",
        () => listBackups({ dbInstanceId: INSTANCE }, { ...opts(), region: 5 as never }),
      ],
      [
        "endpoint",
        "listBackups endpoint with port 70000",
        () => listBackups({ dbInstanceId: INSTANCE }, { ...opts(), endpoint: "http://127.0.0.1:70000" }),
      ],
      [
        "endpoint",
        "listBackups endpoint with port 0",
        () => listBackups({ dbInstanceId: INSTANCE }, { ...opts(), endpoint: "127.0.0.1:0" }),
      ],
      [
        "includeDownloadUrls",
        'listBackups includeDownloadUrls "yes"',
        () => listBackups({ dbInstanceId: INSTANCE }, { ...opts(), includeDownloadUrls: "yes" as never }),
      ],
      [
        "signal",
        'listBackups signal "stop"',
        () => listBackups({ dbInstanceId: INSTANCE }, { ...opts(), signal: "stop" as never }),
      ],
      // Retry options: each key known, each value an integer in its range.
      ["retry", "listBackups retry 5", () => listBackups({ dbInstanceId: INSTANCE }, { ...opts(), retry: 5 as never })],
      [
        "retry.maxAttempts",
        "retry maxAttempts 0",
        () => listBackups({ dbInstanceId: INSTANCE }, { ...opts(), retry: { maxAttempts: 0 } }),
      ],
      [
        "retry.maxAttempts",
        'retry maxAttempts "3"',
        () => listBackups({ dbInstanceId: INSTANCE }, { ...opts(), retry: { maxAttempts: "3" as never } }),
      ],
      [
        "retry.baseDelayMs",
        "retry baseDelayMs -1",
        () => listBackups({ dbInstanceId: INSTANCE }, { ...opts(), retry: { baseDelayMs: -1 } }),
      ],
      [
        "retry.deadlineMs",
        "retry deadlineMs NaN",
        () => listBackups({ dbInstanceId: INSTANCE }, { ...opts(), retry: { deadlineMs: Number.NaN } }),
      ],
      [
        "retry.maxAttemps",
        "retry unknown key maxAttemps",
        () => listBackups({ dbInstanceId: INSTANCE }, { ...opts(), retry: { maxAttemps: 3 } as never }),
      ],
      [
        "retry.random",
        "retry random 0.5",
        () => listBackups({ dbInstanceId: INSTANCE }, { ...opts(), retry: { random: 0.5 as never } }),
      ],
      [
        "endTime",
        "listBackups endTime whose minute-ceiling is year 10000",
        () => listBackups({ dbInstanceId: INSTANCE, endTime: new Date("9999-12-31T23:59:00.001Z") }, opts()),
      ],
    ];
    for (const [field, label, call] of cases) {
      it(`${label} → names ${field}`, async () => {
        const err = await rejection(call());
        expect(fieldsOf(err), err.message).to.include(field);
        record("sdk call", label, field, err);
      });
    }
    it("a well-formed 65-character instance id is refused for its length, not as upper case", async () => {
      const err = await rejection(listBackups({ dbInstanceId: `rm-${"a".repeat(62)}` }, opts()));
      expect(err.message)
        .to.contain("is 65 characters long")
        .and.to.contain("at most 64")
        .and.not.to.contain("upper-case");
      record("sdk call", "dbInstanceId of 65 characters", "dbInstanceId", err);
    });
    it("a 50 KB rejected value is echoed bounded, saying how long it was (sdk, provider read, gate)", async () => {
      const huge = `Succ\u001b[2J${"x".repeat(50_000)}`;
      const sdk = await rejection(listBackups({ dbInstanceId: INSTANCE, backupStatus: huge as never }, opts()));
      const read = await rejection(readBackups(INSTANCE, { dbInstanceId: INSTANCE, backupStatus: huge }));
      const gate = await rejection(readFreshBackup(INSTANCE, { dbInstanceId: INSTANCE, maxAge: huge }));
      for (const e of [sdk, read, gate]) {
        expect(e.message.length, e.message.slice(0, 200)).to.be.below(1_000);
        expect(e.message)
          .to.contain("(50,008 characters, cut to 120)")
          .and.not.to.match(/\u001b/);
      }
      record("sdk + provider", "backupStatus / maxAge of 50,008 characters", "backupStatus", sdk);
    });

    it("parseDuration and checkQuery agree with the table (pure functions)", () => {
      for (const bad of ["1x", "-5m", 0, "0", "", "h", "1h-30m"])
        expect(() => parseDuration(bad as never, "maxAge")).to.throw(RdsValidationError, /maxAge/);
      expect(checkQuery({ dbInstanceId: INSTANCE, startTime: future(DAY) }).map((f) => f.field)).to.deep.equal([
        "startTime",
      ]);
      // Decision: a future END is fine ("up to now"), and a start a little ahead (clock skew) too.
      expect(checkQuery({ dbInstanceId: INSTANCE, endTime: future(DAY) })).to.deep.equal([]);
      expect(checkQuery({ dbInstanceId: INSTANCE, startTime: future(60_000) })).to.deep.equal([]);
    });
  });

  describe("the CLI (subprocess): exit 2 naming the flag", function () {
    this.timeout(120_000);
    for (const [flag, args, env] of CLI) {
      it(`rds-backups ${args.join(" ")}${Object.keys(env).length ? ` (${JSON.stringify(env)})` : ""} → exit 2 naming ${flag}`, async () => {
        const r = await runCli(args, {
          ALIBABA_CLOUD_RDS_ENDPOINT: emu.url,
          ALIBABA_CLOUD_ACCESS_KEY_ID: KEY_ID,
          ALIBABA_CLOUD_ACCESS_KEY_SECRET: SECRET,
          ...env,
        });
        expect(r.code, r.stdout + r.stderr).to.equal(2);
        expect(r.stderr).to.contain(flag);
        expect(leakedMarkers(r.stdout + r.stderr)).to.deep.equal([]);
        record(
          "CLI",
          `rds-backups ${args.join(" ")}${Object.keys(env).length ? ` ${JSON.stringify(env)}` : ""}`,
          flag,
          new Error(r.stderr.trim()),
        );
      });
    }
  });
});
