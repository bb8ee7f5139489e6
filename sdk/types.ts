/**
 * The public contract of sdk/: what callers pass in and what they get back.
 *
 * This file is the one place for the API's enum values. Everything here is plain
 * data: no Pulumi, no SDK classes, nothing that needs `@alicloud/rds20140815` loaded.
 */

// ---------------------------------------------------------------------------
// Enum values of DescribeBackups (RDS API 2014-08-15). One place for each list:
// validation, the CLI's --help and the emulator's tests all read these.
// ---------------------------------------------------------------------------

export const BACKUP_STATUSES = ["Success", "Failed"] as const;
export type BackupStatus = (typeof BACKUP_STATUSES)[number];

export const BACKUP_MODES = ["Automated", "Manual"] as const;
export type BackupMode = (typeof BACKUP_MODES)[number];

export const BACKUP_TYPES = ["FullBackup", "IncrementalBackup"] as const;
export type BackupType = (typeof BACKUP_TYPES)[number];

/** What the freshness gate counts: one backup type, or `any` (full and incremental sets alike). */
export const FRESH_BACKUP_TYPES = ["FullBackup", "IncrementalBackup", "any"] as const;
export type FreshBackupType = (typeof FRESH_BACKUP_TYPES)[number];

export const BACKUP_METHODS = ["Logical", "Physical", "Snapshot"] as const;
export type BackupMethod = (typeof BACKUP_METHODS)[number];

export const BACKUP_INITIATORS = ["System", "User"] as const;
export type BackupInitiator = (typeof BACKUP_INITIATORS)[number];

export const ENGINES = ["MySQL", "SQLServer", "PostgreSQL", "MariaDB"] as const;
export type Engine = (typeof ENGINES)[number];

/** `MetaStatus`: "" on the wire (not usable for single db/table restore) is absent here. */
export const META_STATUSES = ["OK", "LARGE", "EMPTY"] as const;
export type MetaStatus = (typeof META_STATUSES)[number];

/** `StoreStatus`: Enabled = the set can be deleted, Disabled = it cannot. */
export const STORE_STATUSES = ["Enabled", "Disabled"] as const;
export type StoreStatus = (typeof STORE_STATUSES)[number];

/** `StorageClass` arrives as "0" / "1"; callers get the word (./normalize.ts maps it). */
export type StorageClass = "Standard" | "Archive";

/** `PageSize` accepts exactly these values. */
export const PAGE_SIZES = [30, 50, 100] as const;
export type PageSize = (typeof PAGE_SIZES)[number];

// ---------------------------------------------------------------------------
// Requests
// ---------------------------------------------------------------------------

/** A moment: a `Date`, or an ISO-8601 string with an explicit offset (`Z`, `+08:00`). */
export type TimeInput = Date | string;

/** The filters of DescribeBackups. Only `dbInstanceId` is required. */
export interface BackupQuery {
  /** The instance, e.g. `rm-uf6wjk5xxxxxxx`. */
  readonly dbInstanceId: string;
  /** One backup set id. */
  readonly backupId?: string;
  readonly backupStatus?: BackupStatus;
  readonly backupMode?: BackupMode;
  readonly backupType?: BackupType;
  /**
   * Start of the window. Sent as `yyyy-MM-ddTHH:mmZ` (UTC, minutes), rounded down
   * so that the window still covers what was asked.
   */
  readonly startTime?: TimeInput;
  /** End of the window, rounded up to the minute. Must be after `startTime`. */
  readonly endTime?: TimeInput;
}

/** One page, for callers that want to drive paging themselves. */
export interface PageRequest extends BackupQuery {
  /** 30, 50 or 100. Default 100 (the fewest calls). */
  readonly pageSize?: PageSize;
  /** 1-based. Default 1. */
  readonly pageNumber?: number;
}

/** Explicit access keys. Never logged, never put in an error message. */
export interface StaticCredentials {
  readonly accessKeyId: string;
  readonly accessKeySecret: string;
  /** STS token, for temporary credentials. */
  readonly securityToken?: string;
}

/** How to reach the API. Everything is optional: defaults come from the environment. */
export interface ConnectionOptions {
  /**
   * Region id, e.g. `cn-hangzhou`. Picks the endpoint. Default: `ALIBABA_CLOUD_REGION_ID`,
   * then `cn-hangzhou`.
   */
  readonly region?: string;
  /**
   * Overrides the endpoint: a URL (`http://127.0.0.1:9000`) or a host name (HTTPS).
   * Default: the environment variable `ALIBABA_CLOUD_RDS_ENDPOINT`, then the region's endpoint.
   */
  readonly endpoint?: string;
  /** Explicit keys. Without them, the `@alicloud/credentials` default chain is used. */
  readonly credentials?: StaticCredentials;
  /** An aliyun CLI profile name (`~/.aliyun/config.json`), used by the credential chain. */
  readonly profile?: string;
  /** TCP connect time-out. Default 5000 ms. */
  readonly connectTimeoutMs?: number;
  /** Time-out for the whole response once connected. Default 10000 ms. */
  readonly readTimeoutMs?: number;
}

