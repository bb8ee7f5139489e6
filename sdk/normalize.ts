/**
 * Raw DescribeBackups JSON → BackupPage. Every wire quirk handled here, in one pure function:
 * - counts (`PageNumber`, `PageRecordCount`, `TotalRecordCount`) arrive as JSON strings → numbers;
 * - times arrive as `yyyy-MM-ddTHH:mm:ssZ` (and `yyyy-MM-ddTHH:mmZ`) → always `yyyy-MM-ddTHH:mm:ssZ`;
 * - `ConsistentTime` is epoch seconds and 0 means "not set" (not 1970) → ISO or absent;
 * - `IsAvail` 1/0 → boolean; `CopyOnlyBackup` "0"/"1" → boolean; `StorageClass` "0"/"1" → word;
 * - `MetaStatus` "" → absent; download URLs "" / "null" / null → absent;
 * - `BackupDownloadLinkByDB.BackupDownloadLinkByDB[]` (the doubled wrapper) → one flat array;
 * - `Encryption` is JSON text → parsed object. When it is not a JSON object the backup is still
 *   returned (a gate must not fail on an unrelated field): `encryption` is {} and the text is
 *   kept, untouched, in `encryptionRaw`.
 * Anything of the wrong type throws RdsResponseError naming the field, value and request id.
 */
import type { Backup, BackupPage, DatabaseDownloadLink, JsonObject } from "./types";
import {
  BACKUP_INITIATORS,
  BACKUP_METHODS,
  BACKUP_MODES,
  BACKUP_STATUSES,
  BACKUP_TYPES,
  ENGINES,
  META_STATUSES,
  STORE_STATUSES,
} from "./types";
import { RdsResponseError } from "./errors";
import { epochSecondsToIso, parseApiTime } from "./time";
import { WireReader } from "./wire-reader";

function time(r: WireReader, key: string): string {
  const iso = parseApiTime(r.string(key));
  return iso ?? r.reject(key, "a UTC time yyyy-MM-ddTHH:mm:ssZ");
}

function optionalTime(r: WireReader, key: string): string | undefined {
  return r.has(key) ? time(r, key) : undefined;
}

function encryption(r: WireReader): { encryption: JsonObject; encryptionRaw?: string } {
  const text = r.optionalString("Encryption");
  if (text === undefined) return { encryption: {} };
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed === "object" && parsed !== null && !Array.isArray(parsed))
      return { encryption: parsed as JsonObject };
  } catch {
    // not JSON: kept raw below
  }
  return { encryption: {}, encryptionRaw: text };
}

function links(r: WireReader): DatabaseDownloadLink[] {
  return r
    .child("BackupDownloadLinkByDB")
    .array("BackupDownloadLinkByDB")
    .map((l) => ({
      database: l.string("DataBase"),
      ...defined({ downloadLink: l.url("DownloadLink"), intranetDownloadLink: l.url("IntranetDownloadLink") }),
    }));
}

/** Drops undefined members, so absent fields are absent (not `key: undefined`). */
function defined<T extends Record<string, unknown>>(o: T): Partial<T> {
  for (const k of Object.keys(o)) if (o[k] === undefined) delete o[k];
  return o;
}

/** One `Items.Backup[]` element. */
function normalizeBackup(r: WireReader): Backup {
  const consistent = r.optionalInteger("ConsistentTime");
  const isAvail = r.integer("IsAvail");
  if (isAvail > 1) r.reject("IsAvail", "1 or 0");
  return {
    backupId: r.string("BackupId"),
    dbInstanceId: r.string("DBInstanceId"),
    backupStatus: r.oneOf("BackupStatus", BACKUP_STATUSES),
    backupStartTime: time(r, "BackupStartTime"),
    backupEndTime: time(r, "BackupEndTime"),
    backupType: r.oneOf("BackupType", BACKUP_TYPES),
    backupMethod: r.oneOf("BackupMethod", BACKUP_METHODS),
    backupMode: r.oneOf("BackupMode", BACKUP_MODES),
    backupSize: r.integer("BackupSize"),
    downloadLinksByDatabase: links(r),
    isAvail: isAvail === 1,
    ...encryption(r),
    ...defined({
      backupInitiator: r.optionalOneOf("BackupInitiator", BACKUP_INITIATORS),
      backupDownloadUrl: r.url("BackupDownloadURL"),
      backupIntranetDownloadUrl: r.url("BackupIntranetDownloadURL"),
      checksum: r.optionalString("Checksum"),
      consistentTime: consistent === undefined ? undefined : epochSecondsToIso(consistent),
      copyOnlyBackup: r.flag("CopyOnlyBackup", { "0": false, "1": true }),
      engine: r.optionalOneOf("Engine", ENGINES),
      engineVersion: r.optionalString("EngineVersion"),
      hostInstanceId: r.optionalString("HostInstanceID"),
      metaStatus: r.optionalOneOf("MetaStatus", META_STATUSES),
      storageClass: r.flag("StorageClass", { "0": "Standard", "1": "Archive" } as const),
      storeStatus: r.optionalOneOf("StoreStatus", STORE_STATUSES),
      expectExpireTime: optionalTime(r, "ExpectExpireTime"),
    }),
  };
}

/**
 * The whole body. `requested` gives what the response does not carry (the page size) and the
 * fallbacks for counts the API may omit.
 */
export function normalizePage(
  body: unknown,
  requested: { pageSize: number; pageNumber: number } = { pageSize: 100, pageNumber: 1 },
): BackupPage {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw new RdsResponseError("(body)", body, "", "a JSON object");
  }
  const raw = body as Record<string, unknown>;
  const requestId = typeof raw["RequestId"] === "string" ? raw["RequestId"] : "";
  const r = new WireReader(raw, "", requestId);
  const backups = r.child("Items").array("Backup").map(normalizeBackup);
  return {
    backups,
    pageNumber: r.optionalInteger("PageNumber") ?? requested.pageNumber,
    pageSize: requested.pageSize,
    pageRecordCount: r.optionalInteger("PageRecordCount") ?? backups.length,
    totalRecordCount: r.integer("TotalRecordCount"),
    totalEcsSnapshotSize: r.optionalInteger("TotalEcsSnapshotSize") ?? 0,
    requestId,
  };
}
