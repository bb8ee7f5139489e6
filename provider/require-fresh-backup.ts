/**
 * `requireFreshBackup`: a deployment gate. Resolves to the newest usable backup when it ended
 * within `maxAge`; otherwise the read fails, and with it `pulumi preview` and `pulumi up`, with a
 * message naming the instance, the newest usable backup and its age (or that there is none) and
 * the limit. Resources that depend on it are then neither previewed as created nor touched.
 */
import * as pulumi from "@pulumi/pulumi";
import { parseFreshBackupArgs } from "./args";
import { FreshBackup } from "./dynamic";
import { registerRead } from "./reads";
import type { RequireFreshBackupOutputArgs } from "./types";

/**
 * Use the result in `dependsOn` of the risky change, or its outputs (`backupId`,
 * `backupEndTime`) as inputs. Costs one API call however long the history is.
 */
export function requireFreshBackup(
  args: RequireFreshBackupOutputArgs,
  opts?: { parent?: pulumi.Resource; dependsOn?: pulumi.Input<pulumi.Input<pulumi.Resource>[]> | pulumi.Input<pulumi.Resource> },
): FreshBackup {
  return registerRead({
    kind: "fresh-backup",
    args: { ...args },
    validate: (plain) => void parseFreshBackupArgs(plain),
    construct: (name, props, resourceOpts) => new FreshBackup(name, props, resourceOpts),
    opts,
  });
}
