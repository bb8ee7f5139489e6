/**
 * An aligned text table for a terminal: a header row, then one row per record, columns
 * separated by two spaces, numbers right-aligned. Widths are measured on the plain text;
 * colour (if any) is applied after padding so escape codes never break the alignment. Cells
 * hold text from the API: control characters in them are shown escaped (sdk's escapeControl),
 * so a cell can neither drive the terminal nor break its row.
 */
import { escapeControl } from "../../sdk/internal";

export interface Column {
  readonly header: string;
  readonly align?: "left" | "right";
  /** Colours a padded cell (e.g. a red "Failed"). Called only when colour is on. */
  readonly paint?: (padded: string, raw: string) => string;
}

interface TableOptions {
  /** Wraps the padded header line, e.g. in bold. Identity when colour is off. */
  readonly paintHeader?: (line: string) => string;
  readonly color?: boolean;
}

/** Renders rows (each a cell per column) as lines ending in "\n". No trailing spaces. */
export function renderTable(
  columns: readonly Column[],
  rawRows: readonly (readonly string[])[],
  options: TableOptions = {},
): string {
  const rows = rawRows.map((r) => r.map(escapeControl));
  const widths = columns.map((c, i) => Math.max(width(c.header), ...rows.map((r) => width(r[i] ?? ""))));
  const line = (cells: readonly string[], paint: boolean): string =>
    cells
      .map((cell, i) => {
        const col = columns[i];
        const last = i === columns.length - 1;
        const padded = pad(cell, widths[i] ?? 0, col?.align ?? "left", last);
        return paint && col?.paint ? col.paint(padded, cell) : padded;
      })
      .join("  ")
      .replace(/\s+$/, "");
  const header = line(
    columns.map((c) => c.header),
    false,
  );
  const paintHeader = options.color && options.paintHeader ? options.paintHeader : (s: string) => s;
  const out = [paintHeader(header), ...rows.map((r) => line(r, options.color === true))];
  return out.map((l) => l + "\n").join("");
}

function pad(text: string, size: number, align: "left" | "right", last: boolean): string {
  const gap = " ".repeat(Math.max(0, size - width(text)));
  if (align === "right") return gap + text;
  return last ? text : text + gap;
}

/** Display width: code points (our cells are ASCII apart from the odd instance name). */
function width(text: string): number {
  return Array.from(text).length;
}
