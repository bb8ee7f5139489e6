/**
 * Any thrown value → the line printed on stderr and the exit code. The sdk's messages already
 * say what to do and never hold a secret; validation failures are re-worded to name flags.
 * Each printed line is escaped once more (escapeControl): whatever an error quotes, no control
 * character reaches the terminal raw.
 */
import { RdsBackupsError, RdsValidationError } from "../sdk";
import { escapeControl, quoteServerText } from "../sdk/display-text";
import { ExitError } from "./exit-error";
import type { Painter } from "./format/color";
import { describeFailures } from "./query";

export function exitCodeOf(err: unknown): number {
  return err instanceof ExitError ? err.code : 2;
}

/** The message alone (no "error:" prefix). */
export function errorText(err: unknown): string {
  if (err instanceof RdsValidationError) return describeFailures(err.failures);
  // The sdk's advice names its options ("option region"); here they are flags.
  if (err instanceof RdsBackupsError) return err.message.replace(/\boption (region|endpoint|profile)\b/g, "--$1");
  if (err instanceof ExitError) return err.message;
  if (err instanceof Error) return `unexpected ${err.name}: ${quoteServerText(err.message)}`;
  return `unexpected failure: ${quoteServerText(String(err))}`;
}

/** What the entry point prints on stderr for `err` ("" when the command already reported). */
export function errorReport(err: unknown, paint?: Painter): string {
  const text = errorText(err);
  const label = paint ? paint.red("error:") : "error:";
  return text ? text.split("\n").map((line) => `${label} ${escapeControl(line)}\n`).join("") : "";
}
