/** `rds-backups list`: every matching backup of one or more instances, newest first. */
import { escapeControl } from "../../sdk/display-text";
import type { ConnectionOptions } from "../../sdk/types";
import { renderBackupTable, type BackupRow } from "../format/backup-table";
import { renderCsv } from "../format/csv";
import { renderJson, renderNdjson } from "../format/json";
import { compareNewestFirst, recordFields, toRecord } from "../format/records";
import type { Io } from "../io";
import { buildQueries, type FilterFlags } from "../query";
import { fetchAll } from "../fetch-backups";

export type ListOutput = "table" | "json" | "ndjson" | "csv";

export interface ListOptions {
  readonly instances: readonly string[];
  readonly filters: FilterFlags;
  readonly output: ListOutput;
  /** Only the backup ids, one per line. */
  readonly quiet: boolean;
  readonly showDownloadUrls: boolean;
  readonly connection: ConnectionOptions;
}

export async function list(options: ListOptions, io: Io): Promise<void> {
  const queries = buildQueries(options.instances, options.filters, io.now());
  const fetched = await fetchAll(queries, options.connection, io, options.showDownloadUrls);
  const rows: BackupRow[] = fetched
    .flatMap(({ instance, backups }) => backups.map((backup) => ({ instance, backup })))
    .sort((a, b) => compareNewestFirst(a.backup, b.backup));
  io.out(
    renderRows(rows, {
      ...options,
      withInstance: queries.length > 1,
      now: io.now(),
      io,
    }),
  );
}

export interface RenderRowsOptions {
  readonly output: ListOutput;
  readonly quiet: boolean;
  readonly showDownloadUrls: boolean;
  readonly withInstance: boolean;
  readonly now: Date;
  readonly io: Io;
}

/** The rows in the chosen format; shared with `latest`. */
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