// ---------------------------------------------------------------------------
// Responses
// ---------------------------------------------------------------------------

/**
 * A JSON object as `JSON.parse` returns it: members are primitives, or objects and arrays left
 * untyped (`object`). Not recursive and not `unknown`, so Pulumi's `Unwrap` keeps it as it is.
 */
export type JsonObject = Readonly<Record<string, string | number | boolean | null | object>>;

/** A per-database download link (`BackupDownloadLinkByDB`), SQL Server single-database backups. */
export interface DatabaseDownloadLink {
  readonly database: string;
  /** Pre-signed public link: a secret. Absent when the API sent none. */
  readonly downloadLink?: string;
  /** Pre-signed internal-network link: a secret. */
  readonly intranetDownloadLink?: string;
}

/**
 * One backup set, every field of `Items.Backup[]` in camelCase with its JS type.
 * Times are ISO-8601 UTC strings ending in `Z` (`2026-11-27T02:00:05Z`).
 */
export interface Backup {
  readonly backupId: string;
  readonly dbInstanceId: string;
  readonly backupStatus: BackupStatus;
  readonly backupStartTime: string;
  readonly backupEndTime: string;
  readonly backupType: BackupType;
  readonly backupMethod: BackupMethod;
  readonly backupMode: BackupMode;
  /** Absent when the API omits it. */
  readonly backupInitiator?: BackupInitiator;
  /** Bytes. */
  readonly backupSize: number;
  /** Pre-signed public link: a secret. Absent when not downloadable ("" / null on the wire). */
  readonly backupDownloadUrl?: string;
  /** Pre-signed internal-network link: a secret. */
  readonly backupIntranetDownloadUrl?: string;
  /** `BackupDownloadLinkByDB.BackupDownloadLinkByDB[]`, flattened. Empty when none. */
  readonly downloadLinksByDatabase: readonly DatabaseDownloadLink[];
  /** CRC64. */
  readonly checksum?: string;
  /** Point in time the data is consistent at (MySQL 5.6). Absent when the API sends 0. */
  readonly consistentTime?: string;
  /** SQL Server only: true for a copy-only backup ("1"), false for standard ("0"). */
  readonly copyOnlyBackup?: boolean;
  /**
   * `Encryption`, parsed from its JSON text. `{}` when not encrypted. Typed as JSON (not
   * `unknown`) so that a `Backup` stays a `Backup` through Pulumi's `Unwrap` (`pulumi.all`, `apply`).
   */
  readonly encryption: JsonObject;
  /**
   * Only when `Encryption` was not a JSON object: its text, untouched (then `encryption` is {}).
   * The backup is still returned: an odd encryption text must not fail a whole listing.
   */
  readonly encryptionRaw?: string;
  readonly engine?: Engine;
  readonly engineVersion?: string;
  /** Node (primary or secondary) that produced the set. */
  readonly hostInstanceId?: string;
  /** `IsAvail` 1/0. */
  readonly isAvail: boolean;
  /** Absent when "" (not usable for single db/table restore). */
  readonly metaStatus?: MetaStatus;
  readonly storageClass?: StorageClass;
  readonly storeStatus?: StoreStatus;
  /** SQL Server single-database backups with a retention period. ISO-8601 UTC. */
  readonly expectExpireTime?: string;
}

/** One page as the API returned it, with counts as numbers. */
export interface BackupPage {
  readonly backups: readonly Backup[];
  readonly pageNumber: number;
  readonly pageSize: number;
  /** `PageRecordCount`: sets on this page. */
  readonly pageRecordCount: number;
  /** `TotalRecordCount`: sets matching the query, on all pages. */
  readonly totalRecordCount: number;
  /** `TotalEcsSnapshotSize`, bytes. */
  readonly totalEcsSnapshotSize: number;
  readonly requestId: string;
}

/** Every backup set that matched, from all pages. */
export interface BackupList {
  readonly dbInstanceId: string;
  /** Deduplicated by `backupId`; in the order the API returned them (no order is promised). */
  readonly backups: readonly Backup[];
  readonly totalRecordCount: number;
  readonly totalEcsSnapshotSize: number;
  /** How many DescribeBackups calls it took (retries not counted). */
  readonly calls: number;
}

// ---------------------------------------------------------------------------
// DescribeBackupTasks (the tasks behind CreateBackup). Every field arrives as a string.
// ---------------------------------------------------------------------------

