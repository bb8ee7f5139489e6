/**
 * A local Alibaba Cloud RDS API (DescribeBackups, CreateBackup, DescribeBackupTasks, DescribeBackupPolicy,
 * DescribeLocalAvailableRecoveryTime, DescribeBinlogFiles; version 2014-08-15) that checks real
 * signatures: run Pulumi programs, the CLI and tests with no cloud account.
 */
export { startEmulator, type EmulatorOptions, type RunningEmulator } from "./server";
export { generateData, type GenerateSpec, type InstanceSpec } from "./generate";
export { loadData, validateData, DataError } from "./data";
export { FAULT_KINDS, type FaultKind, type FaultOptions, type ScriptedFault } from "./faults";
export { DEFAULT_ACCESS_KEY_ID, DEFAULT_ACCESS_KEY_SECRET, type GeneratedEngine } from "./engine-profiles";
export { API_VERSION } from "./pipeline";
export type { AccessDeniedDetail } from "./errors";
export { DEFAULT_BACKUP_DURATION_MS, DEFAULT_BACKUP_VISIBILITY_LAG_MS } from "./backup-tasks";
export { DAILY_BACKUP_LIMIT } from "./create-backup";
export { LOG_BACKUP_ENGINES, type LogChainSpec } from "./log-backups";
export type {
  AccessKeyEntry,
  BackupTaskSpec,
  BackupTaskStatus,
  DescribeBackupsParams,
  EmulatorData,
  EmulatorStats,
  InstanceData,
  RawBackup,
  RawBackupJob,
  RawBackupPolicy,
  RawBinlogFile,
  RawDownloadLinkByDB,
  RequestHook,
} from "./types";
