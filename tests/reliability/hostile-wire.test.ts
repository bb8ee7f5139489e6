/**
 * Answers no real endpoint should give, served by a plain HTTP server on 127.0.0.1 (the emulator
 * only gives well-formed ones) to the official SDK over real HTTP: each must end as a loud,
 * classified error or a correct retry, and each must be bounded in bytes and in time.
 * - a redirect (even with a valid JSON body) is never success;
 * - a body past the cap is cut, whether announced by Content-Length or not, and the error says so;
 * - 429 is throttling; Retry-After (seconds or an HTTP date) on 429/503 is honoured, within the cap;
 * - a body that stalls or drips is a time-out, not a reset.
 */
import { expect } from "chai";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { listBackups, RdsApiError, type ListOptions } from "../../sdk";
import { TokenBucketRateLimiter } from "../../sdk/rate-limiter";
import { StandardRetryPolicy } from "../../sdk/retry";
import type { RetryDecisionInput, RetryPolicy, RetryToken } from "../../sdk/retry";
import { Figures, gist } from "./helpers";

/** Figures for docs/RELIABILITY.md (RELIABILITY_REPORT=<file>): one row per hostile answer. */
const figures = new Figures("Hostile answers on the wire", [
  "answer",
  "outcome",
  "requests",
  "server bytes sent",
  "client heap growth",
  "message",
]);

const EMPTY_PAGE = JSON.stringify({
  RequestId: "REQ-OK",
  TotalRecordCount: 0,
  PageNumber: 1,
  PageRecordCount: 0,
  Items: { Backup: [] },
});
const creds = { accessKeyId: "LTAI5tHostileKey", accessKeySecret: "hostile-secret-7Kq" };

type Handler = (req: http.IncomingMessage, res: http.ServerResponse, n: number) => void;

