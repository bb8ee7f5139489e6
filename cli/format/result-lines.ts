/**
 * The one-line-per-instance output of `check` and `ensure`: a status label, then the message,
 * which starts with the instance id (errors get it put first). The message is escaped once more
 * here, whatever it quotes: no control character reaches the terminal raw.
 */
import { escapeControl } from "../../sdk/internal";

/**
 * The one vocabulary of a result's `status` in the JSON of `check` and `ensure`: the same word
 * for the same meaning in both (check uses fresh, stale, recoverable, unrecoverable, error; ensure
 * fresh, taken, joined, failed, timeout, error).
 */
export const RESULT_STATUSES = {
  fresh: "a usable backup ended within --max-age (ensure: nothing was taken)",
  stale: "the newest usable backup is older than --max-age, or there is none (check only)",
  recoverable: "the point in time can be restored to within --recoverable-within (check only)",
  unrecoverable: "a condition of a restore to the point in time fails, named with its figure (check only)",
  taken: "ensure took a backup and it is usable",
  joined: "ensure waited for a backup job that was already running (or the one --job-id names)",
  failed: "the backup job ended Failed, or without a usable backup (the job id is named)",
  timeout: "not done within --timeout (the job id is named when there is one; it may still finish)",
  error: "the API could not be read, refused the call, or answered what cannot be right",
} as const;
export type ResultStatus = keyof typeof RESULT_STATUSES;

/** The --help lines that list `statuses`: `  fresh    a usable backup ...`. */
export function statusHelp(statuses: readonly ResultStatus[]): string {
  return statuses.map((s) => `  ${s.padEnd(13)} ${RESULT_STATUSES[s]}`).join("\n");
}

interface ResultLine<S extends string> {
  readonly instance: string;
  readonly status: S;
  readonly message: string;
}

export function renderResultLines<S extends string>(
  results: readonly ResultLine<S>[],
  labels: Readonly<Record<S, string>>,
): string {
  return results
    .map((r) => {
      const text = escapeControl(r.message.split("\n").join(" "));
      return `${labels[r.status]} ${text.startsWith(`${r.instance}:`) ? text : `${r.instance}: ${text}`}\n`;
    })
    .join("");
}
