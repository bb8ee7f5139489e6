/**
 * Text from outside (an API answer, a rejected input) made safe to show a human: the one place
 * that decides which characters a terminal must never receive raw, and how long a quote may be.
 *
 * A server's error message, a BackupId or an EngineVersion can hold characters a terminal acts
 * on instead of showing: ESC sequences that clear the screen, set the window title or recolour
 * what follows; `\r` that moves back to overwrite the start of an "ok" line; bidirectional
 * overrides that make text read in another order than it is stored. Every human-readable output
 * (CLI table, CSV, check lines, error messages, Pulumi errors) shows them escaped, as `\x1b`,
 * `\r`, `\u202e`. This is a display form, not a reversible encoding (a backslash is shown as
 * it is); JSON output carries the exact value.
 */

/**
 * C0 controls (tab and newline included: they break a table row or a one-line message), DEL, C1
 * controls, the line and paragraph separators, and the bidi marks, embeddings, overrides and
 * isolates (U+200E, U+200F, U+202A-U+202E, U+2066-U+2069).
 */
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
/** CONTROL without C0: JSON.stringify escapes C0 in strings, and its own layout uses `\n`. */
const LEFT_RAW_BY_JSON = /[\u007f-\u009f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
const SHORT: Readonly<Record<string, string>> = { "\t": "\\t", "\n": "\\n", "\r": "\\r" };

/** Longest quote of server text in a message, characters (before escaping). */
const MAX_QUOTED_CHARS = 500;

function escapeOne(ch: string): string {
  const code = ch.charCodeAt(0);
  return (
    SHORT[ch] ??
    (code <= 0xff ? `\\x${code.toString(16).padStart(2, "0")}` : `\\u${code.toString(16).padStart(4, "0")}`)
  );
}

/** `"ok\r\u001b[2JEVIL"` → `"ok\\r\\x1b[2JEVIL"`: every control character as a visible escape. */
export function escapeControl(text: string): string {
  return text.replace(CONTROL, escapeOne);
}

/** The first `maxChars` characters of `text` (never half a surrogate pair); `text` itself when short enough. */
export function headOf(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text;
  const end = /[\ud800-\udbff]/.test(text.charAt(maxChars - 1)) ? maxChars - 1 : maxChars;
  return text.slice(0, end);
}

/** What follows a cut quote: `… (5,242,880 characters, cut to 500)`. */
export function cutNote(text: string, maxChars: number): string {
  return `… (${text.length.toLocaleString("en-US")} characters, cut to ${maxChars})`;
}

/**
 * Server text ready to quote in a message: escaped, and cut to `maxChars` saying how long it
 * was, e.g. `Internal error: xxxx… (5,242,880 characters, cut to 500)`.
 */
export function quoteServerText(text: string, maxChars: number = MAX_QUOTED_CHARS): string {
  const head = headOf(text, maxChars);
  return head === text ? escapeControl(text) : escapeControl(head) + cutNote(text, maxChars);
}

/**
 * JSON text with the characters JSON.stringify leaves raw (DEL, C1, separators, bidi) written as
 * `\uXXXX`: still valid JSON with the same value, but nothing a terminal acts on. (JSON.stringify
 * already escapes C0 inside strings.) Those characters can only occur inside strings, so
 * replacing them everywhere is safe.
 */
export function escapeJsonText(json: string): string {
  return json.replace(LEFT_RAW_BY_JSON, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, "0")}`);
}
