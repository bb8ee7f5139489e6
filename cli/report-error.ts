/**
 * Any thrown value → the line printed on stderr and the exit code. The sdk's messages already
 * say what to do and never hold a secret; validation failures are re-worded to name flags.
 * Each printed line is escaped once more (escapeControl): whatever an error quotes, no control
 * character reaches the terminal raw.
 */
import { escapeControl, quoteServerText, RdsApiError, RdsBackupsError, RdsValidationError } from "../sdk/internal";
import { ExitError } from "./exit-error";
import type { Painter } from "./format/color";
import { describeFailures } from "./query";

export function exitCodeOf(err: unknown): number {
  return err instanceof ExitError ? err.code : 2;
}

const NO_CREDENTIALS =
  "no Alibaba Cloud credentials found. Set ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET " +
  "(and ALIBABA_CLOUD_SECURITY_TOKEN for STS keys), or name an aliyun CLI profile with --profile or ALIBABA_CLOUD_PROFILE, " +
  "or write ~/.alibabacloud/credentials; on ECS, attach a RAM role. See 'rds-backups --help' (Environment).";

/** The message alone (no "error:" prefix). */
export function errorText(err: unknown): string {
  if (err instanceof RdsValidationError) return describeFailures(err.failures);
  // The credential chain's own text lists every provider it tried, with their internals: the
  // user needs to know where this command looks, in the words of its --help.
  if (err instanceof RdsApiError && err.code === "CredentialsUnavailable") {
    // A source that was configured but failed (a profile without keys, an expired OIDC token) is
    // worth naming. The sdk's text says which it tried and why ("label: reason; ..."); the reasons
    // can quote a file or a URL, so only the labels are shown here.
    const tried = /\btried (.*?)(?:; not configured|$)/.exec(err.message)?.[1];
    const labels = tried
      ?.split("; ")
      .map((t) => t.split(": ")[0])
      .join(", ");
    return labels ? `${NO_CREDENTIALS} Configured but gave none: ${labels}.` : NO_CREDENTIALS;
  }
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
  return text
    ? text
        .split("\n")
        .map((line) => `${label} ${escapeControl(line)}\n`)
        .join("")
    : "";
}
