/**
 * A user-facing failure: the message is printed on stderr by the entry point and the
 * process exits with `code`. Commands throw it; only `main.ts` calls `process.exit`.
 *
 * Exit codes (the same for every command):
 *   0  success
 *   1  the answer is "no": a stale or missing backup (check, latest)
 *   2  the question could not be answered: bad input, unknown flag, API or network error
 */
export class ExitError extends Error {
  override readonly name = "ExitError";

  /**
   * @param code    the process exit code
   * @param message printed on stderr as `error: <message>`; empty when the command already
   *                printed what it had to say
   */
  constructor(
    readonly code: number,
    message = "",
  ) {
    super(message);
  }
}

/** Bad input (exit 2). */
export function usageError(message: string): ExitError {
  return new ExitError(2, message);
}
