/** The backups of `list` and `latest`, one row each, in the format the user chose. */
import { escapeControl } from "../../sdk/internal";
import type { Io } from "../io";
import { renderBackupTable, type BackupRow } from "./backup-table";
import { renderCsv } from "./csv";
import { renderJson, renderNdjson } from "./json";
import { recordFields, toRecord } from "./records";

export type ListOutput = "table" | "json" | "ndjson" | "csv";

interface RenderRowsOptions {
  readonly output: ListOutput;
  readonly quiet: boolean;
  readonly showDownloadUrls: boolean;
  readonly withInstance: boolean;
  readonly now: Date;
  readonly io: Io;
}

/** The rows in the chosen format. */
export function renderRows(rows: readonly BackupRow[], o: RenderRowsOptions): string {
  if (o.quiet) return rows.map((r) => escapeControl(r.backup.backupId) + "\n").join("");
  const recordOptions = { showDownloadUrls: o.showDownloadUrls, withInstance: o.withInstance };
  const records = () => rows.map((r) => toRecord(r.backup, r.instance, recordOptions));
  switch (o.output) {
    case "json":
      return renderJson(records());
    case "ndjson":
      return renderNdjson(records());
    case "csv":
      return renderCsv(recordFields(recordOptions), records());
    case "table":
      if (rows.length === 0) {
        o.io.err("no backups matched\n");
        return "";
      }
      return renderBackupTable(rows, { ...recordOptions, now: o.now, paint: o.io.paint });
  }
}
