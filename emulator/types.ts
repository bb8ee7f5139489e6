/**
 * The emulator's data contract (see docs/DESIGN.md, "The emulator's contract").
 *
 * These are the emulator's own types: it shares nothing with sdk/ on purpose, so that it
 * stays an independent check of the client.
 */

/** One per-database link of `BackupDownloadLinkByDB.BackupDownloadLinkByDB[]`. */
export interface RawDownloadLinkByDB {
  DataBase: string;
  DownloadLink?: string;
  IntranetDownloadLink?: string;
}

/** One element of `Items.Backup[]`, exactly as the API sends it (PascalCase, API types). */
export interface RawBackup {
  BackupId: string;
  DBInstanceId: string;
  BackupStatus: string;
  /** `yyyy-MM-ddTHH:mm:ssZ`, UTC. */
  BackupStartTime: string;
  BackupEndTime: string;
  BackupType: string;
  BackupMethod: string;
  BackupMode: string;
  BackupInitiator?: string;
  /** Bytes. */
  BackupSize: number;
  BackupDownloadURL?: string;
  BackupIntranetDownloadURL?: string;
  BackupDownloadLinkByDB?: { BackupDownloadLinkByDB: RawDownloadLinkByDB[] };
  Checksum?: string;
  /** Epoch seconds (MySQL 5.6), else 0. */
  ConsistentTime?: number;
  CopyOnlyBackup?: string;
  /** JSON text. */
  Encryption?: string;
  Engine?: string;
  EngineVersion?: string;
  HostInstanceID?: string;
  IsAvail?: number;
  MetaStatus?: string;
  StorageClass?: string;
  StoreStatus?: string;
  ExpectExpireTime?: string;
}

/** A key limited to some instances, or tied to an STS token. */
export interface AccessKeyEntry {
  secret: string;
  /** When set, DescribeBackups on any other instance is a RAM implicit deny. */
  instances?: string[];
  /** When set, every request with this key must carry exactly this token. */
  securityToken?: string;
  /** ISO-8601: after this moment (emulator clock) the token is expired. */
  expiresAt?: string;
}

/**
 * DescribeBackupPolicy's answer for one instance (the fields the recoverability check reads and
 * the usual rest), typed as the API sends them: retention periods are numbers, flags strings.
 */
export interface RawBackupPolicy {
  /** Days data backups are kept. */
  BackupRetentionPeriod: number;
  /** `HH:mmZ-HH:mmZ`. */
  PreferredBackupTime: string;
  /** Comma-separated weekdays, e.g. `Monday,Wednesday,Friday`. */
  PreferredBackupPeriod: string;
  /** `yyyy-MM-ddTHH:mmZ`. */
  PreferredNextBackupTime: string;
  /** `Enable` or `Disabled`: log backup on or off. */
  BackupLog: string;
  /** `1` or `0`: the same fact as BackupLog. */
  EnableBackupLog: string;
  /** Days log backups are kept (not more than BackupRetentionPeriod). */
  LogBackupRetentionPeriod: number;
  LocalLogRetentionHours: number;
  LocalLogRetentionSpace: string;
  HighSpaceUsageProtection: string;
  /** `LogInterval` (SQL Server only) or "". */
  LogBackupFrequency: string;
  BackupMethod: string;
  Category: string;
  CompressType: string;
  ReleasedKeepPolicy: string;
  ArchiveBackupRetentionPeriod: string;
  ArchiveBackupKeepPolicy: string;
  ArchiveBackupKeepCount: string;
  EnableIncrementDataBackup: boolean;
}

/** One element of DescribeBinlogFiles' `Items.BinLogFile[]`, as the API sends it. */
export interface RawBinlogFile {
  /** Bytes. */
  FileSize: number;
  /** `yyyy-MM-ddTHH:mm:ssZ`, UTC. */
  LogBeginTime: string;
  LogEndTime: string;
  DownloadLink?: string;
  IntranetDownloadLink?: string;
  LinkExpiredTime?: string;
  Checksum?: string;
  /** The node that wrote the file: two ids alternate after an HA switch-over. */
  HostInstanceID: string;
  LogFileName: string;
  /** Upload state: `Completed`, `Uploading` or `Failed` (our choice of values; see emulator/README.md). */
  RemoteStatus: string;
}

