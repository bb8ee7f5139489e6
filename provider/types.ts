/**
 * The public types of the Pulumi face, after Pulumi's code-generator conventions:
 * `GetXArgs` (plain), `GetXOutputArgs` (every field an `Input`), `GetXResult` (readonly).
 */
import type * as pulumi from "@pulumi/pulumi";
import type {
  Backup,
  BackupMethod,
  BackupMode,
  BackupStatus,
  BackupType,
  FreshBackupType,
  PageSize,
} from "../sdk/internal";

/** A backup set as the provider returns it: every field of sdk/'s `Backup`. */
export type BackupSet = Backup;

/** Where and how to reach the API. Keys are never arguments: they come from config or the credential chain. */
export interface ConnectionArgs {
  /** Region id, e.g. `cn-hangzhou`. Default: `alicloud:region`, then `ALIBABA_CLOUD_REGION_ID`. */
  readonly region?: string;
  /**
   * Endpoint override: a URL (`http://127.0.0.1:9000`, e.g. the emulator) or a host name.
   * Default: `alicloud:endpoints` (its `rds` entry), then `ALIBABA_CLOUD_RDS_ENDPOINT`, then the region's.
   */
  readonly endpoint?: string;
  /** aliyun CLI profile. Default: `alicloud:profile`, then `ALIBABA_CLOUD_PROFILE`. */
  readonly profile?: string;
}

export interface GetBackupsArgs extends ConnectionArgs {
  /** The instance, e.g. `rm-uf6wjk5xxxxxxx`. */
  readonly dbInstanceId: string;
  readonly backupId?: string;
  readonly backupStatus?: BackupStatus;
  readonly backupMode?: BackupMode;
  readonly backupType?: BackupType;
  /** ISO-8601 with an explicit offset, e.g. `2026-11-20T00:00:00Z`. Rounded down to the minute. */
  readonly startTime?: string;
  /** ISO-8601 with an explicit offset. Rounded up to the minute. */
  readonly endTime?: string;
  /**
   * A rolling window instead of `startTime`: `"7d"`, `"36h"`, `"90m"` or a number of seconds (text needs its unit). The start is
   * computed when the read runs, so the read keeps its name from one run to the next.
   */
  readonly since?: string | number;
  /**
   * Include the pre-signed download links. Off by default: a link is a key to the whole database.
   * When on, the whole result is a secret output (Pulumi marks an invoke result secret as a whole),
   * so it is only accepted by `getBackupsOutput`.
   */
  readonly includeDownloadUrls?: boolean;
}

/** `ConnectionArgs` with every field an `Input`. */
export interface ConnectionOutputArgs {
  readonly region?: pulumi.Input<string>;
  readonly endpoint?: pulumi.Input<string>;
  readonly profile?: pulumi.Input<string>;
}

/** `GetBackupsArgs` with every field an `Input`, for `getBackupsOutput`. */
export interface GetBackupsOutputArgs extends ConnectionOutputArgs {
  readonly dbInstanceId: pulumi.Input<string>;
  readonly backupId?: pulumi.Input<string>;
  readonly backupStatus?: pulumi.Input<BackupStatus>;
  readonly backupMode?: pulumi.Input<BackupMode>;
  readonly backupType?: pulumi.Input<BackupType>;
  readonly startTime?: pulumi.Input<string>;
  readonly endTime?: pulumi.Input<string>;
  readonly since?: pulumi.Input<string | number>;
  /**
   * A plain boolean, not an `Input`: it decides when the read is registered whether the
   * result is a secret.
   */
  readonly includeDownloadUrls?: boolean;
}

export interface GetBackupsResult {
  /** The provider-assigned id of the read: the instance id. */
  readonly id: string;
  readonly dbInstanceId: string;
  /**
   * Every matching backup set, from all pages, oldest first (by start time, then id): a new
   * backup is added at the end, so a diff shows it as one addition.
   */
  readonly backups: readonly BackupSet[];
  /** The ids of `backups`, in the same order. */
  readonly ids: readonly string[];
  /** `TotalRecordCount`: how many sets matched. Equals `backups.length` (anything else is an error). */
  readonly totalCount: number;
  /** `TotalEcsSnapshotSize`, bytes. */
  readonly totalEcsSnapshotSize: number;
  /** The newest usable backup among `backups` (status Success and available, by end time), if any. */
  readonly latest: BackupSet | undefined;
}

