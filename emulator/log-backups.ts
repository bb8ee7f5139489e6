/**
 * Log backups: the backup policy of an instance, the log files (binlog, WAL) a policy produces,
 * and the restore window they make. Generated data and the handlers share these rules, so the
 * window a client reads always follows from the sets and files it can list.
 */
import { logFileUrls } from "./download-urls";
import { formatSecond, parseUtc, RESPONSE_SECOND } from "./enums";
import type { Rng } from "./rng";
import type { RawBackup, RawBackupPolicy, RawBinlogFile } from "./types";

/** Engines whose log files and restore window the API serves; SQL Server has its own log APIs. */
export const LOG_BACKUP_ENGINES: readonly string[] = ["MySQL", "PostgreSQL", "MariaDB"];

/** Upload states of a log file (our choice of values: the reference lists none). */
export const REMOTE_STATUSES: readonly string[] = ["Completed", "Uploading", "Failed"];

const DAY_MS = 24 * 3600 * 1000;
const MINUTE_MS = 60_000;

/** The policy an instance has when its data says nothing: the service's defaults (log backup on, 7 days). */
export function defaultPolicy(engine: string): RawBackupPolicy {
  return {
    BackupRetentionPeriod: 7,
    PreferredBackupTime: "02:00Z-03:00Z",
    PreferredBackupPeriod: "Monday,Tuesday,Wednesday,Thursday,Friday,Saturday,Sunday",
    PreferredNextBackupTime: "",
    BackupLog: "Enable",
    EnableBackupLog: "1",
    LogBackupRetentionPeriod: 7,
    LocalLogRetentionHours: 18,
    LocalLogRetentionSpace: "30",
    HighSpaceUsageProtection: "Enable",
    LogBackupFrequency: engine === "SQLServer" ? "LogInterval" : "",
    BackupMethod: "Physical",
    Category: "Standard",
    CompressType: "4",
    ReleasedKeepPolicy: "None",
    ArchiveBackupRetentionPeriod: "0",
    ArchiveBackupKeepPolicy: "ByMonth",
    ArchiveBackupKeepCount: "1",
    EnableIncrementDataBackup: false,
  };
}

/** How generated log files deviate from a healthy chain. Times are hours before the generator's now. */
export interface LogChainSpec {
  /** Each file covers this many minutes. Default 60. */
  fileMinutes?: number;
  /** The newest file ended this many minutes before now. Default 5. */
  lagMinutes?: number;
  /** Stretches with no file: `{ fromHoursAgo: 30, toHoursAgo: 29 }` loses that hour. */
  gaps?: ReadonlyArray<{ fromHoursAgo: number; toHoursAgo: number }>;
  /** HA switch-overs: files that begin after each of these moments come from the other node. */
  hostSwitchesHoursAgo?: readonly number[];
  /** The newest N files are still being uploaded (`RemoteStatus` Uploading). Default 0. */
  uploadingFiles?: number;
  /** Files whose upload failed, by how many files before the newest (0 = the newest). */
  failedUploads?: readonly number[];
}

/**
 * The log files a policy produces over its log retention, oldest first: one every `fileMinutes`,
 * back to back on the current node, none when log backup is off or the engine has no such files.
 */
