import { expect } from "chai";
import type { CallContext } from "../../sdk/error-advice";
import { RdsApiError, RdsValidationError, toRdsApiError } from "../../sdk/errors";
import { resolveCredentials } from "../../sdk/credentials";

const ctx: CallContext = {
  dbInstanceId: "rm-abc",
  region: "cn-shanghai",
  endpoint: "https://rds.aliyuncs.com",
  attempts: 1,
  connectTimeoutMs: 5000,
  readTimeoutMs: 10000,
};
function sdkError(code: string, statusCode: number, extra: Record<string, unknown> = {}) {
  return Object.assign(new Error(`code: ${statusCode}, m request id: r1`), {
    name: "ClientError",
    code,
    statusCode,
    requestId: "r1",
    data: { Code: code, RequestId: "r1", Message: "m", ...extra },
  });
}
function map(err: unknown, c: CallContext = ctx): RdsApiError {
  const e = toRdsApiError(err, c);
  expect(e).to.be.instanceOf(RdsApiError);
  return e as RdsApiError;
}

describe("sdk/errors", () => {
  it("instance not found names the instance, region and endpoint", () => {
    const e = map(sdkError("InvalidDBInstanceId.NotFound", 400));
    expect(e.message).to.contain(
      "check the region/endpoint: instance rm-abc is not in region cn-shanghai (endpoint https://rds.aliyuncs.com)",
    );
    expect(e).to.include({
      code: "InvalidDBInstanceId.NotFound",
      statusCode: 400,
      requestId: "r1",
      retryable: false,
      attempts: 1,
    });
  });

  it("RAM denial names the action and the resource ARN", () => {
    const e = map(
      sdkError("Forbidden.RAM", 403, {
        AccessDeniedDetail: {
          AuthAction: "rds:DescribeBackups",
          AuthPrincipalOwnerId: "1234567890",
          AuthPrincipalDisplayName: "ci-bot",
          NoPermissionType: "ImplicitDeny",
        },
      }),
    );
    expect(e.message).to.contain(
      "grant rds:DescribeBackups on acs:rds:cn-shanghai:1234567890:dbinstance/rm-abc to ci-bot",
    );
    expect(map(sdkError("InvalidUserOperatorPermission", 403)).message).to.contain(
      "grant rds:DescribeBackups on acs:rds:cn-shanghai:*:dbinstance/rm-abc",
    );
    expect(map(sdkError("NoPermission", 403)).message).to.contain("rds:DescribeBackups");
  });

  it("key id, signature, clock and STS errors say what to check", () => {
    expect(map(sdkError("InvalidAccessKeyId.NotFound", 404)).message).to.match(/check the access key id/);
    const sig = map(
      sdkError("SignatureDoesNotMatch", 400, {
        Message:
          "Specified signature is not matched with our calculation. server string to sign is:GET&%2F&SecurityToken%3Dtok",
      }),
    );
    expect(sig.message).to.match(/check that the access key secret belongs to the access key id/);
    expect(sig.message).not.to.contain("string to sign");
    expect(map(sdkError("InvalidTimeStamp.Expired", 400)).message).to.match(/check this machine's clock/);
    expect(map(sdkError("InvalidSecurityToken.Expired", 400)).message).to.match(/refresh the token/);
  });

  it("throttling, time-outs, refused connections, non-JSON bodies: after N tries, with the values", () => {
    const c = { ...ctx, attempts: 5 };
    expect(map(sdkError("Throttling.User", 400), c).message).to.match(
      /throttled by the API \(Throttling.User\) after 5 attempts/,
    );
    const t = map(
      Object.assign(new Error("ReadTimeout(10000). POST http://x/ failed."), { name: "RequestTimeoutError" }),
      c,
    );
    expect(t.message).to.contain("connect time-out 5000 ms, read time-out 10000 ms) after 5 attempts");
    expect(t.code).to.equal("RequestTimeout");
    const r = map(Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:9"), { code: "ECONNREFUSED" }), {
      ...c,
      endpoint: "http://127.0.0.1:9",
    });
    expect(r.message).to.contain("connection refused by http://127.0.0.1:9 after 5 attempts");
    expect(r.retryable).to.equal(true);
    expect(map(new SyntaxError("Unexpected token '<'"), c).message).to.match(
      /not the API's JSON \(an HTML gateway page/,
    );
    expect(
      map(Object.assign(new Error("x"), { name: "ServerError", code: "InternalError", statusCode: 500 }), c).message,
    ).to.match(/the service failed \(InternalError, HTTP 500\) after 5 attempts/);
  });

  it("passes the sdk's own errors through unchanged", () => {
    const v = new RdsValidationError([{ field: "f", value: 1, allowed: "2", reason: "f 1 is not allowed; use 2" }]);
    expect(toRdsApiError(v)).to.equal(v);
  });

  it("never shows a secret: credential checks hide the value", () => {
    try {
      resolveCredentials({ credentials: { accessKeyId: "LTAIid", accessKeySecret: "sec ret-123" } });
      expect.fail("no error");
    } catch (e) {
      const v = e as RdsValidationError;
      expect(v.field).to.equal("credentials.accessKeySecret");
      expect(JSON.stringify({ ...v, message: v.message })).not.to.contain("sec ret-123");
    }
    expect(resolveCredentials({ profile: "ci" })).to.deep.equal({ kind: "chain", profile: "ci" });
    expect(resolveCredentials({})).to.deep.equal({ kind: "chain" });
  });
});
