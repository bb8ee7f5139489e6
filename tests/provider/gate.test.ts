/**
 * The gate's read as the engine calls it in preview/up (the program's inputs) and in refresh (the
 * previous outputs), with overrides from the stack config, against the emulator over real HTTP.
 * The clock is injected: the data is built around NOW and every read judges at NOW (or later).
 */
import { expect } from "chai";
import { startEmulator } from "../../emulator";
import * as runtime from "../../provider/runtime";
import type { GateOverrideRecord } from "../../provider/types";
import { ACCESS_KEY_ID, ACCESS_KEY_SECRET, EMPTY_INSTANCE, INSTANCE, providerData, rawBackup } from "./fixtures";

type Running = Awaited<ReturnType<typeof startEmulator>>;
/** A gate read's inputs, or the props it returned (Pulumi types them `any`). */
type Props = Record<string, unknown> & { dbInstanceId: string; override?: GateOverrideRecord | null };

const NOW = new Date("2026-11-20T12:00:00Z");
const HOUR = 3600e3;
const later = (hours: number) => new Date(NOW.getTime() + hours * HOUR);
const KEY = "rds-backups:gateOverrides";

/** Full backups of INSTANCE ended 53 h, 29 h and 5 h before NOW (900003 is the newest). */
const FRESH_6H = { dbInstanceId: INSTANCE, maxAge: "6h", backupType: "FullBackup" };
const STALE_4H = { dbInstanceId: INSTANCE, maxAge: "4h", backupType: "FullBackup" };

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (err) {
    return err as Error;
  }
  throw new Error("expected a rejection, got a result");
}

