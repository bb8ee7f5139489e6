/**
 * "fetched 300/1,204 backups..." on stderr, for people waiting on a long listing. Silent
 * unless stderr is a terminal, and silent for the first moment (most listings finish before
 * anything is drawn). The line is erased when the listing ends, so nothing is left behind.
 */
import { formatCount } from "./format/human";
import type { Io } from "./io";

/** Milliseconds before the first line is drawn. */
const PROGRESS_DELAY_MS = 800;
/** Milliseconds between redraws: a terminal line, not a log. */
const REDRAW_MS = 100;

interface Progress {
  /** Adds to the counts: `received` backups, and `total` more expected when the caller knows. */
  add(received: number, total?: number): void;
  /** Erases the line. Call it before printing results or errors. */
  done(): void;
}

export function startProgress(io: Io, delayMs = PROGRESS_DELAY_MS): Progress {
  const started = Date.now();
  let received = 0;
  let total = 0;
  let drawn = false;
  let lastDraw = 0;
  let lastText = "";
  const enabled = io.stderrIsTTY;
  const draw = (force = false): void => {
    const now = Date.now();
    if (!enabled || now - started < delayMs || (!force && now - lastDraw < REDRAW_MS)) return;
    const of = total > 0 ? `/${formatCount(Math.max(total, received))}` : "";
    const text = `fetched ${formatCount(received)}${of} backup${received === 1 && !of ? "" : "s"}...`;
    if (text === lastText) return;
    io.err(`\r\u001b[2K${text}`);
    drawn = true;
    lastDraw = now;
    lastText = text;
  };
  const timer = enabled ? setInterval(() => draw(true), 250) : undefined;
  timer?.unref();
  return {
    add(n, more) {
      received += n;
      if (more !== undefined) total += more;
      draw();
    },
    done() {
      if (timer) clearInterval(timer);
      if (drawn) io.err("\r\u001b[2K");
    },
  };
}
