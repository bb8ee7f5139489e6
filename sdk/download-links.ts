/**
 * Pre-signed download links are keys to a whole database's data: every consumer (the sdk's
 * results, the provider's outputs, the CLI's output) drops them unless the caller asked for them,
 * with this one function.
 */
import type { Backup, BackupPage } from "./types";

/** The Backup fields that hold a pre-signed link (besides the per-database links). */
export const DOWNLOAD_URL_FIELDS = [
  "backupDownloadUrl",
  "backupIntranetDownloadUrl",
] as const satisfies readonly (keyof Backup)[];

/** The backup without its links; per-database entries keep only their `database` name. */
export function withoutDownloadLinks(backup: Backup): Backup {
  const { backupDownloadUrl: _url, backupIntranetDownloadUrl: _intranet, ...rest } = backup;
  return { ...rest, downloadLinksByDatabase: backup.downloadLinksByDatabase.map(({ database }) => ({ database })) };
}

/** The page with every backup's links dropped. */
export function pageWithoutDownloadLinks(page: BackupPage): BackupPage {
  return { ...page, backups: page.backups.map(withoutDownloadLinks) };
}