describe("the gate's read: refresh, overrides, stable outputs (injected clock)", () => {
  let emulator: Running;
  const savedEnv = { ...process.env };
  const settings = (overrides?: unknown) =>
    runtime.setStackSettings({
      accessKey: ACCESS_KEY_ID,
      secretKey: ACCESS_KEY_SECRET,
      region: "cn-hangzhou",
      gateOverrides:
        overrides === undefined ? undefined : typeof overrides === "string" ? overrides : JSON.stringify(overrides),
    });
  const read = async (args: Props, now = NOW) =>
    (await runtime.readFreshBackup(args.dbInstanceId, args, now)).props as Props;

  before(async () => {
    emulator = await startEmulator({ data: providerData(NOW.getTime()), port: 0 });
    process.env.ALIBABA_CLOUD_RDS_ENDPOINT = emulator.url;
  });
  beforeEach(() => {
    emulator.resetStats();
    settings();
  });
  after(async () => {
    process.env = savedEnv;
    await emulator.close();
  });

  describe("preview and up (the program's inputs)", () => {
    it("a fresh gate gives a stable `checked`, fresh true and no override", async () => {
      const props = await read(FRESH_6H);
      expect(props.checked).to.equal(`${INSTANCE}: a usable FullBackup ended within 6h`);
      expect(props.fresh).to.equal(true);
      expect(props.override).to.equal(null);
      expect(props.backupId).to.equal("900003");
      expect(emulator.stats.describeBackups).to.equal(1);
    });

    it("a new backup changes backupId but not `checked` (no churn for a gated resource)", async () => {
      const before = await read(FRESH_6H);
      emulator.addBackup(INSTANCE, rawBackup("900010", 0.5, {}, NOW.getTime()));
      try {
        const after = await read(FRESH_6H, later(0.1));
        expect(after.backupId).to.equal("900010");
        expect(after.checked).to.equal(before.checked);
      } finally {
        emulator.removeBackup(INSTANCE, "900010");
      }
    });

    it("a stale gate fails, saying how to record an override", async () => {
      const error = await rejection(read(STALE_4H));
      expect(error.message)
        .to.contain("900003")
        .and.to.match(/older than the limit 4h/);
      expect(error.message).to.contain(`pulumi config set --path '${KEY}["${INSTANCE}"].reason'`);
    });

    it("the same inputs judged later fail: the clock is the injected one", async () => {
      await read(FRESH_6H);
      const error = await rejection(read(FRESH_6H, later(2)));
      expect(error.message).to.match(/7h ago, older than the limit 6h/);
    });
  });

  describe("refresh (the engine passes the previous outputs)", () => {
    it("reports a stale verdict without failing, keeping `checked` and the last override record", async () => {
      const previous: Props = {
        ...(await read(FRESH_6H)),
        __provider: "serialized",
        override: { reason: "earlier", usedAt: "2026-11-19T00:00:00Z", verdict: "v" },
      };
      const refreshed = await read(previous, later(2));
      expect(refreshed.fresh).to.equal(false);
      expect(refreshed.backupId).to.equal("900003");
      expect(refreshed.checked).to.equal(previous.checked);
      expect(refreshed.override).to.deep.equal(previous.override);
      expect(refreshed).not.to.have.property("__provider");
      expect(emulator.stats.describeBackups).to.equal(2);
    });

    it("reports fresh again once a new backup landed", async () => {
      const previous = await read(FRESH_6H);
      emulator.addBackup(INSTANCE, rawBackup("900011", 0.5, {}, later(2).getTime()));
      try {
        const refreshed = await read(previous, later(2));
        expect(refreshed.fresh).to.equal(true);
        expect(refreshed.backupId).to.equal("900011");
      } finally {
        emulator.removeBackup(INSTANCE, "900011");
      }
    });

    it("recognises the outputs of a gate written before these fields existed", async () => {
      const old = {
        ...FRESH_6H,
        maxAgeSeconds: 21600,
        backupId: "900003",
        backupEndTime: "2026-11-20T07:00:00Z",
        backup: {},
      };
      const refreshed = await read(old, later(30));
      expect(refreshed.fresh).to.equal(false);
    });

    it("keeps the last verdict when the API cannot be read, instead of failing", async () => {
      const previous = await read(FRESH_6H);
      runtime.setStackSettings({ accessKey: ACCESS_KEY_ID, secretKey: "not-the-secret", region: "cn-hangzhou" });
      const refreshed = await read({ ...previous, __provider: "serialized" }, later(2));
      expect(refreshed).to.deep.equal(previous);
    });

    it("an instance with no backup at all refreshes with null backup fields", async () => {
      const previous = { dbInstanceId: EMPTY_INSTANCE, maxAge: "24h", fresh: true, backupId: "gone" };
      const refreshed = await read(previous);
      expect(refreshed).to.include({ fresh: false, backupId: null, backupEndTime: null, backup: null });
    });
  });

  describe("overrides (rds-backups:gateOverrides)", () => {
    it("let a stale backup through and record the reason, the time and the verdict overridden", async () => {
      settings({ [INSTANCE]: { reason: "backup job broken, INC-123", expiresAt: "2026-11-21T00:00:00+08:00" } });
      const props = await read(STALE_4H);
      expect(props.fresh).to.equal(false);
      expect(props.checked).to.equal(`${INSTANCE}: a usable FullBackup ended within 4h`);
      expect(props.backupId).to.equal("900003");
      expect(props.override).to.deep.equal({
        reason: "backup job broken, INC-123",
        expiresAt: "2026-11-20T16:00:00Z",
        usedAt: "2026-11-20T12:00:00Z",
        verdict: `${INSTANCE}: newest usable backup 900003 ended ${props.backupEndTime}, 5h ago, older than the limit 4h (backupType FullBackup)`,
      });
    });

    it("let an instance with no usable backup through, with null backup fields", async () => {
      settings({ [EMPTY_INSTANCE]: { reason: "new instance, first backup tonight" } });
      const props = await read({ dbInstanceId: EMPTY_INSTANCE, maxAge: "24h" });
      expect(props).to.include({ fresh: false, backupId: null, backup: null });
      expect(props.override?.verdict).to.match(/no usable backup/);
    });

    it("stop applying at expiresAt", async () => {
      settings({ [INSTANCE]: { reason: "backup job broken", expiresAt: "2026-11-20T13:00:00Z" } });
      await read(STALE_4H, later(0.5));
      const error = await rejection(read(STALE_4H, later(1)));
      expect(error.message).to.contain("expired at 2026-11-20T13:00:00Z").and.to.contain("older than the limit");
    });

    it("never open a gate that could not read", async () => {
      runtime.setStackSettings({
        accessKey: ACCESS_KEY_ID,
        secretKey: "not-the-secret",
        region: "cn-hangzhou",
        gateOverrides: JSON.stringify({ [INSTANCE]: { reason: "backup job broken" } }),
      });
      const error = await rejection(read(STALE_4H));
      expect(error.message)
        .to.contain("could not read")
        .and.to.contain("does not apply")
        .and.not.to.contain("not-the-secret");
    });

    it("apply to their own instance only, and are unused when the backup is fresh", async () => {
      settings({ "rm-someotherinstance": { reason: "not this one" }, [INSTANCE]: { reason: "just in case" } });
      expect((await read(FRESH_6H)).override).to.equal(null);
      const error = await rejection(read({ dbInstanceId: EMPTY_INSTANCE, maxAge: "24h" }));
      expect(error.message).to.match(/no usable backup/);
    });

    it("are refused when malformed, naming the setting, before any call", async () => {
      const cases: Array<[unknown, RegExp]> = [
        ["not json", /rds-backups:gateOverrides "not json" is not allowed; use an object keyed by instance id/],
        [{ [INSTANCE]: "because" }, /gateOverrides\["rm-uf6provider01"\] "because" is not allowed/],
        [{ [INSTANCE]: {} }, /gateOverrides\["rm-uf6provider01"\]\.reason undefined is required/],
        [{ [INSTANCE]: { reason: "   " } }, /\.reason " {3}" is required/],
        [
          { [INSTANCE]: { reason: "a\u001b[31mred" } },
          /\.reason "a<U\+001B>\[31mred" holds U\+001B \(a control character\) at character 2; use a sentence/,
        ],
        [{ [INSTANCE]: { reason: "x".repeat(501) } }, /\.reason "x{80}…" is not allowed/],
        [{ [INSTANCE]: { reason: "ok", expiresAt: "tomorrow" } }, /\.expiresAt "tomorrow" is not an ISO-8601 time/],
        [{ [INSTANCE]: { reason: "ok", expiresAt: "2026-12-01T00:00:00" } }, /\.expiresAt .* has no offset/],
        [
          { [INSTANCE]: { reason: "ok", expires: "2026-12-01T00:00:00Z" } },
          /\.expires "2026-12-01T00:00:00Z" is not a known parameter; use "expiresAt" \(did you mean "expiresAt"\?\)/,
        ],
      ];
      for (const [value, pattern] of cases) {
        settings(value);
        const error = await rejection(read(FRESH_6H));
        expect(error.message, JSON.stringify(value)).to.match(pattern);
      }
      expect(emulator.stats.requests).to.equal(0);
    });

    it("refuse a reason nobody could read as written: no visible character, invisible, bidi or separator characters, named by code point", async () => {
      const cases: Array<[string, RegExp]> = [
        [
          "\u200b\u200b",
          /\.reason "<U\+200B><U\+200B>" holds U\+200B \(an invisible format character\) at character 1;/,
        ],
        [
          "ok \u202egnp.exe",
          /"ok <U\+202E>gnp\.exe" holds U\+202E \(a bidi control, which reorders the text around it\) at character 4;/,
        ],
        ["line one\u2028line two", /holds U\+2028 \(a line separator\) at character 9;/],
        ["para\u2029", /holds U\+2029 \(a paragraph separator\) at character 5;/],
        ["why \u2066isolated\u2069", /holds U\+2066 \(a bidi control/],
        ["soft\u00adhyphen", /holds U\+00AD \(an invisible format character\)/],
        ["\u0301\u0301", /"\u0301\u0301" has no visible character;/],
        ["🙂 \ufeff", /holds U\+FEFF .* at character 3;/],
      ];
      for (const [reason, pattern] of cases) {
        settings({ [INSTANCE]: { reason } });
        const error = await rejection(read(STALE_4H));
        expect(error.message, JSON.stringify(reason)).to.match(pattern);
        expect(error.message, "the field").to.contain(`${KEY}["${INSTANCE}"].reason`);
        // The message itself holds none of them raw.
        expect(error.message, JSON.stringify(reason)).not.to.match(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u);
      }
      // A reason in any script, with punctuation and symbols, passes.
      settings({ [INSTANCE]: { reason: "备份任务失败 — INC-123 (ça arrive) ✓" } });
      expect((await read(STALE_4H)).override?.reason).to.equal("备份任务失败 — INC-123 (ça arrive) ✓");
      expect(emulator.stats.describeBackups).to.equal(1);
    });

    it("arrive through configure, from the whole stack config", async () => {
      const config: Record<string, string> = {
        "alicloud:accessKey": ACCESS_KEY_ID,
        "alicloud:secretKey": ACCESS_KEY_SECRET,
        "alicloud:region": "cn-hangzhou",
        [KEY]: JSON.stringify({ [INSTANCE]: { reason: "from the stack config" } }),
      };
      await runtime.configure({ config: { get: (k: string) => config[k], require: (k: string) => config[k]! } });
      expect((await read(STALE_4H)).override?.reason).to.equal("from the stack config");
    });
  });
});
