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

export interface InstanceData {
  regionId: string;
  backups: RawBackup[];
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
