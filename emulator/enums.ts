/**
 * The emulator's own copy of DescribeBackups' value lists and formats. Deliberately not
 * imported from sdk/: if the client's copy drifts, tests against the emulator catch it.
 */
export const BACKUP_STATUSES: readonly string[] = ["Success", "Failed"];
export const BACKUP_MODES: readonly string[] = ["Automated", "Manual"];
export const BACKUP_TYPES: readonly string[] = ["FullBackup", "IncrementalBackup"];
export const BACKUP_METHODS: readonly string[] = ["Logical", "Physical", "Snapshot"];
export const BACKUP_INITIATORS: readonly string[] = ["System", "User"];
export const ENGINES: readonly string[] = ["MySQL", "SQLServer", "PostgreSQL", "MariaDB"];
/** "" is a valid MetaStatus: not usable for single db/table restore. */
export const META_STATUSES: readonly string[] = ["OK", "LARGE", "EMPTY", ""];
export const STORE_STATUSES: readonly string[] = ["Enabled", "Disabled"];
export const STORAGE_CLASSES: readonly string[] = ["0", "1"];
export const PAGE_SIZES: readonly number[] = [30, 50, 100];
export const DEFAULT_PAGE_SIZE = 30;

/** Request times: `yyyy-MM-ddTHH:mmZ`, minutes only. */
export const REQUEST_MINUTE = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})Z$/;
/** Response times: `yyyy-MM-ddTHH:mm:ssZ`. */
export const RESPONSE_SECOND = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})Z$/;

/** Parses a UTC time that matched one of the formats above; undefined for impossible dates. */
export function parseUtc(value: string, format: RegExp): number | undefined {
  const m = format.exec(value);
  if (!m) return undefined;
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number) as [number, number, number, number, number, number?];
  const ms = Date.UTC(y, mo - 1, d, h, mi, s ?? 0);
  const back = new Date(ms);
  // Date.UTC rolls Feb 30 over into March: reject instead of guessing.
  const ok =
    back.getUTCFullYear() === y &&
    back.getUTCMonth() === mo - 1 &&
    back.getUTCDate() === d &&
    h < 24 &&
    mi < 60 &&
    (s ?? 0) < 60;
  return ok ? ms : undefined;
}

/** `yyyy-MM-ddTHH:mm:ssZ` from epoch ms. */
export function formatSecond(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19) + "Z";
}