export interface RequireFreshBackupArgs extends ConnectionArgs {
  readonly dbInstanceId: string;
  /** The oldest acceptable end time, as an age: `"24h"`, `"90m"`, `"7d"`, `"1h30m"` (text needs its unit), or a number of seconds. */
  readonly maxAge: string | number;
  /** Which backups count: `FullBackup` (the default: an incremental set cannot be restored alone), `IncrementalBackup`, or `any`. */
  readonly backupType?: FreshBackupType;
  /** Only count backups of this mode, e.g. `Automated`. */
  readonly backupMode?: BackupMode;
  /**
   * Also require a point-in-time restore to within this lag of now: log backup on, a restore
   * window and an unbroken log chain from the full set reaching now minus it: `"15m"`, `"1h"` (text
   * needs its unit), or seconds; at most 24h. Not for SQL Server, whose chain cannot be checked.
   */
  readonly recoverableWithin?: string | number;
  /** With `recoverableWithin`: the least acceptable `BackupRetentionPeriod`, days. */
  readonly minRetentionDays?: number;
  /** With `recoverableWithin`: the least acceptable `LogBackupRetentionPeriod`, days. */
  readonly minLogRetentionDays?: number;
}

/** `RequireFreshBackupArgs` with every field an `Input`. */
export interface RequireFreshBackupOutputArgs extends ConnectionOutputArgs {
  readonly dbInstanceId: pulumi.Input<string>;
  readonly maxAge: pulumi.Input<string | number>;
  readonly backupType?: pulumi.Input<FreshBackupType>;
  readonly backupMode?: pulumi.Input<BackupMode>;
  readonly recoverableWithin?: pulumi.Input<string | number>;
  readonly minRetentionDays?: pulumi.Input<number>;
  readonly minLogRetentionDays?: pulumi.Input<number>;
}

/**
 * The record an override leaves in the gate's outputs (and so in `pulumi stack export` and in
 * every checkpoint of the stack's history).
 */
export interface GateOverrideRecord {
  /** Why, as written in `rds-backups:gateOverrides["<instance>"].reason`. */
  readonly reason: string;
  /** ISO-8601 UTC, when the override stops applying; absent: until it is removed. */
  readonly expiresAt?: string;
  /** ISO-8601 UTC: when the gate was judged and the override used. */
  readonly usedAt: string;
  /** The verdict that was overridden, e.g. `rm-xxx: newest usable backup 123 ended ..., 40h ago, older than the limit 24h`. */
  readonly verdict: string;
}

/** Re-exported so that users need only this package. */
export type { Backup, BackupMethod, BackupMode, BackupStatus, BackupType, FreshBackupType, PageSize };

export interface EnsureFreshBackupArgs extends ConnectionArgs {
  readonly dbInstanceId: string;
  /** The oldest acceptable backup, as the gate's `maxAge`: `"24h"`, `"90m"`, `"7d"` (text needs its unit), or a number of seconds. */
  readonly maxAge: string | number;
  /** How CreateBackup takes the backup when one is needed: `Physical` (default), `Snapshot` or `Logical` (MySQL). */
  readonly backupMethod?: BackupMethod;
  /** What counts as fresh, as the gate's `backupType`: `FullBackup` (default) or `any`; `IncrementalBackup` is refused (CreateBackup takes full backups). */
  readonly backupType?: FreshBackupType;
  /** The longest `pulumi up` waits for the backup: `"30m"`, `"2h"` (text needs its unit), or a number of seconds. Default 1h, at most 24h. */
  readonly timeout?: string | number;
  /**
   * A backup job to wait for instead of taking a backup: the id a timed-out update named. Set it
   * for the next `pulumi up` after such a time-out; remove it after that up succeeds. While the
   * backup is fresh it changes nothing; once the job's set is listed and too old, it is ignored.
   * (The output `jobId` is the job the last update waited for.)
   */
  readonly resumeJobId?: string;
  /**
   * After the backup, also require a point-in-time restore to within this lag of now: log backup on, a restore
   * window and an unbroken log chain from the full set reaching now minus it: `"15m"`, `"1h"` (text
   * needs its unit), or seconds; at most 24h. Not for SQL Server, whose chain cannot be checked.
   */
  readonly recoverableWithin?: string | number;
  /** With `recoverableWithin`: the least acceptable `BackupRetentionPeriod`, days. */
  readonly minRetentionDays?: number;
  /** With `recoverableWithin`: the least acceptable `LogBackupRetentionPeriod`, days. */
  readonly minLogRetentionDays?: number;
}

