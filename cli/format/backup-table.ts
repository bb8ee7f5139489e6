/**
 * The terminal table of backups shared by `list` and `latest`. Times are UTC (the header
 * says so), AGE is measured from the end time, SIZE is 1024-based.
 */
import type { Backup } from "../../sdk/internal";
import type { Painter } from "./color";
import { formatAge, formatSize, formatTime } from "./human";
import { renderTable, type Column } from "./table";

export interface BackupRow {
  /** The instance id asked for. */
  readonly instance: string;
  readonly backup: Backup;
}

interface BackupTableOptions {
  readonly withInstance: boolean;
  readonly showDownloadUrls: boolean;
  readonly now: Date;
  readonly paint: Painter;
}

export function renderBackupTable(rows: readonly BackupRow[], options: BackupTableOptions): string {
  const { paint } = options;
  const columns: Column[] = [
    ...(options.withInstance ? [{ header: "INSTANCE" }] : []),
    { header: "ID" },
    {
      header: "STATUS",
      paint: (padded, raw) => (raw === "Success" ? padded : paint.red(padded)),
    },
    { header: "TYPE" },
    { header: "METHOD" },
    { header: "MODE" },
    { header: "START (UTC)" },
    { header: "END (UTC)" },
    { header: "AGE", align: "right" },
    { header: "SIZE (1024)", align: "right" },
    { header: "AVAILABLE", paint: (padded, raw) => (raw === "yes" ? padded : paint.yellow(padded)) },
    ...(options.showDownloadUrls ? [{ header: "DOWNLOAD URL" }] : []),
  ];
  const cells = rows.map(({ instance, backup: b }) => [
    ...(options.withInstance ? [instance] : []),
    b.backupId,
    b.backupStatus,
    b.backupType,
    b.backupMethod,
    b.backupMode,
    formatTime(b.backupStartTime),
    formatTime(b.backupEndTime),
    formatAge(b.backupEndTime, options.now),
    formatSize(b.backupSize),
    b.isAvail ? "yes" : "no",
    ...(options.showDownloadUrls ? [b.backupDownloadUrl ?? "-"] : []),
  ]);
  return renderTable(columns, cells, { color: paint.enabled, paintHeader: paint.bold });
}
