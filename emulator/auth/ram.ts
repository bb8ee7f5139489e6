import { Errors } from "../errors";
import type { KeyInfo } from "./key-ring";

/** The emulated account that owns every key and instance. */
export const EMULATOR_ACCOUNT_ID = "1234567890123456";

/**
 * A key with an `instances` list behaves like a RAM user whose policy allows every action
 * on those instances only: anything else is an implicit deny (no policy said yes), naming
 * the action asked for (`rds:DescribeBackups`, `rds:CreateBackup`, `rds:DescribeBackupTasks`).
 */
export function authorize(key: KeyInfo, action: string, dbInstanceId: string, regionId: string): void {
  if (key.instances === undefined || key.instances.has(dbInstanceId)) return;
  const authAction = `rds:${action}`;
  const resource = `acs:rds:${regionId}:${EMULATOR_ACCOUNT_ID}:dbinstance/${dbInstanceId}`;
  // The real message is an opaque base64 blob; ours decodes to what a user would want to see.
  const diagnostic = {
    AuthAction: authAction,
    AuthResource: resource,
    NoPermissionType: "ImplicitDeny",
    PolicyType: "AccountLevelIdentityBasedPolicy",
  };
  throw Errors.forbiddenRam({
    PolicyType: "AccountLevelIdentityBasedPolicy",
    AuthPrincipalOwnerId: EMULATOR_ACCOUNT_ID,
    AuthPrincipalType: "SubUser",
    AuthPrincipalDisplayName: `emulator-user-${key.accessKeyId.slice(-4)}`,
    NoPermissionType: "ImplicitDeny",
    EncodedDiagnosticMessage: Buffer.from(JSON.stringify(diagnostic)).toString("base64"),
    AuthAction: authAction,
  });
}
