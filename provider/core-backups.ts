/**
 * The read behind `getBackups` (the dynamic read and the plugin's invoke): every matching backup,
 * the ids, the totals and the newest usable one. The same in every mode: a read changes nothing
 * and has no verdict to enforce.
 */
import {
  type Backup,
  compareBackupIds,
  listValidatedBackups,
  newestUsableBackup,
  RdsBackupsError,
} from "../sdk/internal";
import { checkBackupsArgs, type BackupsRequest } from "./args";
import {
  argumentsChanged,
  readInputs,
  verdictError,
  type CallContext,
  type Mode,
  type Props,
  type ResourceCore,
} from "./core";
import { BACKUPS_OUTPUTS, type OutputValues } from "./outputs";
import { connectionOptions } from "./settings";

export type BackupsOutputs = OutputValues<typeof BACKUPS_OUTPUTS> & {
  readonly backups: Backup[];
  readonly ids: string[];
  readonly latest: Backup | null;
};

export const backupsCore: ResourceCore<BackupsRequest> & {
  run(mode: Mode, context: CallContext<BackupsRequest>): Promise<BackupsOutputs>;
} = {
  outputs: BACKUPS_OUTPUTS,
  pending: {},
  changed: (state, judged) => argumentsChanged(state, judged, BACKUPS_OUTPUTS),
  inputs: (props: Props) => readInputs(props, BACKUPS_OUTPUTS, (args) => checkBackupsArgs(args)),
  run: readBackupList,
};

async function readBackupList(_mode: Mode, { settings, subject, request }: CallContext<BackupsRequest>) {
  let list;
  try {
    list = await listValidatedBackups(request.query, {
      ...connectionOptions(request.connection, settings),
      includeDownloadUrls: request.includeDownloadUrls,
    });
  } catch (err) {
    throw err instanceof RdsBackupsError ? verdictError(`${subject}: ${err.message}`) : err;
  }
  const backups = inStableOrder(list.backups);
  const outputs: BackupsOutputs = {
    backups,
    ids: backups.map((b) => b.backupId),
    totalCount: list.totalRecordCount,
    totalEcsSnapshotSize: list.totalEcsSnapshotSize,
    // null, not absent: in a preview the engine reads an absent output as unknown.
    latest: newestUsableBackup(backups) ?? null,
  };
  return outputs;
}

/**
 * Oldest first (start time, then id): a new backup is added at the end of `ids`, so it shows as
 * one addition in a diff instead of shifting every element.
 */
function inStableOrder(backups: readonly Backup[]): Backup[] {
  return [...backups].sort((a, b) =>
    a.backupStartTime === b.backupStartTime
      ? compareBackupIds(a.backupId, b.backupId)
      : a.backupStartTime < b.backupStartTime
        ? -1
        : 1,
  );
}
