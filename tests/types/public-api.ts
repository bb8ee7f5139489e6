/**
 * A type test: it only has to compile (`npm run typecheck`). It is the public API written the
 * way a user writes it, so a change that breaks users' programs breaks the build.
 */
import * as pulumi from "@pulumi/pulumi";
import * as rds from "../../provider";
import {
  listBackups,
  newestUsableBackup,
  checkFreshBackup,
  escapeControl,
  withoutDownloadLinks,
  type Backup,
} from "../../sdk";

export function program(db: { id: pulumi.Output<string> }): void {
  const backups = rds.getBackupsOutput({
    dbInstanceId: db.id,
    backupStatus: "Success",
    startTime: "2026-11-20T00:00:00Z",
  });
  const latestId: pulumi.Output<string | undefined> = backups.latest.apply((b) => b?.backupId);
  const count: pulumi.Output<number> = backups.totalCount;
  const sizes: pulumi.Output<number[]> = backups.backups.apply((list) => list.map((b) => b.backupSize));

  const gate = rds.requireFreshBackup({ dbInstanceId: "rm-uf6wjk5xxxxxxx", maxAge: "24h" });
  // null only when an override let a deployment through with no usable backup at all.
  const protectedBy: pulumi.Output<string | null> = gate.backupId;
  const requirement: pulumi.Output<string> = gate.checked;
  const overridden: pulumi.Output<rds.GateOverrideRecord | null> = gate.override;
  new pulumi.ComponentResource("example:Migration", "schema-v42", { requirement }, { dependsOn: [gate] });

  // Values from pulumi.all(...).apply are Pulumi's `Unwrap` of the types: a BackupSet must stay
  // assignable to its unwrapped self, or this type guard fails to compile (TS2677).
  const usable = (b: rds.BackupSet | undefined): b is rds.BackupSet => b !== undefined && b.isAvail;
  const newestUsableId = pulumi.all([backups.latest, backups.totalCount]).apply(([latest, total]) => {
    const isBackupSet = (value: typeof latest): value is rds.BackupSet => value !== undefined && total > 0;
    return isBackupSet(latest) && usable(latest) ? latest.encryption : undefined;
  });

  const promised: Promise<rds.GetBackupsResult> = rds.getBackups({
    dbInstanceId: "rm-uf6wjk5xxxxxxx",
    backupType: "FullBackup",
  });
  void [latestId, count, sizes, protectedBy, overridden, promised, newestUsableId];
}

export async function plainTypeScript(): Promise<Backup | undefined> {
  const list = await listBackups(
    { dbInstanceId: "rm-uf6wjk5xxxxxxx", startTime: new Date(Date.now() - 86_400_000) },
    { region: "cn-hangzhou" },
  );
  const verdict = await checkFreshBackup({ dbInstanceId: "rm-uf6wjk5xxxxxxx", maxAge: "24h" });
  void verdict.fresh;
  const withLinks = await listBackups({ dbInstanceId: "rm-uf6wjk5xxxxxxx" }, { includeDownloadUrls: true });
  const shown: string = escapeControl(withoutDownloadLinks(withLinks.backups[0]!).backupId);
  void shown;
  return newestUsableBackup(list.backups);
}
