/**
 * `getBackups` / `getBackupsOutput`: the backup sets of an instance as Pulumi values, after the
 * conventions of Pulumi's generated data sources.
 */
import * as pulumi from "@pulumi/pulumi";
import { parseBackupsArgs } from "./args";
import { BackupsRead } from "./dynamic";
import { invokeOptionsToResource, promiseForm, registerRead } from "./reads";
import type { BackupSet, GetBackupsArgs, GetBackupsOutputArgs, GetBackupsResult } from "./types";

/**
 * Every backup set of `dbInstanceId` that matches the filters, from all pages, plus the newest
 * usable one. Runs during `pulumi preview` too. Bad arguments fail at once, before any call.
 *
 * The Promise form cannot carry secrecy, so it refuses `includeDownloadUrls`: use
 * `getBackupsOutput`, whose result is then a secret output.
 */
export function getBackups(args: GetBackupsArgs, opts?: pulumi.InvokeOptions): Promise<GetBackupsResult> {
  return promiseForm("getBackups", args, () => getBackupsOutput(args, opts));
}

/** `getBackups` taking `Input`s and giving an `Output`: chain it to other resources' outputs. */
export function getBackupsOutput(
  args: GetBackupsOutputArgs,
  opts?: pulumi.InvokeOutputOptions,
): pulumi.Output<GetBackupsResult> {
  const read = registerRead({
    kind: "backups",
    args: { ...args },
    validate: (plain) => void parseBackupsArgs(plain),
    construct: (name, props, resourceOpts) => new BackupsRead(name, props, resourceOpts),
    // Only when asked for links: the whole result is then secret, in state and in the program.
    secretOutputs: args.includeDownloadUrls === true ? ["backupsJson", "latest"] : undefined,
    opts: invokeOptionsToResource(opts),
  });
  const result = pulumi
    .all([
      read.id,
      read.dbInstanceId,
      read.backupsJson,
      read.ids,
      read.totalCount,
      read.totalEcsSnapshotSize,
      read.latest,
    ])
    .apply(([id, dbInstanceId, backupsJson, ids, totalCount, totalEcsSnapshotSize, latest]): GetBackupsResult => ({
      id,
      dbInstanceId,
      // The read keys the sets by id (a stable diff); `ids` holds their order.
      backups: backupsInOrder(JSON.parse(backupsJson) as Record<string, BackupSet>, ids),
      ids,
      totalCount,
      totalEcsSnapshotSize,
      latest: latest ?? undefined,
    }));
  // The engine marks the outputs secret (additionalSecretOutputs); this says so in the program too.
  return args.includeDownloadUrls === true ? (pulumi.secret(result) as pulumi.Output<GetBackupsResult>) : result;
}

function backupsInOrder(byId: Record<string, BackupSet>, ids: readonly string[]): BackupSet[] {
  return ids.map((id) => {
    const backup = byId[id];
    if (backup === undefined)
      throw new Error(`getBackups: the read's outputs disagree: backup ${id} is in ids but not in backupsJson`);
    return backup;
  });
}
