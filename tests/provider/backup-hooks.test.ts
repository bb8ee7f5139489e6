/**
 * The parts of the backup hooks that need no engine: their options (checked before anything is
 * made, every bad field named), the version rule, and which instance a resource of each
 * `@pulumi/alicloud` RDS type lives in, and the advice of a time-out (followed: the command it
 * gives runs). What the hooks do is tested under the real engine
 * (tests/e2e/hooks.test.ts).
 */
import type * as pulumi from "@pulumi/pulumi";
import { expect } from "chai";
import { startEmulator } from "../../emulator";
import { ALWAYS_MAX_AGE_SECONDS, checkHookOptions, DEFAULT_HOOK_NAME, hookAdvice } from "../../provider/backup-hooks";
import {
  compareVersions,
  HOOKS_MIN_VERSION,
  requireHookCli,
  sdkSupportProblem,
  TRANSFORM_HOOKS_MIN_VERSION,
} from "../../provider/hook-support";
import { defaultInstanceOf, PROTECTED_RDS_TYPES } from "../../provider/hook-instance";
import { RdsValidationError } from "../../sdk";
import { ensurePlan, ensurePlanned } from "../../sdk/internal";
import { ACCESS_KEY_ID, ACCESS_KEY_SECRET, cli } from "../cli/harness";
import { rawBackup } from "./fixtures";

function hookArgs(type: string, over: Partial<pulumi.ResourceHookArgs> = {}): pulumi.ResourceHookArgs {
  return { urn: `urn:pulumi:dev::p::${type}::r`, id: "", name: "r", type, ...over };
}

describe("backup hooks: options", () => {
  it("defaults: ensure mode, the default name, maxAge in seconds", () => {
    const config = checkHookOptions({ maxAge: "24h" });
    expect(config).to.include({ mode: "ensure", always: false, name: DEFAULT_HOOK_NAME });
    expect(config.values.maxAge).to.equal(86_400);
  });

  it("always: a new backup whatever the age; only one that ended in the last minutes counts", () => {
    expect(checkHookOptions({ always: true }).values.maxAge).to.equal(ALWAYS_MAX_AGE_SECONDS);
  });

  it("names every bad field at once, before anything is made", () => {
    let error: unknown;
    try {
      checkHookOptions({
        mode: "demand" as never,
        maxAge: "soon",
        backupMethod: "Tape" as never,
        name: "has space",
        dbInstanceId: "rm-x; drop" as never,
      });
    } catch (err) {
      error = err;
    }
    expect(error).to.be.instanceOf(RdsValidationError);
    const fields = (error as RdsValidationError).failures.map((f) => f.field);
    expect(fields).to.include.members(["mode", "maxAge", "backupMethod", "name", "dbInstanceId"]);
  });

  it("refuses a missing maxAge, maxAge with always, always in require mode, and unknown keys (with a suggestion)", () => {
    expect(() => checkHookOptions({})).to.throw(RdsValidationError, /maxAge/);
    expect(() => checkHookOptions({ always: true, maxAge: "1h" })).to.throw(
      RdsValidationError,
      /no maxAge with always/,
    );
    expect(() => checkHookOptions({ always: true, mode: "require" })).to.throw(RdsValidationError, /always/);
    expect(() => checkHookOptions({ maxAge: "1h", maxage: "2h" } as never)).to.throw(
      RdsValidationError,
      /did you mean "maxAge"/,
    );
  });

  it("equal options give equal keys; any difference, a different one", () => {
    const key = (o: object) => checkHookOptions({ maxAge: "24h", ...o }).key;
    expect(key({})).to.equal(key({}));
    expect(key({ mode: "require" })).to.not.equal(key({}));
    expect(key({ maxAge: "12h" })).to.not.equal(key({}));
    expect(key({ dbInstanceId: () => "rm-a" })).to.not.equal(key({ dbInstanceId: () => "rm-b" }));
  });
});

describe("backup hooks: versions", () => {
  it("compares releases numerically", () => {
    expect(compareVersions("3.182.0", "3.141.0")).to.be.greaterThan(0);
    expect(compareVersions("3.99.0", "3.182.0")).to.be.lessThan(0);
    expect(compareVersions("v3.183.0-alpha.1", "3.183.0")).to.equal(0);
  });

  it("an older SDK, or one without ResourceHook, gets an error naming the version it needs", () => {
    expect(sdkSupportProblem("3.141.0", false, HOOKS_MIN_VERSION))
      .to.contain("@pulumi/pulumi 3.182.0 or later")
      .and.to.contain("this program loads 3.141.0");
    expect(sdkSupportProblem("3.181.9", true, HOOKS_MIN_VERSION)).to.contain("3.182.0");
    expect(sdkSupportProblem(undefined, true, HOOKS_MIN_VERSION)).to.contain("an unknown version");
    expect(sdkSupportProblem("3.182.0", true, HOOKS_MIN_VERSION)).to.equal(undefined);
    expect(sdkSupportProblem("3.248.0", true, "3.183.0")).to.equal(undefined);
  });
});

