/**
 * Shared by the reliability suites: the emulator data they read, distinctive marker strings
 * (so that a leak is found by a plain substring search), and the figures table each suite
 * prints for docs/RELIABILITY.md.
 *
 * Figures: set RELIABILITY_REPORT=<file> and each suite appends its table (markdown) to that
 * file when it ends; without it nothing is printed.
 */
import * as fs from "fs";
import type { EmulatorData, RawBackup } from "../../emulator/types";
import { rawBackup } from "../provider/fixtures";

/** Markers: each is searched for verbatim in everything a suite captures. */
export const KEY_ID = "LTAI5tRelKeyMARKERid";
export const SECRET = "relSECRETmarker9Qx7Vb2";
export const STS_KEY_ID = "STS.RelKeyMARKERsts";
export const STS_SECRET = "relSTSsecretMARKER4Hd8";
export const STS_TOKEN = "relTOKENmarkerCAIS8e1f3b";
export const EXPIRED_KEY_ID = "STS.RelExpiredKey";
export const EXPIRED_SECRET = "relEXPIREDsecretMARKER";
export const EXPIRED_TOKEN = "relEXPIREDtokenMARKER77";
/** Every download URL of the data holds this. */
export const URL_MARKER = "presignedURLmarkerZZ";

/** 250 backups (three pages of 100), one ending every hour; the newest usable one ended 2 h ago. */
export const INSTANCE = "rm-rel01";
/** Newest usable backup 40 h ago: stale for a 24 h gate. */
export const STALE_INSTANCE = "rm-relstale01";
export const HOUR = 3_600_000;

export function backupOf(
  instance: string,
  id: string,
  endedHoursAgo: number,
  now: number,
  over: Partial<RawBackup> = {},
): RawBackup {
  return rawBackup(
    id,
    endedHoursAgo,
    {
      DBInstanceId: instance,
      BackupDownloadURL: `https://rdsbak-hz.oss-cn-hangzhou.aliyuncs.com/${id}.tar.gz?Expires=1&OSSAccessKeyId=x&Signature=${URL_MARKER}-${id}`,
      BackupIntranetDownloadURL: `https://rdsbak-hz.oss-cn-hangzhou-internal.aliyuncs.com/${id}.tar.gz?Signature=${URL_MARKER}-in-${id}`,
      BackupDownloadLinkByDB: {
        BackupDownloadLinkByDB: [
          {
            DataBase: "orders",
            DownloadLink: `https://x.example/${URL_MARKER}-db-${id}`,
            IntranetDownloadLink: `https://y.example/${URL_MARKER}-dbin-${id}`,
          },
        ],
      },
      ...over,
    },
    now,
  );
}

export function reliabilityData(now = Date.now()): EmulatorData {
  const backups = Array.from({ length: 250 }, (_, i) => backupOf(INSTANCE, String(500000 + i), 2 + i, now));
  return {
    accessKeys: {
      [KEY_ID]: SECRET,
      [STS_KEY_ID]: { secret: STS_SECRET, securityToken: STS_TOKEN, expiresAt: new Date(now + 6 * HOUR).toISOString() },
      [EXPIRED_KEY_ID]: {
        secret: EXPIRED_SECRET,
        securityToken: EXPIRED_TOKEN,
        expiresAt: new Date(now - HOUR).toISOString(),
      },
    },
    instances: {
      [INSTANCE]: { regionId: "cn-hangzhou", backups },
      [STALE_INSTANCE]: { regionId: "cn-hangzhou", backups: [backupOf(STALE_INSTANCE, "700001", 40, now)] },
    },
  };
}

/** Every marker that must never be seen in anything printed, stored or thrown. */
export const SECRET_MARKERS = [SECRET, STS_SECRET, STS_TOKEN, EXPIRED_SECRET, EXPIRED_TOKEN, URL_MARKER] as const;

export function leakedMarkers(text: string): string[] {
  return SECRET_MARKERS.filter((m) => text.includes(m));
}

export async function rejection(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (e) {
    return e as Error;
  }
  throw new Error("expected a rejection, got a value");
}

/** A figures table: one row per probe, printed as markdown into $RELIABILITY_REPORT at the end. */
export class Figures {
  readonly rows: Array<Record<string, string | number>> = [];
  constructor(
    readonly title: string,
    readonly columns: readonly string[],
  ) {}

  add(row: Record<string, string | number | undefined>): void {
    this.rows.push(Object.fromEntries(this.columns.map((c) => [c, row[c] ?? ""])) as Record<string, string | number>);
  }

  markdown(): string {
    const esc = (v: string | number): string => String(v).replace(/\|/g, "\\|").replace(/\n/g, " ");
    return [
      `### ${this.title} (${this.rows.length} rows)`,
      "",
      `| ${this.columns.join(" | ")} |`,
      `|${this.columns.map(() => "---").join("|")}|`,
      ...this.rows.map((r) => `| ${this.columns.map((c) => esc(r[c] ?? "")).join(" | ")} |`),
      "",
    ].join("\n");
  }

  flush(): void {
    const file = process.env["RELIABILITY_REPORT"];
    if (file) fs.appendFileSync(file, this.markdown() + "\n");
  }
}

/** First line of a message, cut for a table cell. */
export function gist(message: string, max = 110): string {
  const line = message.split("\n")[0] ?? "";
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}