export interface InstanceData {
  regionId: string;
  backups: RawBackup[];
  /** DescribeBackupPolicy's fields; absent ones take the engine's defaults (log backup on, 7 days). */
  backupPolicy?: Partial<RawBackupPolicy>;
  /** The log backup files DescribeBinlogFiles lists (MySQL, PostgreSQL, MariaDB). Default none. */
  binlogFiles?: RawBinlogFile[];
  /** `DBInstanceStatus` (default `Running`); CreateBackup needs `Running`. */
  status?: string;
  /** Default: the Engine of the instance's newest set, else MySQL. Decides which BackupMethod is allowed. */
  engine?: string;
  /** How long a backup task of this instance runs, seconds (overrides the emulator's option). */
  backupDurationSeconds?: number;
  /** How long after a task finishes its set shows in DescribeBackups, seconds (overrides the option). */
  backupVisibilityLagSeconds?: number;
  /** Every backup task of this instance ends `Failed`. */
  failBackups?: boolean;
}

export interface EmulatorData {
  accessKeys: { [accessKeyId: string]: string | AccessKeyEntry };
  instances: { [dbInstanceId: string]: InstanceData };
}

/** Counters a test can read back; `stats` on the running emulator returns a copy. */
export interface EmulatorStats {
  /** Every HTTP request received. */
  requests: number;
  /** Requests authenticated and dispatched to DescribeBackups. */
  describeBackups: number;
  /** Requests authenticated and dispatched to CreateBackup (accepted or not). */
  createBackup: number;
  /** Requests authenticated and dispatched, by action. */
  byAction: { [action: string]: number };
  /** Error answers by `Code`. */
  byCode: { [code: string]: number };
  /** Faults applied, by kind. */
  faults: { [kind: string]: number };
  /** API parameters of the last DescribeBackups call (signature parameters removed). */
  lastParams: { [name: string]: string } | undefined;
}

/** The parsed, validated parameters a DescribeBackups hook sees. */
export interface DescribeBackupsParams {
  DBInstanceId: string;
  BackupId?: string;
  BackupStatus?: string;
  BackupMode?: string;
  BackupType?: string;
  /** The raw `yyyy-MM-ddTHH:mmZ` strings, as sent. */
  StartTime?: string;
  EndTime?: string;
  PageSize: number;
  PageNumber: number;
}

/** Runs before each DescribeBackups answer is computed; `count` is 1 for the first call. */
export type RequestHook = (params: DescribeBackupsParams, count: number) => void | Promise<void>;

/** The status a backup task reports (`BackupStatus` of DescribeBackupTasks). */
export type BackupTaskStatus = "NoStart" | "Checking" | "Preparing" | "Uploading" | "Finished" | "Failed";

/** One element of DescribeBackupTasks' `Items.BackupJob[]`: every field a string, as the API sends it. */
export interface RawBackupJob {
  BackupJobId: string;
  BackupStatus: BackupTaskStatus;
  BackupProgressStatus: string;
  /** Percent, "0".."100". */
  Process: string;
  JobMode: "Automated" | "Manual";
  TaskAction: "TempBackupTask" | "NormalBackupTask";
  /** Only when Finished, and only when the request named the BackupJobId. */
  BackupId?: string;
}

/** A backup task started by a test, as if the service (or a user) had started it. */
export interface BackupTaskSpec {
  /** Default `Automated`: the nightly backup that happens to be running. */
  mode?: "Automated" | "Manual";
  /** Default `Physical`. */
  method?: "Physical" | "Snapshot" | "Logical";
  /** Default: the instance's or the emulator's backup duration. */
  durationMs?: number;
  /** End `Failed` instead of `Finished`. */
  fail?: boolean;
}
