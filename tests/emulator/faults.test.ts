import { expect } from "chai";
import type { RunningEmulator } from "../../emulator";
import { describeRequest, expectSdkError, rawOutcome, sdkClient, signedRaw, withEmulator } from "./helpers";

const INST = "rm-uf6wjk5****";
const Q = { DBInstanceId: INST };

describe("emulator: faults on demand", () => {
  let emu: RunningEmulator;
  beforeEach(async () => {
    emu = await withEmulator();
  });
  afterEach(() => emu.close());
  const call = (timeoutMs?: number) =>
    sdkClient(emu, timeoutMs ? { timeoutMs } : {}).describeBackups(describeRequest(Q));

  it("throttle: 400 Throttling.User with x-acs-retry-after in ms, which the SDK reads", async () => {
    emu.injectFaults([{ kind: "throttle", retryAfterMs: 1500 }]);
    const err = await expectSdkError(call());
    expect([err.name, err.code, err.statusCode, err.retryAfter]).to.deep.equal([
      "ThrottlingError",
      "Throttling.User",
      400,
      1500,
    ]);
    expect(err.data?.Message).to.equal("Request was denied due to user flow control.");
    expect((await call()).statusCode).to.equal(200); // one-shot
  });

  it("throttles above the configured rate (token bucket) with the wait until the next token", async () => {
    emu.setFaults({ throttleRps: 2, throttleBurst: 2 });
    const results = await Promise.allSettled([call(), call(), call()]);
    expect(results.filter((r) => r.status === "fulfilled")).to.have.length(2);
    const rejected = results.find((r): r is PromiseRejectedResult => r.status === "rejected");
    expect(rejected?.reason.code).to.equal("Throttling.User");
    expect(rejected?.reason.retryAfter).to.be.within(1, 500);
    expect(emu.stats.byCode["Throttling.User"]).to.equal(1);
  });

  it("internalError and serviceUnavailable: 500 and 503 in the service's error body", async () => {
    emu.injectFaults([{ kind: "internalError" }, { kind: "serviceUnavailable" }]);
    const e500 = await expectSdkError(call());
    const e503 = await expectSdkError(call());
    expect([e500.name, e500.code, e500.statusCode]).to.deep.equal(["ServerError", "InternalError", 500]);
    expect([e503.name, e503.code, e503.statusCode]).to.deep.equal(["ServerError", "ServiceUnavailable", 503]);
  });

  it("latency delays the answer; scripted faults apply to the next N requests only", async () => {
    emu.injectFaults([{ kind: "latency", ms: 300, times: 2 }]);
    for (const min of [290, 290, 0]) {
      const t = Date.now();
      await call();
      const ms = Date.now() - t;
      if (min > 0) expect(ms).to.be.at.least(min);
      else expect(ms).to.be.below(290);
    }
    expect(emu.stats.faults.latency).to.equal(2);
  });

  it("slow: an answer later than the client's time-out", async () => {
    emu.injectFaults([{ kind: "slow", ms: 3000 }]);
    const t = Date.now();
    const err = await expectSdkError(call(400));
    expect(err.name).to.equal("RequestTimeoutError");
    expect(Date.now() - t).to.be.below(2500);
  });

  it("drop: the socket is destroyed before any byte", async () => {
    emu.injectFaults([{ kind: "drop" }]);
    const out = await rawOutcome(emu.port, Q);
    expect(out.status).to.equal(undefined);
    expect(out.error).to.equal("ECONNRESET");
    emu.injectFaults([{ kind: "drop" }]);
    expect((await expectSdkError(call())).code).to.equal("ECONNRESET");
  });

  it("reset: headers and half the body, then the connection is cut", async () => {
    emu.injectFaults([{ kind: "reset" }]);
    const out = await rawOutcome(emu.port, Q);
    expect(out.status).to.equal(200);
    expect(out.error).to.equal("aborted");
    expect(out.bytes).to.be.greaterThan(0).and.below(Number(out.headers?.["content-length"]));
  });

  it("html502, emptyBody and truncatedJson: bodies the SDK cannot parse", async () => {
    emu.injectFaults([{ kind: "html502" }, { kind: "emptyBody" }, { kind: "truncatedJson" }]);
    const html = await signedRaw(emu.port, Q);
    expect([html.status, html.headers["content-type"]]).to.deep.equal([502, "text/html"]);
    expect(html.text).to.contain("<html>");
    const empty = await signedRaw(emu.port, Q);
    expect([empty.status, empty.text]).to.deep.equal([404, ""]);
    const truncated = await signedRaw(emu.port, Q);
    expect(truncated.status).to.equal(200);
    expect(() => JSON.parse(truncated.text)).to.throw(SyntaxError);
    expect(truncated.text.startsWith('{"Items":{"Backup":[{')).to.equal(true);
    expect(truncated.headers["x-acs-request-id"]).to.match(/^[0-9A-F-]{36}$/);
    emu.injectFaults([{ kind: "html502" }, { kind: "emptyBody", status: 500 }]);
    expect((await expectSdkError(call())).name).to.equal("SyntaxError");
    expect((await expectSdkError(call())).name).to.equal("SyntaxError");
  });

  it("wrongType and totalMismatch: a 200 whose content is wrong", async () => {
    emu.injectFaults([{ kind: "wrongType" }, { kind: "totalMismatch" }]);
    const wrong = JSON.parse((await signedRaw(emu.port, Q)).text);
    expect(typeof wrong.Items.Backup[0].BackupSize).to.equal("string");
    const mismatch = JSON.parse((await signedRaw(emu.port, Q)).text);
    expect(mismatch.Items.Backup).to.have.length(1);
    expect(mismatch.TotalRecordCount).to.equal("8");
    emu.injectFaults([{ kind: "wrongType" }]);
    expect((await expectSdkError(call())).message).to.contain("backupSize");
  });

  it("configured rates are reproducible for a seed", async () => {
    const pattern = async () => {
      emu.setFaults({ seed: 42, rates: { internalError: 0.3, serviceUnavailable: 0.2 } });
      const out: string[] = [];
      for (let i = 0; i < 20; i++) out.push(String((await signedRaw(emu.port, Q)).status));
      return out.join(",");
    };
    const first = await pattern();
    expect(await pattern()).to.equal(first);
    for (const status of ["200", "500", "503"]) expect(first.split(",")).to.include(status);
    expect(() => emu.setFaults({ rates: { drop: 0.8, reset: 0.5 } })).to.throw(/at most 1/);
  });

  it("close() ends keep-alive sockets and pending delays at once", async () => {
    emu.injectFaults([{ kind: "slow", ms: 20000 }]);
    const pending = call(25000).catch((e: Error) => e);
    await new Promise((r) => setTimeout(r, 100));
    const t = Date.now();
    await emu.close();
    expect(Date.now() - t).to.be.below(1000);
    expect(await pending).to.be.instanceOf(Error);
  });
});
