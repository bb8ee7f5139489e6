/**
 * The one-line-per-instance output of `check` and `ensure`: a status label, then the message,
 * which starts with the instance id (errors get it put first). The message is escaped once more
 * here, whatever it quotes: no control character reaches the terminal raw.
 */
import { escapeControl } from "../../sdk/internal";

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
