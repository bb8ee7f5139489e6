import { timingSafeEqual } from "node:crypto";

/**
 * Constant-time comparison of a computed and a presented signature. The length check leaks
 * only the length, which the algorithm fixes anyway.
 */
export function safeEqual(computed: Buffer, presented: Buffer): boolean {
  if (computed.length !== presented.length) return false;
  return timingSafeEqual(computed, presented);
}
