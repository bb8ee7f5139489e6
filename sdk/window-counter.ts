/**
 * Events per second over a sliding window, in fixed-size slots: O(1) memory and time whatever the
 * rate. The rate limiter counts its successful answers (the rate the service accepts) and its
 * sends with it.
 */

/** Slots per window: the window slides in steps of 1/20 of its length (50 ms for one second). */
const SLOTS = 20;

export class WindowCounter {
  private readonly counts = new Float64Array(SLOTS);
  private readonly stamps = new Float64Array(SLOTS).fill(-Infinity);
  constructor(private readonly windowMs: number) {}

  /** One event at `t`, ms. */
  add(t: number): void {
    const slotMs = this.windowMs / SLOTS;
    const k = Math.floor(t / slotMs);
    const i = ((k % SLOTS) + SLOTS) % SLOTS;
    if (this.stamps[i] !== k) {
      this.stamps[i] = k;
      this.counts[i] = 0;
    }
    this.counts[i] = (this.counts[i] ?? 0) + 1;
  }

  /** Events per second over the window ending at `t`. */
  rate(t: number): number {
    const slotMs = this.windowMs / SLOTS;
    const k = Math.floor(t / slotMs);
    let n = 0;
    for (let i = 0; i < SLOTS; i++) if ((this.stamps[i] ?? -Infinity) > k - SLOTS) n += this.counts[i] ?? 0;
    return (n * 1000) / this.windowMs;
  }
}
