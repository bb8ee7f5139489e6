/**
 * Remembers signature nonces for the replay window. A nonce is keyed by access key: two
 * accounts may pick the same nonce without colliding.
 */
export class NonceCache {
  /** Insertion order = time order (the emulator's clock only moves forward), so pruning stops early. */
  private readonly seen = new Map<string, number>();

  constructor(private readonly windowMs: number) {}

  /** Records the nonce; false when it was already used within the window. */
  use(accessKeyId: string, nonce: string, nowMs: number): boolean {
    this.prune(nowMs);
    const key = `${accessKeyId}\u0000${nonce}`;
    if (this.seen.has(key)) return false;
    this.seen.set(key, nowMs);
    return true;
  }

  private prune(nowMs: number): void {
    for (const [key, at] of this.seen) {
      if (nowMs - at <= this.windowMs) break;
      this.seen.delete(key);
    }
  }
}
