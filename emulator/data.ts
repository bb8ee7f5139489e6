import { readFileSync } from "node:fs";
import {
  BACKUP_INITIATORS,
  BACKUP_METHODS,
  BACKUP_MODES,
  BACKUP_STATUSES,
  BACKUP_TYPES,
  ENGINES,
  META_STATUSES,
  RESPONSE_SECOND,
  STORAGE_CLASSES,
  STORE_STATUSES,
  parseUtc,
} from "./enums";
import { REMOTE_STATUSES } from "./log-backups";
import type { AccessKeyEntry, EmulatorData, InstanceData, RawBackup, RawBackupPolicy, RawBinlogFile } from "./types";

/** A data file or object that does not fit the contract; the message names the path of the fault. */
export class DataError extends Error {
  override name = "DataError";
}

type Rule =
  | { type: "string"; values?: readonly string[]; time?: boolean }
  | { type: "integer" }
  | { type: "links" }
  | { type: "boolean" };
const str = (values?: readonly string[]): Rule => (values ? { type: "string", values } : { type: "string" });

/** Every field of `Items.Backup[]` the API documents; anything else is a typo in the data. */
const FIELDS: Record<keyof RawBackup, Rule> = {
  BackupId: str(),
  DBInstanceId: str(),
  BackupStatus: str(BACKUP_STATUSES),
  BackupStartTime: { type: "string", time: true },
  BackupEndTime: { type: "string", time: true },
  BackupType: str(BACKUP_TYPES),
  BackupMethod: str(BACKUP_METHODS),
  BackupMode: str(BACKUP_MODES),
  BackupInitiator: str(BACKUP_INITIATORS),
  BackupSize: { type: "integer" },
  BackupDownloadURL: str(),
  BackupIntranetDownloadURL: str(),
  BackupDownloadLinkByDB: { type: "links" },
  Checksum: str(),
  ConsistentTime: { type: "integer" },
  CopyOnlyBackup: str(["0", "1"]),
  Encryption: str(),
  Engine: str(ENGINES),
  EngineVersion: str(),
  HostInstanceID: str(),
  IsAvail: { type: "integer" },
  MetaStatus: str(META_STATUSES),
  StorageClass: str(STORAGE_CLASSES),
  StoreStatus: str(STORE_STATUSES),
  ExpectExpireTime: str(),
};
const REQUIRED: readonly (keyof RawBackup)[] = [
  "BackupId",
  "DBInstanceId",
  "BackupStatus",
  "BackupStartTime",
  "BackupEndTime",
  "BackupType",
  "BackupMethod",
  "BackupMode",
  "BackupSize",
];

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

function checkField(path: string, value: unknown, rule: Rule): void {
  if (rule.type === "boolean") {
    if (typeof value !== "boolean")
      throw new DataError(`${path}: expected true or false, got ${JSON.stringify(value)}`);
  } else if (rule.type === "integer") {
    if (!Number.isSafeInteger(value)) throw new DataError(`${path}: expected an integer, got ${JSON.stringify(value)}`);
  } else if (rule.type === "string") {
    if (typeof value !== "string") throw new DataError(`${path}: expected a string, got ${JSON.stringify(value)}`);
    if (rule.values && !rule.values.includes(value))
      throw new DataError(
        `${path}: ${JSON.stringify(value)} is not one of ${rule.values.map((v) => JSON.stringify(v)).join(", ")}`,
      );
    if (rule.time && parseUtc(value, RESPONSE_SECOND) === undefined)
      throw new DataError(`${path}: expected yyyy-MM-ddTHH:mm:ssZ, got ${JSON.stringify(value)}`);
  } else {
    const list = isObject(value) ? value.BackupDownloadLinkByDB : undefined;
    if (!Array.isArray(list)) throw new DataError(`${path}: expected {"BackupDownloadLinkByDB": [...]}`);
    list.forEach((link, i) => {
      if (!isObject(link) || typeof link.DataBase !== "string")
        throw new DataError(`${path}.BackupDownloadLinkByDB[${i}]: needs a string DataBase`);
    });
  }
}

/** Checks one raw backup against the API's element shape; returns it typed. */
export function validateBackup(value: unknown, path: string, instanceId?: string): RawBackup {
  if (!isObject(value)) throw new DataError(`${path}: expected an object`);
  for (const name of REQUIRED) if (!(name in value)) throw new DataError(`${path}: missing ${name}`);
  for (const [name, v] of Object.entries(value)) {
    const rule = (FIELDS as Record<string, Rule>)[name];
    if (!rule) throw new DataError(`${path}: unknown field ${name} (fields are the API's, PascalCase)`);
    checkField(`${path}.${name}`, v, rule);
  }
  if (instanceId !== undefined && value.DBInstanceId !== instanceId)
    throw new DataError(
      `${path}.DBInstanceId: ${JSON.stringify(value.DBInstanceId)} differs from its instance ${instanceId}`,
    );
  return value as unknown as RawBackup;
}

