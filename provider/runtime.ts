/**
 * What the dynamic providers do, inside Pulumi's dynamic-provider process. The serialized
 * providers (./dynamic.ts) are thin shims that `require` this module by path at run time, so:
 * - nothing here is serialized into state (no closure capture of config or credentials);
 * - this module's state (the stack config received by `configure`) lives only in that process;
 * - `@alicloud/rds20140815` is loaded by sdk/ on the first call, not when a program starts.
 */
import type * as dynamic from "@pulumi/pulumi/dynamic";
import { listBackups } from "../sdk/list-backups";
import { newestUsableBackup } from "../sdk/newest";
import { checkFreshBackup } from "../sdk/freshness";
import { RdsBackupsError, RdsValidationError } from "../sdk/errors";
import { withoutDownloadLinks } from "../sdk/download-links";
import type { BackupList } from "../sdk/types";
import { parseBackupsArgs, parseFreshBackupArgs, checkBackupsArgs, checkFreshBackupArgs, type BackupsRequest } from "./args";
import { connectionOptions, stackSettingsFrom, type StackSettings } from "./settings";

let stackSettings: StackSettings = {};

/** Called once per provider process with the whole stack config (secrets in plaintext, in memory only). */
export async function configure(req: dynamic.ConfigureRequest): Promise<void> {
  stackSettings = stackSettingsFrom((key) => req.config.get(key));
}

/** For tests that call `read` in-process. */
export function setStackSettings(settings: StackSettings): void {
  stackSettings = settings;
}

/** The read behind `getBackups`: every matching backup, the ids, the totals and the newest usable one. */
export async function readBackups(id: string, props: Record<string, unknown>): Promise<dynamic.ReadResult> {
  let request: BackupsRequest;
  let list: BackupList;
  try {
    request = parseBackupsArgs(inputsOf(props, BACKUPS_OUTPUTS));
    list = await listBackups(request.query, { ...connectionOptions(request.connection, stackSettings), includeDownloadUrls: request.includeDownloadUrls });
  } catch (err) {
    throw err instanceof RdsBackupsError ? verdictError(`getBackups: ${err.message}`) : err;
  }
  const backups = request.includeDownloadUrls ? list.backups : list.backups.map(withoutDownloadLinks);
  const latest = newestUsableBackup(backups);
  return {
    id,
    props: plain({
      ...inputsOf(props, BACKUPS_OUTPUTS),
      // One JSON text, not thousands of properties: the engine's cost per read grows with the
      // number of output properties (BENCHMARKS.md); `ids` and `latest` stay structured.
      backupsJson: JSON.stringify(backups),
      ids: backups.map((b) => b.backupId),
      totalCount: list.totalRecordCount,
      totalEcsSnapshotSize: list.totalEcsSnapshotSize,
      // null, not absent: in a preview the engine reads an absent output as unknown.
      latest: latest ?? null,
    }),
  };
}

/**
 * The read behind `requireFreshBackup`. It fails (and with it the preview or the update) when
 * the newest usable backup is older than `maxAge`, and fails closed when the API cannot be read:
 * a gate never passes on an error.
 */
export async function readFreshBackup(id: string, props: Record<string, unknown>): Promise<dynamic.ReadResult> {
  const request = parseFreshBackupArgs(inputsOf(props, FRESH_BACKUP_OUTPUTS));
  let verdict;
  try {
    verdict = await checkFreshBackup(
      { dbInstanceId: request.dbInstanceId, maxAge: request.maxAgeSeconds, backupType: request.backupType, backupMode: request.backupMode },
      connectionOptions(request.connection, stackSettings),
    );
  } catch (err) {
    if (err instanceof RdsValidationError) throw verdictError(err.message);
    throw verdictError(
      `requireFreshBackup: could not read the backups of ${request.dbInstanceId}, so freshness cannot be proven ` +
        `and the deployment is stopped: ${(err as Error).message}`,
    );
  }
  if (!verdict.fresh || verdict.newest === undefined) {
    throw verdictError(`requireFreshBackup: ${verdict.message}`);
  }
  const backup = withoutDownloadLinks(verdict.newest);
  return {
    id,
    props: plain({
      ...inputsOf(props, FRESH_BACKUP_OUTPUTS),
      maxAgeSeconds: request.maxAgeSeconds,
      backup,
      backupId: backup.backupId,
      backupEndTime: backup.backupEndTime,
    }),
  };
}

export async function checkBackups(_olds: unknown, news: Record<string, unknown>): Promise<dynamic.CheckResult> {
  return { inputs: news, failures: checkBackupsArgs(inputsOf(news, BACKUPS_OUTPUTS)).map(({ field, reason }) => ({ property: field, reason })) };
}

export async function checkFreshBackupInputs(_olds: unknown, news: Record<string, unknown>): Promise<dynamic.CheckResult> {
  return { inputs: news, failures: checkFreshBackupArgs(inputsOf(news, FRESH_BACKUP_OUTPUTS)).map(({ field, reason }) => ({ property: field, reason })) };
}

/**
 * The argument properties of a read: everything but the engine's `__provider` and the read's
 * outputs (on `refresh` the engine passes the previous outputs back in).
 */
const BACKUPS_OUTPUTS = ["backupsJson", "ids", "totalCount", "totalEcsSnapshotSize", "latest"];
const FRESH_BACKUP_OUTPUTS = ["maxAgeSeconds", "backup", "backupId", "backupEndTime"];
function inputsOf(props: Record<string, unknown>, outputs: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(props).filter(([key, value]) => key !== "__provider" && !outputs.includes(key) && value !== undefined && value !== null),
  );
}

/**
 * An expected refusal (a stale backup, bad input, an API error already explained), not a crash:
 * no stack trace, which Pulumi's dynamic-provider host would print under the message.
 */
function verdictError(message: string): Error {
  const error = new Error(message);
  error.stack = "";
  return error;
}

/** Pulumi's property structs take no `undefined`: JSON is exactly the shape they accept. */
function plain<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}
