import type { BackupTasks } from "./backup-tasks";
import { Errors } from "./errors";
import type { BackupStore } from "./store";

/** The validated parameters of CreateBackup. */
export interface CreateBackupParams {
  DBInstanceId: string;
  BackupMethod: "Physical" | "Snapshot" | "Logical";
  BackupStrategy?: "db" | "instance";
  DBName?: string;
  BackupType?: "Auto" | "FullBackup";
}

const METHODS = ["Physical", "Snapshot", "Logical"] as const;
/** SDK 15.4.0's list; `IncrementalBackup` appears only in a newer generated doc (UNCONFIRMED), so it is refused. */
const TYPES = ["Auto", "FullBackup"] as const;
const STRATEGIES = ["db", "instance"] as const;
/** Engine × method (the CreateBackup reference): Logical is MySQL only; MariaDB takes snapshots as `Physical`. */
const METHODS_BY_ENGINE: Readonly<Record<string, readonly string[]>> = {
  MySQL: ["Physical", "Snapshot", "Logical"],
  SQLServer: ["Physical", "Snapshot"],
  PostgreSQL: ["Physical", "Snapshot"],
  MariaDB: ["Physical"],
};

/** The service limit: at most this many manual sets per instance per day. */
export const DAILY_BACKUP_LIMIT = 20;

const opt = (params: Readonly<Record<string, string>>, name: string) =>
  params[name] === undefined || params[name] === "" ? undefined : params[name];
const oneOf = <T extends string>(value: string, allowed: readonly T[]): value is T =>
  (allowed as readonly string[]).includes(value);

/** Checks that need no instance, in this order: DBInstanceId, BackupMethod, BackupType, BackupStrategy. */
export function validateCreateBackupParams(params: Readonly<Record<string, string>>): CreateBackupParams {
  const DBInstanceId = opt(params, "DBInstanceId");
  if (DBInstanceId === undefined) throw Errors.missingParameter("DBInstanceId");
  const method = opt(params, "BackupMethod") ?? "Physical";
  if (!oneOf(method, METHODS)) throw Errors.invalidBackupMethod();
  const result: CreateBackupParams = { DBInstanceId, BackupMethod: method };
  const type = opt(params, "BackupType");
  if (type !== undefined) {
    // "Only with BackupMethod=Physical" (SDK doc).
    if (!oneOf(type, TYPES) || method !== "Physical") throw Errors.backupTypeNotSupport();
    result.BackupType = type;
  }
  const strategy = opt(params, "BackupStrategy");
  if (strategy !== undefined) {
    if (!oneOf(strategy, STRATEGIES)) throw Errors.parametersInvalid();
    result.BackupStrategy = strategy;
  }
  const dbName = opt(params, "DBName");
  if (dbName !== undefined) result.DBName = dbName;
  return result;
}

/**
 * The handler, after RAM. Preconditions in the doc's order: the instance exists and is
 * Running, the engine supports the method, no task runs on it (manual or automated), fewer
 * than 20 manual sets today (UTC day). Then the task starts; its id is all the answer says.
 */
export function createBackup(
  store: BackupStore,
  tasks: BackupTasks,
  p: CreateBackupParams,
  now: number,
  requestId: string,
): { BackupJobId: string; RequestId: string } {
  const settings = store.settingsOf(p.DBInstanceId);
  if (!settings) throw Errors.invalidDBInstanceIdNotFound(404);
  if (settings.status !== "Running") throw Errors.operationDeniedDBInstanceStatus();
  if (!(METHODS_BY_ENGINE[settings.engine] ?? METHODS).includes(p.BackupMethod)) throw Errors.invalidBackupMethod();
  if (tasks.running(p.DBInstanceId, now)) throw Errors.backupJobExists();
  if (tasks.manualSetsToday(p.DBInstanceId, now) >= DAILY_BACKUP_LIMIT) throw Errors.backupTimesExceeded();
  const task = tasks.start(p.DBInstanceId, { mode: "Manual", method: p.BackupMethod }, now);
  return { BackupJobId: task.jobId, RequestId: requestId };
}