export function generateLogFiles(
  rng: Rng,
  inst: {
    readonly engine: string;
    readonly regionId: string;
    readonly custins: string;
    readonly hostIds: readonly [string, string];
    readonly expiresSec: number;
  },
  policy: RawBackupPolicy,
  nowMs: number,
  spec: LogChainSpec = {},
): RawBinlogFile[] {
  const { engine, hostIds } = inst;
  if (!LOG_BACKUP_ENGINES.includes(engine) || policy.BackupLog !== "Enable") return [];
  const step = (spec.fileMinutes ?? 60) * MINUTE_MS;
  const newestEnd = nowMs - (spec.lagMinutes ?? 5) * MINUTE_MS;
  const oldest = newestEnd - policy.LogBackupRetentionPeriod * DAY_MS;
  const hoursAgo = (ms: number) => (nowMs - ms) / (3600 * 1000);
  const inGap = (from: number, to: number) =>
    (spec.gaps ?? []).some((g) => hoursAgo(to) < g.fromHoursAgo && hoursAgo(from) > g.toHoursAgo);
  const switches = [...(spec.hostSwitchesHoursAgo ?? [])];
  const prefix = engine === "PostgreSQL" ? "" : "mysql-bin.";
  const files: RawBinlogFile[] = [];
  let sequence = rng.int(1_000, 9_000);
  for (let end = newestEnd; end - step >= oldest; end -= step) {
    const begin = end - step;
    if (inGap(begin, end)) continue;
    // Files after an odd number of switches come from the other node.
    const flips = switches.filter((h) => hoursAgo(begin) < h).length;
    files.push({
      FileSize: rng.int(2, 512) * 1024 * 1024,
      LogBeginTime: formatSecond(begin),
      LogEndTime: formatSecond(end),
      Checksum: String(rng.int(1_000_000_000, 9_999_999_999)) + String(rng.int(100_000_000, 999_999_999)),
      HostInstanceID: hostIds[flips % 2]!,
      LogFileName: "",
      RemoteStatus: "Completed",
    });
  }
  files.reverse();
  for (const f of files) {
    sequence += 1;
    // WAL segment names: timeline, log and segment as 8 hex digits each.
    f.LogFileName =
      prefix === ""
        ? `00000001${[Math.floor(sequence / 256), sequence % 256].map((n) => n.toString(16).toUpperCase().padStart(8, "0")).join("")}`
        : `${prefix}${String(sequence).padStart(6, "0")}`;
    const urls = logFileUrls(rng, inst.regionId, inst.custins, f.HostInstanceID, f.LogFileName, inst.expiresSec);
    f.DownloadLink = urls.publicUrl;
    f.IntranetDownloadLink = urls.intranetUrl;
    f.LinkExpiredTime = formatSecond(inst.expiresSec * 1000);
  }
  const n = files.length;
  for (let i = 0; i < Math.min(spec.uploadingFiles ?? 0, n); i++) files[n - 1 - i]!.RemoteStatus = "Uploading";
  for (const back of spec.failedUploads ?? []) if (files[n - 1 - back]) files[n - 1 - back]!.RemoteStatus = "Failed";
  return files;
}

/** The window an instance can be restored to: `undefined` when there is none. */
export interface RecoveryWindow {
  readonly beginMs: number;
  readonly endMs: number;
}

const at = (time: string) => parseUtc(time, RESPONSE_SECOND) ?? NaN;

/**
 * The restore window, derived from what the instance holds: from the end of its oldest usable
 * full set within data retention, to the end of the newest uploaded log file when log backup is
 * on (a restore may replay logs past a gap only up to the gap, but the service's window is
 * reported as one range, so a gap shows in the files, not here), else to its newest full set.
 */
export function recoveryWindow(
  backups: readonly RawBackup[],
  files: readonly RawBinlogFile[],
  policy: RawBackupPolicy,
  nowMs: number,
): RecoveryWindow | undefined {
  const since = nowMs - policy.BackupRetentionPeriod * DAY_MS;
  const fulls = backups
    .filter((b) => b.BackupStatus === "Success" && b.BackupType === "FullBackup" && (b.IsAvail ?? 1) === 1)
    .map((b) => at(b.BackupEndTime))
    .filter((end) => end >= since && end <= nowMs)
    .sort((a, b) => a - b);
  if (fulls.length === 0) return undefined;
  const beginMs = fulls[0]!;
  const uploaded = files.filter((f) => f.RemoteStatus === "Completed").map((f) => at(f.LogEndTime));
  const logEnd = policy.BackupLog === "Enable" && uploaded.length > 0 ? Math.max(...uploaded) : -Infinity;
  const endMs = Math.max(fulls[fulls.length - 1]!, Math.min(logEnd, nowMs));
  return { beginMs, endMs };
}
