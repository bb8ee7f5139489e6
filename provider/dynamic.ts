/**
 * The two dynamic resources behind the data source and the gate, and their providers.
 *
 * A dynamic provider is serialized into the state (`__provider`) and rebuilt by Pulumi's
 * dynamic-provider process. Whatever it closes over is written there as text, so these providers
 * are shims that close over ONE string, the module to load at run time, and nothing else: no
 * config, no credentials, no sdk code. The work happens in ./runtime.ts.
 */
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { BACKUPS_OUTPUTS, dynamicOutputKeys, ENSURE_OUTPUTS, GATE_OUTPUTS, type OutputDecl } from "./outputs";
import type { BackupSet, GateOverrideRecord } from "./types";

/**
 * How the provider process finds ./runtime: by package name when this package is installed
 * under node_modules (portable: a `refresh` on another machine resolves it from the program's
 * own node_modules), else by absolute path (a checkout of this repository).
 */
function runtimeModule(): string {
  const runtimePath = path.join(__dirname, "runtime");
  const marker = `${path.sep}node_modules${path.sep}`;
  if (!runtimePath.includes(marker)) return runtimePath;
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a path right from dist/ only
  const { name } = require("../../package.json") as { name: string };
  return `${name}/provider-runtime`;
}

const RUNTIME = runtimeModule();

/**
 * A resource's declared outputs (./outputs.ts), seeded as absent: the engine then knows them as
 * outputs of the resource.
 */
function seeds(decls: readonly OutputDecl[]): Record<string, undefined> {
  return Object.fromEntries(dynamicOutputKeys(decls).map((key) => [key, undefined]));
}

/* eslint-disable @typescript-eslint/no-require-imports -- see the header */
const backupsProvider: pulumi.dynamic.ResourceProvider = {
  configure: (req) => require(RUNTIME).configure(req),
  check: (olds, news) => require(RUNTIME).checkBackups(olds, news),
  read: (id, props) => require(RUNTIME).readBackups(id, props),
  create: async () => {
    throw new Error("rds:Backups is a read-only data source; it is never created");
  },
};

const freshBackupProvider: pulumi.dynamic.ResourceProvider = {
  configure: (req) => require(RUNTIME).configure(req),
  check: (olds, news) => require(RUNTIME).checkFreshBackupInputs(olds, news),
  read: (id, props) => require(RUNTIME).readFreshBackup(id, props),
  create: async () => {
    throw new Error("rds:FreshBackup is a read-only check; it is never created");
  },
};
/** A custom resource (not a read): the engine calls `create`/`update` in `up` only, never in preview. */
const ensuredBackupProvider: pulumi.dynamic.ResourceProvider = {
  configure: (req) => require(RUNTIME).configure(req),
  check: (olds, news) => require(RUNTIME).checkEnsureBackup(olds, news),
  diff: (id, olds, news) => require(RUNTIME).diffEnsureBackup(id, olds, news),
  create: (inputs) => require(RUNTIME).createEnsureBackup(inputs),
  update: (id, olds, news) => require(RUNTIME).updateEnsureBackup(id, olds, news),
  read: (id, props) => require(RUNTIME).readEnsureBackup(id, props),
  // Deleting the resource deletes no backup: backup sets follow the instance's retention.
  delete: async () => undefined,
};
/* eslint-enable @typescript-eslint/no-require-imports */

/** The read behind `getBackups`: type `pulumi-nodejs:dynamic/rds:Backups`. */
export class BackupsRead extends pulumi.dynamic.Resource {
  declare readonly dbInstanceId: pulumi.Output<string>;
  /** The backup sets as JSON text, keyed by backup id (see runtime.ts: one property is far cheaper for the engine). */
  declare readonly backupsJson: pulumi.Output<string>;
  declare readonly ids: pulumi.Output<string[]>;
  declare readonly totalCount: pulumi.Output<number>;
  declare readonly totalEcsSnapshotSize: pulumi.Output<number>;
  declare readonly latest: pulumi.Output<BackupSet | undefined>;

