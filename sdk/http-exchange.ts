/**
 * Bounds on each HTTP exchange the official SDK makes for us, applied from outside the SDK (it
 * offers no hook): the SDK reads whole bodies with no size limit, lets a body drip forever until
 * its socket timer aborts it (which it then reports as a reset, "check network access"), and
 * drops the response headers of an error (`Retry-After`, `Location`).
 *
 * How: transport.ts runs each call inside `withExchange(limits, …)` (an AsyncLocalStorage); the
 * request that the SDK creates within it is recognised on Node's `http.client.request.start`
 * diagnostics channel, and its response on `http.client.response.finish` (published just before
 * the SDK sees the response). Requests made outside `withExchange` (the caller's own) are not
 * touched. Per exchange:
 * - the body is counted as it arrives and destroyed once it passes `maxBodyBytes` (at once if
 *   Content-Length already says so): `tooLarge` records what was cut;
 * - a time-out of `readTimeoutMs` starts when the socket is connected, as the SDK's own does,
 *   but covers the body too and ends the exchange as a time-out (`timedOut`);
 * - the status and the headers the SDK drops are recorded.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import * as diagnostics from "node:diagnostics_channel";
import type { ClientRequest, IncomingMessage } from "node:http";
import type { Socket } from "node:net";

interface ExchangeLimits {
  /** Largest response body read, bytes. */
  readonly maxBodyBytes: number;
  /** Time from the connection to the end of the body, milliseconds. */
  readonly readTimeoutMs: number;
}

/** What happened on the wire during one SDK call (the last exchange, if the SDK made several). */
export interface ExchangeRecord {
  status?: number;
  /** Raw header values the SDK does not pass on. */
  retryAfter?: string;
  location?: string;
  /** Set when the body was cut: the bytes read when it was, and the Content-Length if one was sent. */
  tooLarge?: { readonly receivedBytes: number; readonly contentLength?: number };
  /** When the read time-out runs out, ms since the epoch (set once connected). */
  readDeadline?: number;
  timedOut?: boolean;
  /** When the status line and headers arrived, and when the last byte of the body did, ms since the epoch. */
  headersAt?: number;
  lastByteAt?: number;
  /** Body bytes received so far, and whether the body ended. */
  bodyBytes?: number;
  bodyComplete?: boolean;
}

interface Exchange {
  readonly limits: ExchangeLimits;
  readonly record: ExchangeRecord;
}

const current = new AsyncLocalStorage<Exchange>();
const byRequest = new WeakMap<ClientRequest, Exchange>();

/** An error the SDK passes through untouched and errorFacts() reads as a time-out. */
function timeoutError(ms: number): Error {
  return Object.assign(new Error(`ReadTimeout(${ms}): the answer did not complete within ${ms} ms`), {
    name: "RequestTimeoutError",
  });
}

function tooLargeError(maxBytes: number): Error {
  return Object.assign(new Error(`the response body passed the ${maxBytes}-byte cap and was cut`), {
    code: "ResponseTooLarge",
  });
}

function onRequest(request: ClientRequest, ex: Exchange): void {
  let timer: NodeJS.Timeout | undefined;
  let response: IncomingMessage | undefined;
  const stop = (): void => {
    if (timer) clearTimeout(timer);
    timer = undefined;
  };
  const start = (): void => {
    ex.record.readDeadline = Date.now() + ex.limits.readTimeoutMs;
    timer = setTimeout(() => {
      ex.record.timedOut = true;
      const err = timeoutError(ex.limits.readTimeoutMs);
      if (response) response.destroy(err);
      request.destroy(err);
    }, ex.limits.readTimeoutMs);
    timer.unref();
  };
  // The SDK's socket timer runs out at about the same time and aborts the response, which then
  // reads as a reset: `readDeadline` lets transport.ts tell that reset for the time-out it is.
  const onSocket = (socket: Socket): void => {
    if (socket.connecting) socket.once("connect", start);
    else start();
  };
  // Node publishes the request when it is sent: its socket may already be assigned.
  if (request.socket) onSocket(request.socket);
  else request.once("socket", onSocket);
  request.once("close", stop);
  request.once("response", (res: IncomingMessage) => {
    response = res;
    res.once("end", stop);
    res.once("close", stop);
  });
}

