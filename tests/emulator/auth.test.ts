import { expect } from "chai";
import * as $dara from "@darabonba/typescript";
import { $OpenApiUtil } from "@alicloud/openapi-core";
import RPCClient = require("@alicloud/pop-core");
import type { RunningEmulator } from "../../emulator";
import {
  AK,
  SAMPLE,
  SECRET,
  baseData,
  describeRequest,
  expectSdkError,
  rawRequest,
  sdkClient,
  signAcs3,
  signedRaw,
  withEmulator,
} from "./helpers";

const INST = "rm-uf6wjk5****";
const HOUR = 3600_000;

function data() {
  const d = baseData();
  d.accessKeys["STS.Good"] = {
    secret: "sts-secret",
    securityToken: "CAIS.token-good-1234",
    expiresAt: new Date(Date.now() + HOUR).toISOString(),
  };
  d.accessKeys["STS.Old"] = {
    secret: "sts-secret-2",
    securityToken: "CAIS.token-old-1234",
    expiresAt: new Date(Date.now() - HOUR).toISOString(),
  };
  d.accessKeys["LTAI.Limited"] = { secret: "limited-secret", instances: ["rm-test0001"] };
  return d;
}

describe("emulator: authentication and authorization", () => {
  let emu: RunningEmulator;
  const logs: string[] = [];
  before(async () => {
    emu = await withEmulator({ data: data(), log: (l) => logs.push(l) });
  });
  after(() => emu.close());
  const call = (o: Parameters<typeof sdkClient>[1] = {}, id = INST) =>
    sdkClient(emu, o).describeBackups(describeRequest({ DBInstanceId: id }));

  it("accepts the SDK's default ACS3-HMAC-SHA256 and its legacy HMAC-SHA1 (signatureAlgorithm v2)", async () => {
    expect((await call()).body?.totalRecordCount).to.equal("1");
    expect((await call({ signatureAlgorithm: "v2" })).body?.totalRecordCount).to.equal("1");
  });

  it("rejects a wrong secret with 400 SignatureDoesNotMatch, both algorithms", async () => {
    for (const signatureAlgorithm of [undefined, "v2"]) {
      const err = await expectSdkError(
        call({ accessKeySecret: "not-the-secret", ...(signatureAlgorithm ? { signatureAlgorithm } : {}) }),
      );
      expect(err.code).to.equal("SignatureDoesNotMatch");
      expect(err.statusCode).to.equal(400);
      expect(String(err.data?.Message)).to.contain("server string to sign is:");
    }
  });

  it("rejects an unknown access key with 404 InvalidAccessKeyId.NotFound", async () => {
    const err = await expectSdkError(call({ accessKeyId: "LTAI.Nobody" }));
    expect([err.code, err.statusCode]).to.deep.equal(["InvalidAccessKeyId.NotFound", 404]);
  });

  it("rejects a request whose date is more than 15 minutes off the emulator's clock", async () => {
    const skewed = await withEmulator({ clockOffsetMs: 16 * 60_000 });
    try {
      const err = await expectSdkError(sdkClient(skewed).describeBackups(describeRequest({ DBInstanceId: INST })));
      expect([err.code, err.statusCode]).to.deep.equal(["InvalidTimeStamp.Expired", 400]);
    } finally {
      await skewed.close();
    }
    const tolerable = await withEmulator({ clockOffsetMs: -14 * 60_000 });
    try {
      expect((await sdkClient(tolerable).describeBackups(describeRequest({ DBInstanceId: INST }))).statusCode).to.equal(
        200,
      );
    } finally {
      await tolerable.close();
    }
  });

  it("rejects a malformed date with InvalidTimeStamp.Format", async () => {
    const res = await signedRaw(emu.port, { DBInstanceId: INST }, { date: "2026-01-01 10:00:00" });
    expect([res.status, JSON.parse(res.text).Code]).to.deep.equal([400, "InvalidTimeStamp.Format"]);
  });

  it("answers a replayed request (same nonce) with SignatureNonceUsed", async () => {
    const { path, headers } = signAcs3(emu.port, { DBInstanceId: INST });
    const first = await rawRequest(emu.port, { path, headers });
    const second = await rawRequest(emu.port, { path, headers });
    expect(first.status).to.equal(200);
    expect([second.status, JSON.parse(second.text).Code]).to.deep.equal([400, "SignatureNonceUsed"]);
  });

  it("rejects a query changed after signing", async () => {
    const { path, headers } = signAcs3(emu.port, { DBInstanceId: INST });
    const res = await rawRequest(emu.port, { path: path.replace(INST.slice(0, 5), "rm-zz"), headers });
    expect(JSON.parse(res.text).Code).to.equal("SignatureDoesNotMatch");
  });

  it("answers missing signature pieces with IncompleteSignature", async () => {
    const none = await rawRequest(emu.port, { path: "/?Action=DescribeBackups&Version=2014-08-15&DBInstanceId=x" });
    const { path, headers } = signAcs3(emu.port, { DBInstanceId: INST });
    const noSig = await rawRequest(emu.port, {
      path,
      headers: { ...headers, authorization: String(headers.authorization).replace(/,Signature=.*/, "") },
    });
    const unsignedNonce = await rawRequest(emu.port, {
      path,
      headers: { ...headers, authorization: String(headers.authorization).replace(";x-acs-signature-nonce", "") },
    });
    const v1 = await rawRequest(emu.port, {
      path: `/?Action=DescribeBackups&Format=JSON&AccessKeyId=${AK}&Signature=abc&SignatureMethod=HMAC-SHA1&SignatureVersion=1.0&Timestamp=2026-01-01T00:00:00Z`,
    });
    for (const res of [none, noSig, unsignedNonce, v1])
      expect([res.status, JSON.parse(res.text).Code]).to.deep.equal([400, "IncompleteSignature"]);
  });

  it("accepts a valid STS token and rejects missing, wrong, malformed and expired ones", async () => {
    expect(
      (await call({ accessKeyId: "STS.Good", accessKeySecret: "sts-secret", securityToken: "CAIS.token-good-1234" }))
        .statusCode,
    ).to.equal(200);
    expect(
      (
        await call({
          accessKeyId: "STS.Good",
          accessKeySecret: "sts-secret",
          securityToken: "CAIS.token-good-1234",
          signatureAlgorithm: "v2",
        })
      ).statusCode,
    ).to.equal(200);
    const code = async (o: Parameters<typeof sdkClient>[1]) => (await expectSdkError(call(o))).code;
    expect(await code({ accessKeyId: "STS.Good", accessKeySecret: "sts-secret" })).to.equal("MissingSecurityToken");
    expect(
      await code({ accessKeyId: "STS.Good", accessKeySecret: "sts-secret", securityToken: "CAIS.token-other-99" }),
    ).to.equal("InvalidSecurityToken.MismatchWithAccessKey");
    expect(
      await code({ accessKeyId: "STS.Good", accessKeySecret: "sts-secret", securityToken: "not a token!" }),
    ).to.equal("InvalidSecurityToken.Malformed");
    expect(
      await code({ accessKeyId: "STS.Old", accessKeySecret: "sts-secret-2", securityToken: "CAIS.token-old-1234" }),
    ).to.equal("InvalidSecurityToken.Expired");
  });

  it("denies a key limited to some instances the others, with RAM's AccessDeniedDetail", async () => {
    const limited = { accessKeyId: "LTAI.Limited", accessKeySecret: "limited-secret" };
    expect((await call(limited, "rm-test0001")).statusCode).to.equal(200);
    const err = await expectSdkError(call(limited, INST));
    expect([err.code, err.statusCode]).to.deep.equal(["Forbidden.RAM", 403]);
    const detail = err.data?.AccessDeniedDetail as Record<string, string>;
    expect(detail).to.include({ NoPermissionType: "ImplicitDeny", AuthAction: "rds:DescribeBackups" });
    expect(detail).to.have.all.keys(
      "PolicyType",
      "AuthPrincipalOwnerId",
      "AuthPrincipalType",
      "AuthPrincipalDisplayName",
      "NoPermissionType",
      "EncodedDiagnosticMessage",
      "AuthAction",
    );
    expect(Buffer.from(detail.EncodedDiagnosticMessage ?? "", "base64").toString()).to.contain(`dbinstance/${INST}`);
  });

  it("answers an unknown action with 404 InvalidAction.NotFound and a wrong version with 400 InvalidVersion", async () => {
    const callAs = (action: string, version: string) =>
      sdkClient(emu).callApi(
        new $OpenApiUtil.Params({
          action,
          version,
          protocol: "HTTP",
          pathname: "/",
          method: "POST",
          authType: "AK",
          style: "RPC",
          reqBodyType: "formData",
          bodyType: "json",
        }),
        new $OpenApiUtil.OpenApiRequest({ query: { DBInstanceId: INST } }),
        new $dara.RuntimeOptions({}),
      );
    const unknown = await expectSdkError(callAs("DescribeDBInstances", "2014-08-15"));
    expect([unknown.code, unknown.statusCode]).to.deep.equal(["InvalidAction.NotFound", 404]);
    const version = await expectSdkError(callAs("DescribeBackups", "2099-01-01"));
    expect([version.code, version.statusCode]).to.deep.equal(["InvalidVersion", 400]);
  });

  it("accepts @alicloud/pop-core's HMAC-SHA1 requests (GET query and POST form) and rejects its wrong secret", async () => {
    const pop = (secret: string) =>
      new RPCClient({ endpoint: emu.url, apiVersion: "2014-08-15", accessKeyId: AK, accessKeySecret: secret });
    type Body = { Items: { Backup: Array<{ BackupId: string }> }; TotalRecordCount: string };
    const viaGet = await pop(SECRET).request<Body>("DescribeBackups", { DBInstanceId: INST });
    expect(viaGet.Items.Backup[0]?.BackupId).to.equal(SAMPLE.BackupId);
    const viaPost = await pop(SECRET).request<Body>(
      "DescribeBackups",
      { DBInstanceId: INST, PageSize: 50 },
      { method: "POST" },
    );
    expect(viaPost.TotalRecordCount).to.equal("1");
    expect(emu.stats.lastParams).to.deep.equal({ DBInstanceId: INST, PageSize: "50" });
    const err = await expectSdkError(pop("wrong").request("DescribeBackups", { DBInstanceId: INST }));
    expect(err.code).to.equal("SignatureDoesNotMatch");
  });

  it("never writes secrets, tokens or signatures to its log", () => {
    expect(logs.length).to.be.greaterThan(10);
    const text = logs.join("\n");
    for (const secret of [SECRET, "sts-secret", "limited-secret", "CAIS.token", "Signature=", "not-the-secret"])
      expect(text).not.to.contain(secret);
    expect(text).not.to.match(/[0-9a-f]{40}/); // no hex signature or string to sign
    expect(logs.some((l) => /^DescribeBackups rm-uf6wjk5\*{4} 400 SignatureDoesNotMatch \d+ms$/.test(l))).to.equal(
      true,
    );
  });
});
