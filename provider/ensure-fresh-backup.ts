/**
 * `ensureFreshBackup`: the backup a risky change needs, taken during `pulumi up` when the newest
 * usable one is older than `maxAge`, and waited for until it is usable. Resources that list it in
 * `dependsOn` are created or updated only after that.
 *
 * `pulumi preview` takes nothing: it says whether the update will take a backup (the resource's
 * `plan`, and a message naming the instance, the newest backup and its age). While the backup
 * stays fresh, nothing diffs. See sdk/ensure.ts for why a retried update never takes a second one.
 */
import * as pulumi from "@pulumi/pulumi";
import { parseEnsureBackupArgs, requirementText } from "./args";
import { overrideWarning } from "./core-gate";
import { EnsuredBackup } from "./dynamic";
import { GATE_OVERRIDES_KEY } from "./overrides";
import { asRunError } from "./reads";
import { stableJson, withoutUndefined } from "../sdk/internal";
import type { EnsureFreshBackupOutputArgs } from "./types";

const created = new Map<string, { key: string; resource: EnsuredBackup }>();
let unnamed = 0;

/**
 * One resource per instance in a program: calls with equal arguments share it; different
 * arguments for one instance need `opts.name`. The name is derived from the instance id so that
 * it stays the same from one run to the next.
 */
export function ensureFreshBackup(
  args: EnsureFreshBackupOutputArgs,
  opts?: {
    parent?: pulumi.Resource;
    dependsOn?: pulumi.Input<pulumi.Input<pulumi.Resource>[]> | pulumi.Input<pulumi.Resource>;
    name?: string;
  },
): EnsuredBackup {
  const plainArgs: Record<string, unknown> = withoutUndefined({ ...args });
  const known = Object.values(plainArgs).every((v) => !pulumi.Output.isInstance(v) && !(v instanceof Promise));
  // Checked now when known, else once the values resolve (failing the program, and the preview,
  // with the same message). `ensured` is derived here, in the program, so a preview knows it.
  const ensured = known ? ensuredText(plainArgs) : pulumi.output(plainArgs).apply((values) => ensuredText(values));
  const name =
    opts?.name ?? `ensure-backup-${typeof plainArgs.dbInstanceId === "string" ? plainArgs.dbInstanceId : ++unnamed}`;
  const key = known ? stableJson(plainArgs) : `unknown-${name}`;
  const earlier = created.get(name);
  if (earlier) {
    if (earlier.key === key && opts?.parent === undefined && opts?.dependsOn === undefined) return earlier.resource;
    throw new pulumi.RunError(
      `ensureFreshBackup: "${name}" already exists in this program with other arguments or options; pass opts.name to make another`,
    );
  }
  const resource = new EnsuredBackup(name, { ...plainArgs, ensured } as pulumi.Inputs, {
    parent: opts?.parent,
    dependsOn: opts?.dependsOn,
  });
  created.set(name, { key, resource });
  // As the gate's: a warning on the resource, counted and shown under it (the provider's own
  // output reaches the engine only as an info line).
  resource.override.apply((record) => {
    if (record) void pulumi.log.warn(overrideWarning(record, "ensureFreshBackup", GATE_OVERRIDES_KEY), resource);
  });
  return resource;
}

/** What ensure guarantees, from the arguments only (the gate's `checked`, in ensure's words). */
function ensuredText(args: Record<string, unknown>): string {
  try {
    const request = parseEnsureBackupArgs(args);
    return requirementText(request.plan, request.recovery);
  } catch (err) {
    // Bad arguments are the user's to fix: a clean Pulumi error, no stack trace (as reads do).
    throw asRunError(err);
  }
}
