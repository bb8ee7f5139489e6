import { backupUrls, databaseUrls } from "./download-urls";
import { formatSecond } from "./enums";
import type { GeneratedEngine } from "./engine-profiles";
import type { Rng } from "./rng";
import type { RawBackup, RawDownloadLinkByDB } from "./types";

/** Facts about one generated instance that every one of its sets shares. */
export interface InstanceFacts {
  readonly id: string;
  readonly engine: GeneratedEngine;
  readonly engineVersion: string;
  readonly regionId: string;
  readonly method: "Physical" | "Snapshot";
  /** The `custins` number in backup paths. */
  readonly custins: string;
  /** Primary and secondary node ids (`HostInstanceID`). */
  readonly hostIds: readonly [string, string];
  readonly databases: readonly string[];
  /** `Encryption`: "{}" or a JSON text naming the key. */
  readonly encryption: string;
  /** Typical full backup size, bytes. */
  readonly fullSize: number;
  /** `Expires` of pre-signed links, epoch seconds. */
  readonly expiresSec: number;
  readonly nowMs: number;
}

/** One scheduled set, before its fields are drawn. */
export interface Slot {
  readonly backupId: string;
  readonly startMs: number;
  readonly type: "FullBackup" | "IncrementalBackup";
  readonly mode: "Automated" | "Manual";
  readonly failed: boolean;
}

const DAY_MS = 24 * 3600 * 1000;

/** Draws every field of one `Items.Backup[]` element, engine quirks included. */
export function makeBackup(rng: Rng, inst: InstanceFacts, slot: Slot, endMs: number, size: number): RawBackup {
  const ok = !slot.failed;
  const hostId = rng.chance(0.8) ? inst.hostIds[1] : inst.hostIds[0];
  const sqlServer = inst.engine === "SQLServer";
  // SQL Server snapshot sets cannot be downloaded whole: no URL, but per-database links.
  const downloadable = ok && !(sqlServer && inst.method === "Snapshot");
  const urls = downloadable
    ? backupUrls(rng, inst.regionId, inst.custins, hostId, slot.startMs, inst.expiresSec)
    : undefined;
  const links: RawDownloadLinkByDB[] =
    ok && sqlServer
      ? inst.databases.map((db) => {
          const u = databaseUrls(rng, inst.regionId, inst.custins, hostId, slot.startMs, inst.expiresSec, db);
          return { DataBase: db, DownloadLink: u.publicUrl, IntranetDownloadLink: u.intranetUrl };
        })
      : [];
  const backup: RawBackup = {
    BackupDownloadLinkByDB: { BackupDownloadLinkByDB: links },
    BackupDownloadURL: urls?.publicUrl ?? "",
    BackupEndTime: formatSecond(endMs),
    BackupId: slot.backupId,
    BackupInitiator: slot.mode === "Automated" ? "System" : "User",
    BackupIntranetDownloadURL: urls?.intranetUrl ?? "",
    BackupMethod: inst.method,
    BackupMode: slot.mode,
    BackupSize: ok ? size : 0,
    BackupStartTime: formatSecond(slot.startMs),
    BackupStatus: ok ? "Success" : "Failed",
    BackupType: slot.type,
    Checksum: ok ? String(rng.int(1_000_000_000, 9_999_999_999)) + String(rng.int(100_000_000, 999_999_999)) : "",
    // Epoch seconds on MySQL 5.6 only; 0 means "not set" everywhere else.
    ConsistentTime:
      ok && inst.engine === "MySQL" && inst.engineVersion === "5.6" ? Math.floor(endMs / 1000) - rng.int(1, 40) : 0,
    DBInstanceId: inst.id,
    Encryption: inst.encryption,
    Engine: inst.engine,
    EngineVersion: inst.engineVersion,
    HostInstanceID: hostId,
    IsAvail: ok ? 1 : 0,
    MetaStatus: !ok ? "EMPTY" : rng.chance(0.9) ? "OK" : rng.pick(["LARGE", ""]),
    // Old sets move to archive storage.
    StorageClass: ok && inst.nowMs - slot.startMs > 30 * DAY_MS && rng.chance(0.3) ? "1" : "0",
    StoreStatus: slot.mode === "Automated" ? "Disabled" : "Enabled",
  };
  if (sqlServer) {
    backup.CopyOnlyBackup = slot.mode === "Manual" && slot.type === "FullBackup" && rng.chance(0.3) ? "1" : "0";
    if (ok && slot.mode === "Manual") backup.ExpectExpireTime = formatSecond(endMs + 7 * DAY_MS);
  }
  return backup;
}