/**
 * Ends a response with `err` once the SDK listens to it: the SDK attaches its listeners a few
 * promise turns after the headers, and an error emitted before that would have no listener.
 */
function cut(response: IncomingMessage, err: Error): void {
  response.on("error", () => undefined); // the SDK's own listener reports it
  setImmediate(() => response.destroy(err));
}

function onResponse(response: IncomingMessage, ex: Exchange): void {
  const { record, limits } = ex;
  record.status = response.statusCode;
  record.headersAt = Date.now();
  record.bodyBytes = 0;
  response.once("end", () => {
    record.bodyComplete = true;
  });
  const header = (name: string): string | undefined => {
    const v = response.headers[name];
    return typeof v === "string" ? v : undefined;
  };
  const retryAfter = header("retry-after");
  const location = header("location");
  if (retryAfter !== undefined) record.retryAfter = retryAfter;
  if (location !== undefined) record.location = location;
  const declared = Number(header("content-length"));
  const contentLength = Number.isSafeInteger(declared) && declared >= 0 ? declared : undefined;
  if (contentLength !== undefined && contentLength > limits.maxBodyBytes) {
    record.tooLarge = { receivedBytes: 0, contentLength };
    response.push = () => false; // keep nothing of it
    cut(response, tooLargeError(limits.maxBodyBytes));
    return;
  }
  // Count bytes where the HTTP parser hands them over, without changing how the SDK reads.
  let received = 0;
  const push = response.push.bind(response);
  response.push = (chunk: unknown, encoding?: BufferEncoding): boolean => {
    if (record.tooLarge) return false;
    if (chunk !== null && (Buffer.isBuffer(chunk) || typeof chunk === "string")) {
      received += chunk.length;
      record.bodyBytes = received;
      record.lastByteAt = Date.now();
      if (received > limits.maxBodyBytes) {
        record.tooLarge = { receivedBytes: received, ...(contentLength !== undefined ? { contentLength } : {}) };
        cut(response, tooLargeError(limits.maxBodyBytes));
        return false;
      }
    }
    return push(chunk, encoding);
  };
}

let subscribed = false;
function subscribe(): void {
  if (subscribed) return;
  subscribed = true;
  diagnostics.subscribe("http.client.request.start", (message) => {
    const ex = current.getStore();
    if (!ex) return;
    const { request } = message as { request: ClientRequest };
    byRequest.set(request, ex);
    onRequest(request, ex);
  });
  diagnostics.subscribe("http.client.response.finish", (message) => {
    const { request, response } = message as { request: ClientRequest; response: IncomingMessage };
    const ex = byRequest.get(request);
    if (ex) onResponse(response, ex);
  });
}

/** Two timers set for the same moment fire a few milliseconds apart on a busy loop. */
const DEADLINE_SLACK_MS = 50;

/** True when a failure came at or after the exchange's read deadline: the time-out ended it, whoever fired first. */
export function pastReadDeadline(record: ExchangeRecord, now: number): boolean {
  return (
    record.timedOut === true || (record.readDeadline !== undefined && now >= record.readDeadline - DEADLINE_SLACK_MS)
  );
}

/**
 * True when the body stopped coming: the headers arrived, the body did not end, and nothing came
 * for `idleMs` (the SDK's socket idle timer, which then aborts the response as a reset).
 */
export function stalledAfterHeaders(record: ExchangeRecord, now: number, idleMs: number): boolean {
  if (record.headersAt === undefined || record.bodyComplete === true) return false;
  return now - (record.lastByteAt ?? record.headersAt) >= idleMs - DEADLINE_SLACK_MS;
}

/** Runs one SDK call with these limits on every HTTP exchange it makes; `record` is filled as it goes. */
export function withExchange<T>(limits: ExchangeLimits, record: ExchangeRecord, call: () => Promise<T>): Promise<T> {
  subscribe();
  return current.run({ limits, record }, call);
}

/**
 * `Retry-After` as milliseconds from `now`: delay-seconds or an HTTP date (RFC 9110 10.2.3);
 * undefined when absent or unreadable. A date in the past is 0.
 */
export function retryAfterMs(value: string | undefined, now: number): number | undefined {
  if (value === undefined) return undefined;
  const v = value.trim();
  if (/^\d{1,10}$/.test(v)) return Number(v) * 1000;
  if (v.length > 64) return undefined;
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
