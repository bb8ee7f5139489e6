/**
 * A Backup as the CLI prints it for scripts: exactly the sdk's camelCase field names, in a
 * fixed order, with the pre-signed download links removed unless the user asked for them.
 */
import { type Backup, DOWNLOAD_URL_FIELDS, withoutDownloadLinks } from "../../sdk/internal";

/** Every `Backup` field in output order. Links are only present with --show-download-urls. */
export const BACKUP_FIELDS = [
  "backupId",
  "dbInstanceId",
  "backupStatus",
  "backupStartTime",
  "backupEndTime",
  "backupType",
  "backupMethod",
  "backupMode",
  "backupInitiator",
  "backupSize",
  "isAvail",
  "engine",
  "engineVersion",
  "hostInstanceId",
  "checksum",
  "consistentTime",
  "copyOnlyBackup",
  "encryption",
  "metaStatus",
  "storageClass",
  "storeStatus",
  "expectExpireTime",
  "downloadLinksByDatabase",
  "backupDownloadUrl",
  "backupIntranetDownloadUrl",
] as const satisfies readonly (keyof Backup)[];

const URL_FIELDS: ReadonlySet<string> = new Set(DOWNLOAD_URL_FIELDS);

interface RecordOptions {
  /** Include the pre-signed links (they grant access to the whole database). */
  readonly showDownloadUrls: boolean;
  /** Add an `instance` field first (the instance id asked for), when several were listed. */
  readonly withInstance: boolean;
}

/** The field names of `toRecord`'s output, in order: the CSV header. */
export function recordFields(options: RecordOptions): string[] {
  const fields: string[] = BACKUP_FIELDS.filter((f) => options.showDownloadUrls || !URL_FIELDS.has(f));
  return options.withInstance ? ["instance", ...fields] : fields;
}

/**
 * A plain object for JSON/CSV. Absent optional fields stay absent (JSON) or empty (CSV);
 * without showDownloadUrls, per-database entries keep only their `database` name.
 */
export function toRecord(backup: Backup, instance: string, options: RecordOptions): Record<string, unknown> {
  const shown = options.showDownloadUrls ? backup : withoutDownloadLinks(backup);
  const out: Record<string, unknown> = {};
  if (options.withInstance) out.instance = instance;
  for (const field of BACKUP_FIELDS) {
    const value: unknown = shown[field];
    if (value !== undefined) out[field] = value;
  }
  return out;
}

/** Newest first by start time; ties broken by backup id (descending), so output is stable. */
export function compareNewestFirst(a: Backup, b: Backup): number {
  const byStart = Date.parse(b.backupStartTime) - Date.parse(a.backupStartTime);
  if (byStart !== 0 && !Number.isNaN(byStart)) return byStart;
  return b.backupId.localeCompare(a.backupId, "en", { numeric: true });
}
