import type { BackupTasks, TaskFilter } from "./backup-tasks";
import { BACKUP_MODES } from "./enums";
import { Errors } from "./errors";
import type { BackupStore } from "./store";
import type { RawBackupJob } from "./types";

export interface DescribeBackupTasksParams extends TaskFilter {
  DBInstanceId: string;
}

/** The filter's two values: "By default, this operation returns backup tasks in both states". */
const JOB_STATUSES: readonly string[] = ["NoStart", "Progressing"];

const opt = (params: Readonly<Record<string, string>>, name: string) =>
  params[name] === undefined || params[name] === "" ? undefined : params[name];

/** Order: DBInstanceId, BackupMode, BackupJobStatus. A BackupJobId that is no task's id matches nothing. */
export function validateDescribeBackupTasksParams(params: Readonly<Record<string, string>>): DescribeBackupTasksParams {
  const DBInstanceId = opt(params, "DBInstanceId");
  if (DBInstanceId === undefined) throw Errors.missingParameter("DBInstanceId");
  const result: DescribeBackupTasksParams = { DBInstanceId };
  const mode = opt(params, "BackupMode");
  if (mode !== undefined && !BACKUP_MODES.includes(mode)) throw Errors.parametersInvalid();
  const status = opt(params, "BackupJobStatus");
  if (status !== undefined && !JOB_STATUSES.includes(status)) throw Errors.parametersInvalid();
  const jobId = opt(params, "BackupJobId");
  if (jobId !== undefined) result.BackupJobId = jobId;
  if (mode !== undefined) result.BackupMode = mode;
  if (status !== undefined) result.BackupJobStatus = status;
  return result;
}

export function describeBackupTasks(
  store: BackupStore,
  tasks: BackupTasks,
  p: DescribeBackupTasksParams,
  now: number,
  requestId: string,
): { Items: { BackupJob: RawBackupJob[] }; RequestId: string } {
  if (!store.has(p.DBInstanceId)) throw Errors.invalidDBInstanceIdNotFound(404);
  return { Items: { BackupJob: tasks.list(p.DBInstanceId, p, now) }, RequestId: requestId };
}