/** `BackupStatus` of a task. `Finished` and `Failed` are terminal; no source promises the order of the rest. */
export const BACKUP_TASK_STATUSES = [
  "NoStart",
  "Checking",
  "Preparing",
  "Waiting",
  "Uploading",
  "Finished",
  "Failed",
] as const;
export type BackupTaskStatus = (typeof BACKUP_TASK_STATUSES)[number];

/** `BackupProgressStatus`: the backup program's own step (it has no `Failed`). */
export const BACKUP_PROGRESS_STATUSES = [
  "NoStart",
  "Preparing",
  "Waiting",
  "Uploading",
  "Checking",
  "Finished",
] as const;
export type BackupProgressStatus = (typeof BACKUP_PROGRESS_STATUSES)[number];

/** One task of DescribeBackupTasks, typed. */
export interface BackupTask {
  /** `BackupJobId`: the task's id (digits), not the backup set's. */
  readonly jobId: string;
  readonly status: BackupTaskStatus;
  readonly progressStatus?: BackupProgressStatus;
  /** `Process`, 0-100. */
  readonly percent?: number;
  /** `JobMode`: Manual for CreateBackup, Automated for the backup policy. */
  readonly jobMode?: BackupMode;
  /** `TaskAction`, e.g. `TempBackupTask` (ad hoc) or `NormalBackupTask`. */
  readonly taskAction?: string;
  /** The backup set's id: only once Finished, and only when the request named the job. */
  readonly backupId?: string;
}

// ---------------------------------------------------------------------------
// Point-in-time recovery: the restore window, the log files, the backup policy
// (DescribeLocalAvailableRecoveryTime, DescribeBinlogFiles, DescribeBackupPolicy)
// ---------------------------------------------------------------------------

/** The engines whose log chain and restore window the API serves (not SQL Server). */
export const LOG_CHAIN_ENGINES = ["MySQL", "PostgreSQL", "MariaDB"] as const;

/** The moments an instance can be restored to. Both absent when the API reports no window. */
export interface RestoreWindow {
  readonly dbInstanceId: string;
  /** ISO-8601 UTC, `yyyy-MM-ddTHH:mm:ssZ`. */
  readonly begin?: string;
  readonly end?: string;
  readonly requestId: string;
}

/** One log backup file (MySQL/MariaDB binlog, PostgreSQL WAL). */
export interface LogFile {
  readonly fileName: string;
  /** The node that wrote it; two alternate after an HA switch-over. */
  readonly hostInstanceId: string;
  /** ISO-8601 UTC. */
  readonly beginTime: string;
  readonly endTime: string;
  /** Bytes. */
  readonly fileSize: number;
  /** The upload state as the API words it (e.g. `Completed`); only a completed file counts in the chain. */
  readonly remoteStatus?: string;
  readonly checksum?: string;
  /** Pre-signed links: only with `includeDownloadUrls: true`. */
  readonly downloadLink?: string;
  readonly intranetDownloadLink?: string;
  readonly linkExpiredTime?: string;
}

/** One page of DescribeBinlogFiles, normalized. */
export interface LogFilePage {
  readonly files: readonly LogFile[];
  readonly pageNumber: number;
  readonly pageSize: number;
  readonly pageRecordCount: number;
  readonly totalRecordCount: number;
  /** Bytes of every file that matches the range, all pages together. */
  readonly totalFileSize: number;
  readonly requestId: string;
}

/** Every log file that overlaps a range, oldest first. */
export interface LogFileList {
  readonly dbInstanceId: string;
  /** The range asked for, ISO-8601 UTC. */
  readonly startTime: string;
  readonly endTime: string;
  readonly files: readonly LogFile[];
  readonly totalRecordCount: number;
  readonly totalFileSize: number;
  /** DescribeBinlogFiles calls made (retries not counted). */
  readonly calls: number;
}

/** DescribeBackupPolicy, normalized: retention in days, log backup as a boolean. */
export interface BackupPolicy {
  readonly dbInstanceId: string;
  /** `BackupRetentionPeriod`: days data backups are kept. */
  readonly backupRetentionDays: number;
  /** `BackupLog` Enable / `EnableBackupLog` 1: log backup on. */
  readonly logBackupEnabled: boolean;
  /** `LogBackupRetentionPeriod`: days log backups are kept (absent when the API does not say). */
  readonly logBackupRetentionDays?: number;
  /** `PreferredBackupTime`, e.g. `02:00Z-03:00Z`. */
  readonly preferredBackupTime?: string;
  /** `PreferredBackupPeriod`: the weekdays of data backups. */
  readonly preferredBackupPeriod?: readonly string[];
  readonly preferredNextBackupTime?: string;
  /** `LocalLogRetentionHours`. */
  readonly localLogRetentionHours?: number;
  /** `LogBackupFrequency` (SQL Server: `LogInterval`). */
  readonly logBackupFrequency?: string;
  readonly backupMethod?: string;
  readonly category?: string;
  readonly requestId: string;
}
