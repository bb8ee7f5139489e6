import { expect } from "chai";
import { errorFacts } from "../../sdk/error-facts";
import { RETRY_DEFAULTS, StandardRetryPolicy } from "../../sdk/retry";

/** The failure class the policy sees for anything a call threw. */
const classifyError = (err: unknown) => errorFacts(err).errorClass;

/** The SDK's error shapes, as observed (code, statusCode, requestId, data, retryAfter). */
function sdkError(name: string, code: string, statusCode: number, extra: Record<string, unknown> = {}) {
  return Object.assign(
    new Error(`code: ${statusCode}, msg`),
    { name, code, statusCode, requestId: "rid", data: { Code: code, RequestId: "rid" } },
    extra,
  );
}

describe("sdk/retry", () => {
  it("classifies once into THROTTLING | TRANSIENT | SERVER_ERROR | CLIENT_ERROR", () => {
    expect(classifyError(sdkError("ThrottlingError", "Throttling.User", 400))).to.equal("THROTTLING");
    expect(classifyError(sdkError("ThrottlingError", "Throttling.Api", 503))).to.equal("THROTTLING");
    expect(classifyError(sdkError("ServerError", "ServiceUnavailable", 503))).to.equal("SERVER_ERROR");
    expect(classifyError(sdkError("ServerError", "InternalError", 500))).to.equal("SERVER_ERROR");
    expect(classifyError(sdkError("ServerError", "Whatever", 502))).to.equal("SERVER_ERROR");
    expect(
      classifyError(Object.assign(new Error("ReadTimeout(100). POST / failed."), { name: "RequestTimeoutError" })),
    ).to.equal("TRANSIENT");
    expect(
      classifyError(Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:1"), { code: "ECONNREFUSED" })),
    ).to.equal("TRANSIENT");
    expect(classifyError(Object.assign(new Error("read ECONNRESET"), { code: "ECONNRESET" }))).to.equal("TRANSIENT");
    expect(classifyError(Object.assign(new Error("write EPIPE"), { code: "EPIPE" }))).to.equal("TRANSIENT");
    expect(classifyError(new Error("socket hang up"))).to.equal("TRANSIENT");
    expect(classifyError(new SyntaxError("Unexpected token '<'"))).to.equal("TRANSIENT");
    for (const code of [
      "InvalidStartTime.Format",
      "Forbidden.RAM",
      "InvalidUserOperatorPermission",
      "SignatureDoesNotMatch",
      "InvalidDBInstanceId.NotFound",
    ]) {
      expect(
        classifyError(sdkError("ClientError", code, code === "InvalidDBInstanceId.NotFound" ? 400 : 403)),
        code,
      ).to.equal("CLIENT_ERROR");
    }
  });

  it("uses full jitter, capped, with a larger base after throttling", () => {
    const p = new StandardRetryPolicy({ random: () => 0.5 });
    expect(p.backoffMs(1, "SERVER_ERROR")).to.equal(75);
    expect(p.backoffMs(3, "SERVER_ERROR")).to.equal(300);
    expect(p.backoffMs(1, "THROTTLING")).to.equal(250);
    expect(p.backoffMs(20, "TRANSIENT")).to.equal(RETRY_DEFAULTS.maxDelayMs / 2);
    expect(new StandardRetryPolicy({ random: () => 0 }).backoffMs(4, "TRANSIENT")).to.equal(0);
  });

  it("never retries client errors; retries others up to maxAttempts", () => {
    const p = new StandardRetryPolicy({ random: () => 0.5 });
    const t = p.acquireToken(0);
    expect(p.refreshToken(t, { errorClass: "CLIENT_ERROR" }, 0)).to.equal(undefined);
    let token = t;
    let retries = 0;
    for (;;) {
      const next = p.refreshToken(token, { errorClass: "TRANSIENT" }, 0);
      if (!next) break;
      token = next.token;
      retries += 1;
    }
    expect(retries).to.equal(RETRY_DEFAULTS.maxAttempts - 1);
    expect(token.attempts).to.equal(RETRY_DEFAULTS.maxAttempts);
  });

  it("honours x-acs-retry-after within its bound", () => {
    const p = new StandardRetryPolicy({ random: () => 0 });
    const t = p.acquireToken(0);
    expect(p.refreshToken(t, { errorClass: "THROTTLING", retryAfterMs: 1200 }, 0)?.delayMs).to.equal(1200);
    expect(p.refreshToken(t, { errorClass: "THROTTLING", retryAfterMs: 600_000 }, 0)?.delayMs).to.equal(
      RETRY_DEFAULTS.maxRetryAfterMs,
    );
  });

  it("gives up when the next wait would pass the deadline", () => {
    const p = new StandardRetryPolicy({ random: () => 0.99, deadlineMs: 1_000 });
    const t = p.acquireToken(0);
    expect(p.refreshToken(t, { errorClass: "SERVER_ERROR" }, 500)).not.to.equal(undefined);
    expect(p.refreshToken(t, { errorClass: "SERVER_ERROR" }, 999)).to.equal(undefined);
  });

  it("spends a shared retry budget and refunds it on success (no retry storms)", () => {
    const p = new StandardRetryPolicy({ random: () => 0, budgetCapacity: 12, retryCost: 5, timeoutRetryCost: 10 });
    const a = p.refreshToken(p.acquireToken(0), { errorClass: "TRANSIENT" }, 0);
    const b = p.refreshToken(p.acquireToken(0), { errorClass: "TRANSIENT" }, 0);
    expect(p.availableBudget).to.equal(2);
    expect(p.refreshToken(p.acquireToken(0), { errorClass: "TRANSIENT" }, 0)).to.equal(undefined);
    p.recordSuccess(a!.token);
    expect(p.availableBudget).to.equal(7);
    expect(p.refreshToken(p.acquireToken(0), { errorClass: "TRANSIENT", code: "RequestTimeout" }, 0)).to.equal(
      undefined,
    );
    p.recordSuccess(b!.token);
    p.recordSuccess(p.acquireToken(0));
    expect(p.availableBudget).to.equal(12);
  });
});