async function serve(handler: Handler): Promise<{ url: string; requests: () => number; close: () => Promise<void> }> {
  let n = 0;
  const sockets = new Set<import("node:net").Socket>();
  const server = http.createServer((req, res) => {
    req.resume();
    req.on("end", () => handler(req, res, ++n));
  });
  server.on("connection", (s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests: () => n,
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}

/** The standard policy with no jitter, recording what it was asked to decide. */
class RecordingPolicy implements RetryPolicy {
  readonly seen: Array<RetryDecisionInput & { delayMs?: number }> = [];
  private readonly inner: StandardRetryPolicy;
  constructor(maxAttempts = 3, maxRetryAfterMs = 10_000) {
    this.inner = new StandardRetryPolicy({ maxAttempts, random: () => 0, maxRetryAfterMs });
  }
  get maxAttempts(): number {
    return this.inner.maxAttempts;
  }
  acquireToken(now: number): RetryToken {
    return this.inner.acquireToken(now);
  }
  refreshToken(token: RetryToken, failure: RetryDecisionInput, now: number) {
    const next = this.inner.refreshToken(token, failure, now);
    this.seen.push({ ...failure, ...(next ? { delayMs: next.delayMs } : {}) });
    return next;
  }
  recordSuccess(token: RetryToken): void {
    this.inner.recordSuccess(token);
  }
}

function options(url: string, extra: Partial<ListOptions> = {}): ListOptions {
  return {
    endpoint: url,
    credentials: creds,
    rateLimiter: new TokenBucketRateLimiter(),
    readTimeoutMs: 2_000,
    ...extra,
  };
}

async function failureOf(p: Promise<unknown>): Promise<RdsApiError> {
  try {
    await p;
  } catch (err) {
    expect(err).to.be.instanceOf(RdsApiError, String(err));
    return err as RdsApiError;
  }
  throw new Error("expected a failure, got a result");
}

describe("hostile answers on the wire (plain HTTP server, official SDK)", function () {
  this.timeout(60_000);
  let server: Awaited<ReturnType<typeof serve>> | undefined;
  afterEach(async () => server?.close());
  after(() => figures.flush());

  it("a 200 MB page with the default cap (16 MiB) is cut as it arrives: little read, little memory", async () => {
    let sent = 0;
    server = await serve((_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      const chunk = Buffer.alloc(256 * 1024, 0x20);
      const pump = (): void => {
        while (sent < 200 * 2 ** 20 && !res.destroyed) {
          sent += chunk.length;
          if (!res.write(chunk)) return void res.once("drain", pump);
        }
        res.end();
      };
      res.socket?.on("error", () => undefined);
      pump();
    });
    const heapBefore = process.memoryUsage().heapUsed;
    let peak = heapBefore;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().heapUsed)), 5);
    const err = await failureOf(
      listBackups({ dbInstanceId: "rm-hostile01" }, options(server.url, { retry: new RecordingPolicy(1) })),
    );
    clearInterval(sampler);
    expect(err.code).to.equal("ResponseTooLarge");
    expect(err.message).to.include(`${16 * 2 ** 20}-byte cap`);
    expect(sent, "the server could not push its 200 MB").to.be.below(100 * 2 ** 20);
    figures.add({
      answer: "200 OK, 200 MB body, chunked (default cap 16 MiB)",
      outcome: err.code,
      requests: server.requests(),
      "server bytes sent": `${(sent / 2 ** 20).toFixed(1)} MiB`,
      "client heap growth": `${((peak - heapBefore) / 2 ** 20).toFixed(1)} MiB (peak)`,
      message: gist(err.message, 200),
    });
  });

  it("a 302 with a valid JSON body is an error, not a result, and is not retried", async () => {
    server = await serve((_req, res) => {
      res.writeHead(302, {
        location: `https://login.example/portal?next=${"x".repeat(5_000)}`,
        "content-type": "application/json",
      });
      res.end(EMPTY_PAGE);
    });
    const retry = new RecordingPolicy();
    const err = await failureOf(listBackups({ dbInstanceId: "rm-hostile01" }, options(server.url, { retry })));
    expect(err.code).to.equal("UnexpectedStatus");
    expect(err.statusCode).to.equal(302);
    expect(err.errorClass).to.equal("CLIENT_ERROR");
    expect(server.requests()).to.equal(1);
    expect(err.message).to.include('HTTP 302 redirecting to "https://login.example/portal?next=xxx');
    expect(err.message.length, "the server's Location is quoted to a bounded length").to.be.below(1_000);
    figures.add({
      answer: "302 with a valid JSON page and a 5 KB Location",
      outcome: `${err.code} (${err.errorClass}, not retried)`,
      requests: server.requests(),
      message: gist(err.message, 200),
    });
  });

  it("a body announced past the cap is cut unread; one without Content-Length is cut as it passes the cap", async () => {
    let sent = 0;
    server = await serve((req, res, n) => {
      if (n === 1) {
        res.writeHead(200, { "content-type": "application/json", "content-length": String(200 * 2 ** 20) });
        res.write('{"Items":{"Backup":[');
        return; // never finishes: the client must not wait for 200 MB
      }
      res.writeHead(200, { "content-type": "application/json" }); // chunked, no length
      const chunk = Buffer.alloc(64 * 1024, 0x20);
      const pump = (): void => {
        while (sent < 200 * 2 ** 20 && !res.destroyed) {
          sent += chunk.length;
          if (!res.write(chunk)) return void res.once("drain", pump);
        }
        res.end();
      };
      res.on("close", () => undefined);
      req.socket.on("error", () => undefined);
      pump();
    });
    const o = options(server.url, { retry: new RecordingPolicy(1), maxResponseBytes: 2 ** 20 });
    const announced = await failureOf(listBackups({ dbInstanceId: "rm-hostile01" }, o));
    expect(announced.code).to.equal("ResponseTooLarge");
    expect(announced.message)
      .to.include(`${2 ** 20}-byte cap`)
      .and.include(`Content-Length ${200 * 2 ** 20}`)
      .and.include("maxResponseBytes");
    const streamed = await failureOf(listBackups({ dbInstanceId: "rm-hostile01" }, o));
    expect(streamed.code).to.equal("ResponseTooLarge");
    expect(streamed.message).to.match(/cut after \d+ bytes/);
    const cutAt = Number(/cut after (\d+) bytes/.exec(streamed.message)?.[1]);
    expect(cutAt)
      .to.be.above(2 ** 20)
      .and.below(2 ** 20 + 2 * 64 * 1024);
    figures.add({
      answer: "200 OK, Content-Length 200 MB (cap 1 MiB)",
      outcome: announced.code,
      requests: 1,
      message: gist(announced.message, 200),
    });
    figures.add({
      answer: "200 OK, 200 MB chunked (cap 1 MiB)",
      outcome: streamed.code,
      requests: 1,
      "server bytes sent": `${(sent / 2 ** 20).toFixed(1)} MiB`,
      message: gist(streamed.message, 200),
    });
    expect(sent, "the server was stopped long before 200 MB").to.be.below(50 * 2 ** 20);
  });

  it("429 is throttling, retried, and its Retry-After (seconds) is honoured", async () => {
    server = await serve((_req, res, n) => {
      if (n === 1) {
        res.writeHead(429, { "retry-after": "2", "content-type": "application/json" });
        return void res.end(JSON.stringify({ Code: "TooManyRequests", Message: "slow down", RequestId: "REQ-429" }));
      }
      res.writeHead(200, { "content-type": "application/json" });
      res.end(EMPTY_PAGE);
    });
    const retry = new RecordingPolicy();
    const list = await listBackups({ dbInstanceId: "rm-hostile01" }, options(server.url, { retry }));
    expect(list.backups).to.deep.equal([]);
    expect(retry.seen).to.have.length(1);
    expect(retry.seen[0]).to.include({ errorClass: "THROTTLING", retryAfterMs: 2_000, delayMs: 2_000 });
    figures.add({
      answer: "429 (JSON), Retry-After: 2, then 200",
      outcome: "THROTTLING, waited 2,000 ms, then the list",
      requests: server.requests(),
    });
  });

  it("a 429 with a non-JSON body is still throttling; Retry-After as an HTTP date on a 503 is honoured, capped", async () => {
    server = await serve((_req, res, n) => {
      if (n === 1) {
        res.writeHead(429, { "retry-after": "1", "content-type": "text/html" });
        return void res.end("<html>Too Many Requests</html>");
      }
      if (n === 2) {
        res.writeHead(503, {
          "retry-after": new Date(Date.now() + 3_600_000).toUTCString(),
          "content-type": "application/json",
        });
        return void res.end(JSON.stringify({ Code: "ServiceUnavailable", Message: "later", RequestId: "REQ-503" }));
      }
      res.writeHead(200, { "content-type": "application/json" });
      res.end(EMPTY_PAGE);
    });
    const retry = new RecordingPolicy(3, 1_500);
    const list = await listBackups({ dbInstanceId: "rm-hostile01" }, options(server.url, { retry }));
    expect(list.totalRecordCount).to.equal(0);
    expect(retry.seen.map((s) => s.errorClass)).to.deep.equal(["THROTTLING", "SERVER_ERROR"]);
    expect(retry.seen[0]?.retryAfterMs).to.equal(1_000);
    expect(retry.seen[1]?.retryAfterMs).to.be.above(3_000_000); // an hour away, as sent
    expect(retry.seen[1]?.delayMs, "waits no longer than the cap").to.equal(1_500);
    figures.add({
      answer: "429 (HTML), Retry-After: 1; 503, Retry-After: a date 1 h away; then 200",
      outcome: "THROTTLING waited 1,000 ms; SERVER_ERROR waited 1,500 ms (the cap); then the list",
      requests: server.requests(),
    });
  });

  it("a body that stalls, or drips a byte at a time, is a time-out (not a reset), within the read time-out", async () => {
    const timers: NodeJS.Timeout[] = [];
    server = await serve((_req, res, n) => {
      res.writeHead(200, { "content-type": "application/json", "content-length": String(EMPTY_PAGE.length) });
      if (n % 2 === 1) return void res.write(EMPTY_PAGE.slice(0, 10)); // then silence
      let i = 0;
      const t = setInterval(
        () => (i < EMPTY_PAGE.length - 1 && !res.destroyed ? res.write(EMPTY_PAGE[i++]) : clearInterval(t)),
        100,
      );
      timers.push(t);
    });
    try {
      for (const shape of ["stalled", "drip-fed"]) {
        const started = Date.now();
        const err = await failureOf(
          listBackups(
            { dbInstanceId: "rm-hostile01" },
            options(server.url, { retry: new RecordingPolicy(1), readTimeoutMs: 1_500 }),
          ),
        );
        expect(err.code, shape).to.equal("RequestTimeout");
        expect(err.errorClass, shape).to.equal("TRANSIENT");
        expect(err.message, shape).to.include("read time-out 1500 ms").and.not.include("ECONNRESET");
        expect(Date.now() - started, `${shape}: bounded by the read time-out`).to.be.below(30_000);
        figures.add({
          answer: `200 OK, body ${shape} (read time-out 1.5 s)`,
          outcome: `${err.code} (${err.errorClass})`,
          requests: 1,
          message: gist(err.message, 200),
        });
      }
    } finally {
      timers.forEach(clearInterval);
    }
  });
});
