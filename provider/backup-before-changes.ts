/**
 * One line for a whole program: backup hooks (./backup-hooks.ts) on every resource of the
 * `@pulumi/alicloud` RDS types whose change can lose data (./hook-instance.ts, over the table in sdk/rds-resource-types.ts).
 *
 *   import * as rdsBackups from "pulumi-alicloud-rds-backups";
 *   rdsBackups.backupBeforeChanges({ maxAge: "24h" });     // first, before the resources
 *
 * It registers a stack transform (`pulumi.runtime.registerResourceTransform`) that adds the hooks
 * to each resource of those types created after it, keeping any hooks the resource has. Ways out:
 * `exceptTypes` (a whole type) and `exceptResources` (resources by name); a resource whose hooks
 * already hold backup hooks of the same name keeps its own (per-resource options win).
 * Hooks set by a transform need @pulumi/pulumi and the Pulumi CLI 3.183.0 or later.
 */
import * as pulumi from "@pulumi/pulumi";
import { failure, RdsValidationError, type ValidationFailure } from "../sdk/internal";
import type { BackupHookRecord } from "./backup-hook-record";
import { currentDeployment } from "./backup-hook-record";
import { makeHooks, type BackupHookOptions } from "./backup-hooks";
import { TRANSFORM_HOOKS_MIN_VERSION } from "./hook-support";
import { PROTECTED_RDS_TYPES } from "./hook-instance";

export interface BackupBeforeChangesOptions extends BackupHookOptions {
  /** Types left alone, e.g. `["alicloud:rds/account:Account"]`. */
  readonly exceptTypes?: readonly string[];
  /** Resources left alone, by the name given to them in the program. */
  readonly exceptResources?: readonly string[];
}

/**
 * Protects every RDS resource of the program created after this call. Returns the record of
 * this update (`backups`: what the hooks did), kept in the state as `rds-backup-hooks`.
 */
export function backupBeforeChanges(options: BackupBeforeChangesOptions): BackupHookRecord {
  const { exceptTypes, exceptResources, ...hookOptions } = options ?? {};
  const failures = [
    ...checkNames("exceptTypes", exceptTypes, PROTECTED_RDS_TYPES),
    ...checkNames("exceptResources", exceptResources),
  ];
  if (failures.length > 0) throw new pulumi.RunError(new RdsValidationError(failures).message);
  const { binding, record, config } = makeHooks(hookOptions, "backupBeforeChanges", TRANSFORM_HOOKS_MIN_VERSION);
  const types = new Set(PROTECTED_RDS_TYPES.filter((t) => !exceptTypes?.includes(t)));
  const skipped = new Set(exceptResources ?? []);
  for (const type of types) currentDeployment().observedTypes.add(type);

  pulumi.runtime.registerResourceTransform((args) => {
    if (!args.custom || !types.has(args.type) || skipped.has(args.name)) return undefined;
    const hooks = args.opts.hooks ?? {};
    // The engine hands hooks back by name: a resource given hooks of this name keeps its own.
    const has = (list: readonly (pulumi.ResourceHook | pulumi.ResourceHookFunction)[] | undefined) =>
      (list ?? []).some((h) => pulumi.ResourceHook.isInstance(h) && h.name === config.name);
    if (has(hooks.beforeUpdate) || has(hooks.beforeDelete)) return undefined;
    return {
      props: args.props,
      opts: {
        ...args.opts,
        hooks: {
          ...hooks,
          beforeUpdate: [...(hooks.beforeUpdate ?? []), ...binding.beforeUpdate!],
          beforeDelete: [...(hooks.beforeDelete ?? []), ...binding.beforeDelete!],
        },
      },
    };
  });
  return record;
}

function checkNames(field: string, value: unknown, allowed?: readonly string[]): ValidationFailure[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) return [failure(field, value, "a list of strings")];
  return value.flatMap((v, i) =>
    typeof v !== "string" || v === ""
      ? [failure(`${field}[${i}]`, v, "a non-empty string")]
      : allowed && !allowed.includes(v)
        ? [failure(`${field}[${i}]`, v, `one of ${allowed.join(", ")}`)]
        : [],
  );
}