/** DescribeBackupPolicy's fields, as the API types them; any may be left to the engine's default. */
const POLICY_FIELDS: Record<keyof RawBackupPolicy, Rule> = {
  BackupRetentionPeriod: { type: "integer" },
  PreferredBackupTime: str(),
  PreferredBackupPeriod: str(),
  PreferredNextBackupTime: str(),
  BackupLog: str(["Enable", "Disabled"]),
  EnableBackupLog: str(["1", "0"]),
  LogBackupRetentionPeriod: { type: "integer" },
  LocalLogRetentionHours: { type: "integer" },
  LocalLogRetentionSpace: str(),
  HighSpaceUsageProtection: str(),
  LogBackupFrequency: str(),
  BackupMethod: str(),
  Category: str(),
  CompressType: str(),
  ReleasedKeepPolicy: str(),
  ArchiveBackupRetentionPeriod: str(),
  ArchiveBackupKeepPolicy: str(),
  ArchiveBackupKeepCount: str(),
  EnableIncrementDataBackup: { type: "boolean" },
};

/** Checks a (partial) backup policy; `BackupLog` and `EnableBackupLog` must agree when both are given. */
export function validateBackupPolicy(value: unknown, path: string): Partial<RawBackupPolicy> {
  if (!isObject(value)) throw new DataError(`${path}: expected an object of DescribeBackupPolicy fields`);
  for (const [name, v] of Object.entries(value)) {
    const rule = (POLICY_FIELDS as Record<string, Rule>)[name];
    if (!rule) throw new DataError(`${path}: unknown field ${name} (fields are the API's, PascalCase)`);
    checkField(`${path}.${name}`, v, rule);
  }
  if (
    value.BackupLog !== undefined &&
    value.EnableBackupLog !== undefined &&
    (value.BackupLog === "Enable") !== (value.EnableBackupLog === "1")
  )
    throw new DataError(
      `${path}: BackupLog ${String(value.BackupLog)} and EnableBackupLog ${String(value.EnableBackupLog)} disagree`,
    );
  return value as Partial<RawBackupPolicy>;
}

const LOG_FILE_FIELDS: Record<keyof RawBinlogFile, Rule> = {
  FileSize: { type: "integer" },
  LogBeginTime: { type: "string", time: true },
  LogEndTime: { type: "string", time: true },
  DownloadLink: str(),
  IntranetDownloadLink: str(),
  LinkExpiredTime: { type: "string", time: true },
  Checksum: str(),
  HostInstanceID: str(),
  LogFileName: str(),
  RemoteStatus: str(REMOTE_STATUSES),
};
const LOG_FILE_REQUIRED: readonly (keyof RawBinlogFile)[] = [
  "FileSize",
  "LogBeginTime",
  "LogEndTime",
  "HostInstanceID",
  "LogFileName",
  "RemoteStatus",
];

/** Checks log backup files against DescribeBinlogFiles' element shape. */
export function validateLogFiles(value: unknown, path: string): RawBinlogFile[] {
  if (!Array.isArray(value)) throw new DataError(`${path}: expected an array of log files`);
  return value.map((f, i) => {
    const at = `${path}[${i}]`;
    if (!isObject(f)) throw new DataError(`${at}: expected an object`);
    for (const name of LOG_FILE_REQUIRED) if (!(name in f)) throw new DataError(`${at}: missing ${name}`);
    for (const [name, v] of Object.entries(f)) {
      const rule = (LOG_FILE_FIELDS as Record<string, Rule>)[name];
      if (!rule) throw new DataError(`${at}: unknown field ${name} (fields are the API's, PascalCase)`);
      checkField(`${at}.${name}`, v, rule);
    }
    if (String(f.LogEndTime) < String(f.LogBeginTime))
      throw new DataError(`${at}.LogEndTime: ${String(f.LogEndTime)} is before LogBeginTime ${String(f.LogBeginTime)}`);
    return f as unknown as RawBinlogFile;
  });
}

function validateKey(id: string, raw: unknown): string | AccessKeyEntry {
  const path = `accessKeys.${id}`;
  if (typeof raw === "string" && raw !== "") return raw;
  if (!isObject(raw) || typeof raw.secret !== "string" || raw.secret === "")
    throw new DataError(`${path}: expected a secret string or { secret, instances?, securityToken?, expiresAt? }`);
  if (
    raw.instances !== undefined &&
    !(Array.isArray(raw.instances) && raw.instances.every((i) => typeof i === "string"))
  )
    throw new DataError(`${path}.instances: expected an array of instance ids`);
  if (raw.securityToken !== undefined && typeof raw.securityToken !== "string")
    throw new DataError(`${path}.securityToken: expected a string`);
  if (raw.expiresAt !== undefined && (typeof raw.expiresAt !== "string" || Number.isNaN(Date.parse(raw.expiresAt))))
    throw new DataError(`${path}.expiresAt: expected an ISO-8601 date`);
  return raw as unknown as AccessKeyEntry;
}