describe("backup hooks: the CLI's version", () => {
  /** The engine's check as a CLI of `version` answers it (the engine's own words when too old). */
  function cliAt(version: string, asked: string[]) {
    return async (range: string): Promise<void> => {
      asked.push(range);
      const minimum = range.replace(/^>=/, "");
      if (compareVersions(version, minimum) < 0) {
        throw new Error(`Pulumi CLI version ${version} does not satisfy the version range "${range}"`);
      }
    };
  }

  it("an older CLI gets an error naming the version hooks need; the one-line form asks for 3.183.0", async () => {
    for (const [minimum, needed] of [
      [HOOKS_MIN_VERSION, "3.182.0"],
      [TRANSFORM_HOOKS_MIN_VERSION, "3.183.0"],
    ] as const) {
      const asked: string[] = [];
      let error: unknown;
      await requireHookCli(minimum, cliAt("3.181.0", asked)).catch((err: unknown) => (error = err));
      expect(asked).to.deep.equal([`>=${needed}`]);
      expect((error as Error).message)
        .to.contain(`need the Pulumi CLI ${needed} or later`)
        .and.to.contain("Pulumi CLI version 3.181.0 does not satisfy");
    }
  });

  it("a CLI at the version passes; 3.182.x does not pass the one-line form", async () => {
    const asked: string[] = [];
    await requireHookCli(HOOKS_MIN_VERSION, cliAt("3.182.0", asked));
    await requireHookCli(TRANSFORM_HOOKS_MIN_VERSION, cliAt("3.183.0", asked));
    let error: unknown;
    await requireHookCli(TRANSFORM_HOOKS_MIN_VERSION, cliAt("3.182.5", asked)).catch((err: unknown) => (error = err));
    expect((error as Error).message).to.contain("3.183.0 or later");
  });
});

describe("backup hooks: the instance of each @pulumi/alicloud RDS type", () => {
  it("an instance is its own id; a database, an account and a read-only instance name theirs", () => {
    expect(defaultInstanceOf(hookArgs("alicloud:rds/instance:Instance", { id: "rm-own" }))).to.equal("rm-own");
    expect(
      defaultInstanceOf(hookArgs("alicloud:rds/database:Database", { oldInputs: { instanceId: "rm-db" } })),
    ).to.equal("rm-db");
    expect(
      defaultInstanceOf(hookArgs("alicloud:rds/account:Account", { oldInputs: { dbInstanceId: "rm-acc" } })),
    ).to.equal("rm-acc");
    // Older programs name it with the deprecated input.
    expect(
      defaultInstanceOf(hookArgs("alicloud:rds/account:Account", { oldOutputs: { instanceId: "rm-old" } })),
    ).to.equal("rm-old");
    expect(
      defaultInstanceOf(
        hookArgs("alicloud:rds/readOnlyInstance:ReadOnlyInstance", { oldInputs: { masterDbInstanceId: "rm-primary" } }),
      ),
    ).to.equal("rm-primary");
    expect(PROTECTED_RDS_TYPES).to.have.length(4);
  });

  it("judges a change by what the resource is now: the old inputs, not the new", () => {
    const args = hookArgs("alicloud:rds/database:Database", {
      oldInputs: { instanceId: "rm-from" },
      newInputs: { instanceId: "rm-to" },
    });
    expect(defaultInstanceOf(args)).to.equal("rm-from");
  });

  it("nothing for other types, or for a value that is not an id", () => {
    expect(defaultInstanceOf(hookArgs("alicloud:ecs/instance:Instance", { id: "i-1" }))).to.equal(undefined);
    expect(defaultInstanceOf(hookArgs("alicloud:rds/database:Database", { oldInputs: { instanceId: "" } }))).to.equal(
      undefined,
    );
    expect(defaultInstanceOf(hookArgs("alicloud:rds/database:Database", { oldInputs: { instanceId: 7 } }))).to.equal(
      undefined,
    );
  });
});

describe("backup hooks: the advice of a time-out (hooks take no per-resource input)", function () {
  this.timeout(120_000);
  const LAGGING = "rm-uf6hookslag01";

  it("in the listing lag: wait until the set is listed, or run the CLI with --job-id; that command joins the job (one backup)", async () => {
    const emulator = await startEmulator({
      port: 0,
      data: {
        accessKeys: { [ACCESS_KEY_ID]: ACCESS_KEY_SECRET },
        instances: {
          [LAGGING]: {
            regionId: "cn-hangzhou",
            backups: [rawBackup("900001", 40, { DBInstanceId: LAGGING }, Date.now())],
            backupDurationSeconds: 0,
            backupVisibilityLagSeconds: 6,
          },
        },
      },
    });
    try {
      const config = checkHookOptions({ maxAge: "24h", timeout: "2s" });
      const connection = {
        endpoint: emulator.url,
        credentials: { accessKeyId: ACCESS_KEY_ID, accessKeySecret: ACCESS_KEY_SECRET },
      };
      let error: Error | undefined;
      await ensurePlanned(ensurePlan({ ...config.values, dbInstanceId: LAGGING }), connection).catch((err: Error) => {
        error = err;
      });
      const [task] = emulator.backupTasks(LAGGING);
      const advice = hookAdvice(error as Error, config, LAGGING);
      expect(advice).to.contain(`backup job ${task?.BackupJobId} (started by this run) finished`);
      expect(advice)
        .to.contain(`Before the next pulumi up, wait until that set is listed (rds-backups list ${LAGGING}) or run `)
        .and.to.contain("until then an up would take a second backup");
      expect(advice).to.not.match(/jobId |resumeJobId|run ensure again/);
      const command = /or run rds-backups (ensure [^:]+):/.exec(advice)?.[1];
      expect(command, advice).to.equal(`ensure ${LAGGING} --job-id ${task?.BackupJobId} --max-age 86400s --timeout 1h`);
      const r = await cli([...(command as string).split(" "), "-o", "json"], {
        ALIBABA_CLOUD_RDS_ENDPOINT: emulator.url,
      });
      expect(r.code, r.stderr + r.stdout).to.equal(0);
      expect(JSON.parse(r.stdout).results[0]).to.include({ status: "joined", jobId: task?.BackupJobId });
      expect(emulator.stats.createBackup, "CreateBackup calls").to.equal(1);
    } finally {
      await emulator.close();
    }
  });
});
