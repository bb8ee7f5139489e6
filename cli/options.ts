/**
 * The options shared by several commands (global settings, filters, output), declared once
 * for commands.ts. Descriptions here are the --help text.
 */
import { BACKUP_MODES, BACKUP_STATUSES, BACKUP_TYPES } from "../sdk/internal";

export interface OptionDecl {
  readonly name: string;
  readonly short?: string;
  readonly type: "string" | "boolean";
  /** Placeholder in help, e.g. `<duration>`. */
  readonly value?: string;
  readonly description: string;
  /** Allowed values, listed in help; checked by the parser unless `sdkField` is set. */
  readonly choices?: readonly string[];
  /** The sdk input this flag fills (`backupStatus`): the sdk validates it and its messages are reused. */
  readonly sdkField?: string;
}

/** Settings every command (but `emulator`) accepts, as aliyun CLI users know them. */
export const GLOBAL_OPTIONS: readonly OptionDecl[] = [
  { name: "region", sdkField: "region", type: "string", value: "<id>", description: "Region id, e.g. cn-hangzhou (default: $ALIBABA_CLOUD_REGION_ID, then cn-hangzhou). Picks the endpoint." },
  { name: "profile", sdkField: "profile", type: "string", value: "<name>", description: "aliyun CLI profile for credentials (~/.aliyun/config.json; default: $ALIBABA_CLOUD_PROFILE or the current one)." },
  { name: "endpoint", sdkField: "endpoint", type: "string", value: "<url|host>", description: "API endpoint, a URL (http://127.0.0.1:9000) or a host name (HTTPS). Default: $ALIBABA_CLOUD_RDS_ENDPOINT, then the region's." },
  { name: "help", short: "h", type: "boolean", description: "Show this help." },
];

export const FILTERS: readonly OptionDecl[] = [
  { name: "status", sdkField: "backupStatus", type: "string", value: "<status>", choices: BACKUP_STATUSES, description: "Only backups with this status." },
  { name: "mode", sdkField: "backupMode", type: "string", value: "<mode>", choices: BACKUP_MODES, description: "Only automated or manual backups." },
  { name: "type", sdkField: "backupType", type: "string", value: "<type>", choices: BACKUP_TYPES, description: "Only full or incremental backups." },
  { name: "backup-id", sdkField: "backupId", type: "string", value: "<id>", description: "Only this backup set." },
  { name: "since", type: "string", value: "<duration>", description: "Only backups started in the last <duration>, with its unit (7d, 1w, 24h, 90m, 1h30m); same as --start now-<duration>." },
  { name: "start", sdkField: "startTime", type: "string", value: "<time>", description: "Window start, ISO 8601 with an offset (2026-11-01T00:00Z). Rounded down to the minute." },
  { name: "end", sdkField: "endTime", type: "string", value: "<time>", description: "Window end, ISO 8601 with an offset. Rounded up to the minute." },
];

export const OUTPUT: OptionDecl = {
  name: "output", short: "o", type: "string", value: "<format>", choices: ["table", "json", "ndjson", "csv"],
  description: "table (for people, default), json (one array), ndjson (one object per line), csv (RFC 4180, header, CRLF). Field names are the sdk's Backup names.",
};
export const SHOW_URLS: OptionDecl = {
  name: "show-download-urls", type: "boolean",
  description: "Include the pre-signed download links (hidden by default: anyone holding one can download the whole database).",
};
export const QUIET: OptionDecl = { name: "quiet", short: "q", type: "boolean", description: "Print only backup ids, one per line." };