const isSeconds = (v: unknown): v is number =>
  typeof v === "number" && Number.isFinite(v) && v >= 0 && v <= 7 * 24 * 3600;

/** The optional per-instance fields that drive CreateBackup; absent ones stay absent. */
function instanceSettings(raw: Record<string, unknown>, path: string): Omit<InstanceData, "regionId" | "backups"> {
  const known = new Set([
    "regionId",
    "backups",
    "status",
    "engine",
    "backupDurationSeconds",
    "backupVisibilityLagSeconds",
    "failBackups",
    "backupPolicy",
    "binlogFiles",
  ]);
  for (const name of Object.keys(raw))
    if (!known.has(name)) throw new DataError(`${path}: unknown field ${name} (allowed: ${[...known].join(", ")})`);
  const out: Omit<InstanceData, "regionId" | "backups"> = {};
  if (raw.status !== undefined) {
    if (typeof raw.status !== "string" || !/^[A-Za-z_]{1,40}$/.test(raw.status))
      throw new DataError(
        `${path}.status: expected an instance status such as "Running" or "Rebooting", got ${JSON.stringify(raw.status)}`,
      );
    out.status = raw.status;
  }
  if (raw.engine !== undefined) {
    if (typeof raw.engine !== "string" || !ENGINES.includes(raw.engine))
      throw new DataError(`${path}.engine: ${JSON.stringify(raw.engine)} is not one of ${ENGINES.join(", ")}`);
    out.engine = raw.engine;
  }
  for (const name of ["backupDurationSeconds", "backupVisibilityLagSeconds"] as const) {
    if (raw[name] === undefined) continue;
    if (!isSeconds(raw[name]))
      throw new DataError(`${path}.${name}: expected seconds from 0 to 604800, got ${JSON.stringify(raw[name])}`);
    out[name] = raw[name];
  }
  if (raw.failBackups !== undefined) {
    if (typeof raw.failBackups !== "boolean")
      throw new DataError(`${path}.failBackups: expected true or false, got ${JSON.stringify(raw.failBackups)}`);
    out.failBackups = raw.failBackups;
  }
  if (raw.backupPolicy !== undefined) out.backupPolicy = validateBackupPolicy(raw.backupPolicy, `${path}.backupPolicy`);
  if (raw.binlogFiles !== undefined) out.binlogFiles = validateLogFiles(raw.binlogFiles, `${path}.binlogFiles`);
  return out;
}

/** Validates a data object (from a file or built in a test) with errors that name the faulty path. */
export function validateData(value: unknown): EmulatorData {
  if (!isObject(value)) throw new DataError("data: expected an object with accessKeys and instances");
  if (!isObject(value.accessKeys))
    throw new DataError("accessKeys: expected an object { <AccessKeyId>: secret | {...} }");
  if (!isObject(value.instances))
    throw new DataError("instances: expected an object { <DBInstanceId>: { regionId, backups } }");
  const accessKeys: EmulatorData["accessKeys"] = {};
  for (const [id, raw] of Object.entries(value.accessKeys)) accessKeys[id] = validateKey(id, raw);
  const instances: Record<string, InstanceData> = {};
  for (const [id, raw] of Object.entries(value.instances)) {
    const path = `instances.${id}`;
    if (!isObject(raw) || typeof raw.regionId !== "string" || !Array.isArray(raw.backups))
      throw new DataError(`${path}: expected { regionId: string, backups: [...] }`);
    const seen = new Set<string>();
    const backups = raw.backups.map((b, i) => {
      const backup = validateBackup(b, `${path}.backups[${i}]`, id);
      if (seen.has(backup.BackupId))
        throw new DataError(`${path}.backups[${i}].BackupId: duplicate ${backup.BackupId}`);
      seen.add(backup.BackupId);
      return backup;
    });
    instances[id] = { regionId: raw.regionId, backups, ...instanceSettings(raw, path) };
  }
  return { accessKeys, instances };
}

/** Reads and validates a data file. */
export function loadData(path: string): EmulatorData {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (err) {
    throw new DataError(`${path}: cannot read (${(err as Error).message})`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new DataError(`${path}: not JSON (${(err as Error).message})`);
  }
  try {
    return validateData(parsed);
  } catch (err) {
    throw err instanceof DataError ? new DataError(`${path}: ${err.message}`) : err;
  }
}
