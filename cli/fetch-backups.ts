/**
 * Reads every backup of several instances (bounded concurrency) through the sdk's stream
 * (deduplicated, never a silent partial list) of queries checked already, counting them for the progress
 * line as they arrive. Used by `list`; `latest` and `check` ask the sdk for their answer.
 */
import { type Backup, type ConnectionOptions, iterateValidatedBackups, type ValidatedQuery } from "../sdk/internal";
import type { Io } from "./io";
import { mapBounded } from "./pool";
import { startProgress } from "./progress";

/** Instances read at the same time (the sdk's shared rate limiter bounds the calls anyway). */
export const INSTANCE_CONCURRENCY = 4;

interface InstanceBackups {
  readonly instance: string;
  readonly backups: readonly Backup[];
}

export async function fetchAll(
  queries: readonly ValidatedQuery[],
  connection: ConnectionOptions,
  io: Io,
  includeDownloadUrls = false,
): Promise<InstanceBackups[]> {
  const progress = startProgress(io);
  try {
    return await mapBounded(queries, INSTANCE_CONCURRENCY, async (query) => {
      const backups: Backup[] = [];
      for await (const backup of iterateValidatedBackups(query, { ...connection, includeDownloadUrls })) {
        backups.push(backup);
        progress.add(1);
      }
      return { instance: query.dbInstanceId, backups };
    });
  } finally {
    progress.done();
  }
}