/** `EnsureFreshBackupArgs` with every field an `Input`. */
export interface EnsureFreshBackupOutputArgs extends ConnectionOutputArgs {
  readonly dbInstanceId: pulumi.Input<string>;
  readonly maxAge: pulumi.Input<string | number>;
  readonly backupMethod?: pulumi.Input<BackupMethod>;
  readonly backupType?: pulumi.Input<FreshBackupType>;
  readonly timeout?: pulumi.Input<string | number>;
  readonly resumeJobId?: pulumi.Input<string>;
  readonly recoverableWithin?: pulumi.Input<string | number>;
  readonly minRetentionDays?: pulumi.Input<number>;
  readonly minLogRetentionDays?: pulumi.Input<number>;
}

// --- getRecoverability -------------------------------------------------------------------------
// Its imports are here rather than above, so that this section reaches main as an append.
import type {
  BackupPolicy as SdkBackupPolicy,
  LogFile,
  LogGap,
  RecoverabilityCondition,
  RecoverabilityFailure,
} from "../sdk/internal";

/** The backup policy (DescribeBackupPolicy) as the provider returns it: the sdk's, without the request id. */
export type BackupPolicy = Omit<SdkBackupPolicy, "requestId">;

/** Re-exported so that users need only this package. */
export type { LogFile, LogGap, RecoverabilityCondition, RecoverabilityFailure };

export interface GetRecoverabilityArgs extends ConnectionArgs {
  /** The instance, e.g. `rm-uf6wjk5xxxxxxx`. */
  readonly dbInstanceId: string;
  /** The most data a restore may lose: `"15m"`, `"1h"` (text needs its unit), or a number of seconds. At most 24h. */
  readonly recoverableWithin: string | number;
  /** The moment a restore must reach, ISO-8601 with an explicit offset. Default: the moment the read runs. */
  readonly pointInTime?: string;
  /** The least acceptable `BackupRetentionPeriod`, days. */
  readonly minRetentionDays?: number;
  /** The least acceptable `LogBackupRetentionPeriod`, days. */
  readonly minLogRetentionDays?: number;
  /**
   * Include the log files' pre-signed download links. Off by default: a link is a key to the
   * data. When on, the whole result is a secret output, so it is only accepted by
   * `getRecoverabilityOutput`.
   */
  readonly includeDownloadUrls?: boolean;
}

/** `GetRecoverabilityArgs` with every field an `Input`, for `getRecoverabilityOutput`. */
export interface GetRecoverabilityOutputArgs extends ConnectionOutputArgs {
  readonly dbInstanceId: pulumi.Input<string>;
  readonly recoverableWithin: pulumi.Input<string | number>;
  readonly pointInTime?: pulumi.Input<string>;
  readonly minRetentionDays?: pulumi.Input<number>;
  readonly minLogRetentionDays?: pulumi.Input<number>;
  /** A plain boolean, not an `Input`: it decides when the read is registered whether the result is a secret. */
  readonly includeDownloadUrls?: boolean;
}

/**
 * Whether the instance can be restored to a point in time, and what that was judged on. "Not
 * recoverable" is a result (`recoverable: false`, `failures`), never an error. Times are ISO-8601 UTC.
 */
export interface GetRecoverabilityResult {
  /** The provider-assigned id of the read: the instance id. */
  readonly id: string;
  readonly dbInstanceId: string;
  readonly recoverable: boolean;
  /** One line: the verdict, then each failing condition with its figure. */
  readonly message: string;
  /** Each failing condition (`logBackup`, `fullBackup`, `restoreWindow`, `logChain`, `retention`, `logRetention`, `engine`); empty when recoverable. */
  readonly failures: readonly RecoverabilityFailure[];
  /** The moment a restore must reach. */
  readonly pointInTime: string;
  /** When the read judged. */
  readonly checkedAt: string;
  readonly recoverableWithinSeconds: number;
  /** The engine, from the full backup set. */
  readonly engine?: string;
  readonly policy: BackupPolicy;
  /** The restore window (DescribeLocalAvailableRecoveryTime); absent when not read (no full set, SQL Server) or not reported. */
  readonly restoreWindowBegin?: string;
  readonly restoreWindowEnd?: string;
  /** The newest usable full set that ended by the point, where the chain starts (no download links). */
  readonly fullBackup?: BackupSet;
  /** The log files from the full set's start to the point, oldest first; links only with `includeDownloadUrls`. */
  readonly logFiles: readonly LogFile[];
  /** Where the unbroken chain from the full set ends. */
  readonly logChainEnd?: string;
  /** The stretches the uploaded log files do not cover: no restore inside them. */
  readonly gaps: readonly LogGap[];
}
