/** `rds-backups list`: every matching backup of one or more instances, newest first. */
import type { ConnectionOptions } from "../../sdk/internal";
import { fetchAll } from "../fetch-backups";
import { renderRows, type ListOutput } from "../format/backup-rows";
import type { BackupRow } from "../format/backup-table";
import { compareNewestFirst } from "../format/records";
import type { Io } from "../io";
import { buildQueries, type FilterFlags } from "../query";

interface ListOptions {
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
