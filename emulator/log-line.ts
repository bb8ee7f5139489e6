/** Longest request value a log line shows; the rest is cut with a count, so a huge value cannot flood the log. */
const MAX_LOGGED_CHARS = 80;

/**
 * A request value made safe for one log line: control characters (C0, DEL, C1, the Unicode line
 * and paragraph separators), spaces and backslashes are escaped, so a value can neither end the
 * line, move the cursor, nor pass for another field (`keepSpaces` for free text such as an
 * error message at the end of a line). Never used on secrets: they are not logged.
 */
export function logValue(value: string | undefined, options: { keepSpaces?: boolean } = {}): string {
  if (value === undefined || value === "") return "-";
  const cut = value.length > MAX_LOGGED_CHARS ? value.slice(0, MAX_LOGGED_CHARS) : value;
  const unsafe = options.keepSpaces
    ? /[\u0000-\u001f\u007f-\u009f\u2028\u2029\\]/g
    : /[\u0000-\u0020\u007f-\u009f\u2028\u2029\\]/g;
  const escaped = cut.replace(unsafe, (c) => {
    const named: Record<string, string> = { "\n": "\\n", "\r": "\\r", "\t": "\\t", "\\": "\\\\" };
    const code = c.charCodeAt(0);
    return (
      named[c] ??
      (code > 0xff ? `\\u${code.toString(16).padStart(4, "0")}` : `\\x${code.toString(16).padStart(2, "0")}`)
    );
  });
  return cut === value ? escaped : `${escaped}...(+${value.length - MAX_LOGGED_CHARS} chars)`;
}