  constructor(name: string, args: pulumi.Inputs, opts: pulumi.CustomResourceOptions) {
    const outputs = seeds(BACKUPS_OUTPUTS);
    super(backupsProvider, name, { ...outputs, ...args }, opts, "rds", "Backups");
  }
}

/** The read behind `requireFreshBackup`: type `pulumi-nodejs:dynamic/rds:FreshBackup`. */
export class FreshBackup extends pulumi.dynamic.Resource {
  /** The instance whose backup was checked. */
  declare readonly dbInstanceId: pulumi.Output<string>;
  /** The limit, in seconds. */
  declare readonly maxAgeSeconds: pulumi.Output<number>;
  /**
   * What the gate requires, e.g. `rm-xxx: a usable FullBackup ended within 24h`. The same text
   * from run to run while the gate holds (a new backup does not change it): the output to give a
   * gated resource as an input.
   */
  declare readonly checked: pulumi.Output<string>;
  /** True when the backup was within the limit; false when an override let the deployment through (never true then). */
  declare readonly fresh: pulumi.Output<boolean>;
  /** The newest usable backup found (download links never included); null when there is none. */
  declare readonly backup: pulumi.Output<BackupSet | null>;
  /** Its id: changes with every new backup, so not an input for a gated resource (see `checked`). */
  declare readonly backupId: pulumi.Output<string | null>;
  /** ISO-8601 UTC. */
  declare readonly backupEndTime: pulumi.Output<string | null>;
  /** Set when an override in `rds-backups:gateOverrides` let a stale backup (or a restore not possible) through: why, until when, when used, over what. */
  declare readonly override: pulumi.Output<GateOverrideRecord | null>;
  /** With `recoverableWithin`: whether a point-in-time restore to within it was possible (false when an override let it through); null without it. */
  declare readonly recoverable: pulumi.Output<boolean | null>;
  /** With `recoverableWithin`: the restore window's end when judged (ISO-8601 UTC). */
  declare readonly restoreWindowEnd: pulumi.Output<string | null>;
  /** With `recoverableWithin`: where the unbroken log chain from the full set ended when judged (ISO-8601 UTC). */
  declare readonly logChainEnd: pulumi.Output<string | null>;

  constructor(name: string, args: pulumi.Inputs, opts: pulumi.CustomResourceOptions) {
    const outputs = seeds(GATE_OUTPUTS);
    super(freshBackupProvider, name, { ...outputs, ...args }, opts, "rds", "FreshBackup");
  }
}

/** The resource behind `ensureFreshBackup`: type `pulumi-nodejs:dynamic/rds:EnsuredBackup`. */
export class EnsuredBackup extends pulumi.dynamic.Resource {
  declare readonly dbInstanceId: pulumi.Output<string>;
  /** What `check` decided: `none: a fresh backup exists`, or `take a <method> backup: <why>`. */
  declare readonly plan: pulumi.Output<string>;
  /** `rm-...: a usable backup ended within 24h`: derived from the arguments, known in preview, stable while the backup holds. */
  declare readonly ensured: pulumi.Output<string>;
  /** When the last check planned a backup (ISO-8601 UTC); null when the plan is none. */
  declare readonly plannedAt: pulumi.Output<string | null>;
  /** What the last update did: none, created or joined. */
  declare readonly action: pulumi.Output<"none" | "created" | "joined">;
  /** The backup task waited for, when one was taken or joined. */
  declare readonly jobId: pulumi.Output<string | null>;
  /** The newest usable backup when the resource was last created or updated. Download links are never included. */
  declare readonly backup: pulumi.Output<BackupSet>;
  declare readonly backupId: pulumi.Output<string>;
  /** ISO-8601 UTC. */
  declare readonly backupEndTime: pulumi.Output<string>;
  /** The gate's message at the end of the last update. */
  declare readonly message: pulumi.Output<string>;
  declare readonly maxAgeSeconds: pulumi.Output<number>;
  /** When the last update judged (ISO-8601 UTC). */
  declare readonly ensuredAt: pulumi.Output<string>;
  /** With `recoverableWithin`: whether a point-in-time restore to within it was possible (false when an override let it through); null without it. */
  declare readonly recoverable: pulumi.Output<boolean | null>;
  /** With `recoverableWithin`: the restore window's end when judged (ISO-8601 UTC). */
  declare readonly restoreWindowEnd: pulumi.Output<string | null>;
  /** With `recoverableWithin`: where the unbroken log chain from the full set ended when judged (ISO-8601 UTC). */
  declare readonly logChainEnd: pulumi.Output<string | null>;
  /** Set when an override in `rds-backups:gateOverrides` let a restore not possible through: why, until when, when used, over what. */
  declare readonly override: pulumi.Output<GateOverrideRecord | null>;

