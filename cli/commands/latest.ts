/**
 * `rds-backups latest`: the newest usable backup (Success and available, newest by end time)
 * of each instance. Exit 1 when an instance has none, 2 when an instance could not be read;
 * the backups that were found are printed either way.
 */
import { type Backup, type ConnectionOptions, escapeControl, findNewestValidatedBackup } from "../../sdk/internal";
import { ExitError } from "../exit-error";
import { INSTANCE_CONCURRENCY } from "../fetch-backups";
import { renderRows, type ListOutput } from "../format/backup-rows";
import type { BackupRow } from "../format/backup-table";
import type { Io } from "../io";
import { mapBounded } from "../pool";
import { buildQueries, type FilterFlags } from "../query";
import { errorText } from "../report-error";

interface LatestOptions {
  readonly instances: readonly string[];
  /** Every filter but `status` (a usable backup is a successful one). */
  readonly filters: Omit<FilterFlags, "status">;
  readonly output: ListOutput;
  readonly quiet: boolean;
  readonly showDownloadUrls: boolean;
  readonly connection: ConnectionOptions;
}

type Outcome = { instance: string; backup?: Backup; error?: unknown };

export async function latest(options: LatestOptions, io: Io): Promise<void> {
  const queries = buildQueries(options.instances, options.filters, io.now());
  const outcomes = await mapBounded(queries, INSTANCE_CONCURRENCY, async (query): Promise<Outcome> => {
    try {
      return {
        instance: query.dbInstanceId,
        backup: await findNewestValidatedBackup(query, {
          ...options.connection,
          includeDownloadUrls: options.showDownloadUrls,
        }),
      };
    } catch (error) {
      return { instance: query.dbInstanceId, error };
    }
  });
  const rows: BackupRow[] = outcomes.flatMap((o) => (o.backup ? [{ instance: o.instance, backup: o.backup }] : []));
  const withInstance = queries.length > 1;
  if (rows.length > 0 || options.output !== "table") {
    io.out(renderRows(rows, { ...options, withInstance, now: io.now(), io }));
  }
  let code = 0;
  for (const o of outcomes) {
    if (o.error !== undefined) {
      io.err(
        `${io.paintErr.red("error:")} ${o.instance}: ${escapeControl(errorText(o.error).split("\n").join(" "))}\n`,
      );
      code = 2;
    } else if (!o.backup) {
      io.err(`${o.instance}: no usable backup (status Success and available${windowText(options.filters)})\n`);
      code = Math.max(code, 1);
    }
  }
  if (code !== 0) throw new ExitError(code);
}

function windowText(f: LatestOptions["filters"]): string {
  const parts = [
    f.type && `type ${f.type}`,
    f.mode && `mode ${f.mode}`,
    f["backup-id"] && `backup id ${f["backup-id"]}`,
    f.since && `started in the last ${f.since}`,
    f.start && `started after ${f.start}`,
    f.end && `started before ${f.end}`,
  ].filter(Boolean);
  return parts.length > 0 ? `; ${parts.join(", ")}` : "";
}
