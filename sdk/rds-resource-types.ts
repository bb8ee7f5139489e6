/**
 * The `@pulumi/alicloud` resource types whose change can lose data of an RDS instance, and where
 * each names that instance. Data only, shared by everything that protects a change with a backup
 * (the resource hooks and the CLI that reads a saved preview): one table, so they agree on which
 * resources count and which instance each one backs up.
 *
 * The tokens and property names are those `@pulumi/alicloud` registers (3.108.0: each class's
 * `__pulumiType` and its declared inputs). This file knows nothing else of Pulumi.
 */

/** Where a resource names its instance: its own id, or the first of these properties that is set (its inputs, then its outputs). */
export type InstanceSource =
  /** The resource is the instance: its id is the DBInstanceId. */
  | { readonly kind: "id" }
  /** A property of the resource names the instance; the first one set wins (the current name, then deprecated ones). */
  | { readonly kind: "property"; readonly names: readonly string[] };

export interface RdsType {
  readonly instance: InstanceSource;
}

export const RDS_TYPES: Readonly<Record<string, RdsType>> = {
  "alicloud:rds/instance:Instance": { instance: { kind: "id" } },
  "alicloud:rds/database:Database": {
    instance: { kind: "property", names: ["instanceId"] },
  },
  // `instanceId` is deprecated in favour of `dbInstanceId` (provider 1.120.0); a program may still set either.
  "alicloud:rds/account:Account": {
    instance: { kind: "property", names: ["dbInstanceId", "instanceId"] },
  },
  // A read-only instance holds a copy of its primary's data: the backup that protects it is the primary's.
  "alicloud:rds/readOnlyInstance:ReadOnlyInstance": {
    instance: { kind: "property", names: ["masterDbInstanceId"] },
  },
};

/** The entry of a type token, or undefined (a lookup that ignores inherited keys such as `constructor`). */
export function rdsTypeOf(token: string): RdsType | undefined {
  return Object.prototype.hasOwnProperty.call(RDS_TYPES, token) ? RDS_TYPES[token] : undefined;
}