  constructor(name: string, args: pulumi.Inputs, opts: pulumi.CustomResourceOptions) {
    const outputs = seeds(ENSURE_OUTPUTS);
    super(ensuredBackupProvider, name, { ...outputs, ...args }, opts, "rds", "EnsuredBackup");
  }
}

// --- getRecoverability -------------------------------------------------------------------------
// Its imports are here rather than above, so that this section reaches main as an append.
import { RECOVERABILITY_OUTPUTS } from "./outputs";
import type { BackupPolicy, LogGap, RecoverabilityFailure } from "./types";

/* eslint-disable @typescript-eslint/no-require-imports -- see the header */
const recoverabilityProvider: pulumi.dynamic.ResourceProvider = {
  configure: (req) => require(RUNTIME).configure(req),
  check: (olds, news) => require(RUNTIME).checkRecoverability(olds, news),
  read: (id, props) => require(RUNTIME).readRecoverability(id, props),
  create: async () => {
    throw new Error("rds:Recoverability is a read-only data source; it is never created");
  },
};
/* eslint-enable @typescript-eslint/no-require-imports */

/** The read behind `getRecoverability`: type `pulumi-nodejs:dynamic/rds:Recoverability`. */
export class RecoverabilityRead extends pulumi.dynamic.Resource {
  declare readonly dbInstanceId: pulumi.Output<string>;
  /** True when a restore can reach the point losing at most the lag; false is a result, not an error. */
  declare readonly recoverable: pulumi.Output<boolean>;
  /** The verdict and each failing condition with its figure. */
  declare readonly message: pulumi.Output<string>;
  declare readonly failures: pulumi.Output<RecoverabilityFailure[]>;
  /** The point judged, ISO-8601 UTC (`pointInTime` is the argument; ./outputs.ts says why). */
  declare readonly judgedPointInTime: pulumi.Output<string>;
  /** ISO-8601 UTC. */
  declare readonly checkedAt: pulumi.Output<string>;
  declare readonly recoverableWithinSeconds: pulumi.Output<number>;
  declare readonly engine: pulumi.Output<string | null>;
  declare readonly policy: pulumi.Output<BackupPolicy>;
  declare readonly restoreWindowBegin: pulumi.Output<string | null>;
  declare readonly restoreWindowEnd: pulumi.Output<string | null>;
  /** The newest usable full set by the point (download links never included); null when none. */
  declare readonly fullBackup: pulumi.Output<BackupSet | null>;
  /** The log files as JSON text, an array oldest first (./outputs.ts says why). */
  declare readonly logFilesJson: pulumi.Output<string>;
  declare readonly logChainEnd: pulumi.Output<string | null>;
  declare readonly gaps: pulumi.Output<LogGap[]>;

  constructor(name: string, args: pulumi.Inputs, opts: pulumi.CustomResourceOptions) {
    const outputs = seeds(RECOVERABILITY_OUTPUTS);
    super(recoverabilityProvider, name, { ...outputs, ...args }, opts, "rds", "Recoverability");
  }
}
