/**
 * Every option is checked before any call, like the query: its JS type, its range, and for
 * `retry` its keys. A wrong type is an RdsValidationError naming the field, never a TypeError.
 */
import { expect } from "chai";
import { RdsValidationError } from "../../sdk/errors";
import { resolveOptions, type ListOptions } from "../../sdk/options";
import { StandardRetryPolicy } from "../../sdk/retry";

function refusal(options: unknown): RdsValidationError {
  try {
    resolveOptions(options as ListOptions);
  } catch (err) {
    expect(err).to.be.instanceOf(RdsValidationError);
    return err as RdsValidationError;
  }
  throw new Error(`accepted ${JSON.stringify(options)}`);
}

describe("sdk/options", () => {
  it("accepts the defaults, a retry policy object and retry options in range", () => {
    const o = resolveOptions({ region: "cn-shanghai" });
    expect(o).to.include({ concurrency: 10, maxRereads: 2, includeDownloadUrls: false });
    const policy = new StandardRetryPolicy({ maxAttempts: 2 });
    expect(resolveOptions({ retry: policy }).retry).to.equal(policy);
    const custom = resolveOptions({
      retry: { maxAttempts: 3, baseDelayMs: 0, deadlineMs: 5_000, random: () => 0 },
      includeDownloadUrls: true,
    });
    expect(custom.retry.maxAttempts).to.equal(3);
    expect(custom.includeDownloadUrls).to.equal(true);
  });

  it("refuses retry options of the wrong type, out of range or unknown, naming retry.<key>", () => {
    expect(refusal({ retry: { maxAttempts: 0 } }).field).to.equal("retry.maxAttempts");
    expect(refusal({ retry: { maxAttempts: 21 } }).message).to.contain("an integer from 1 to 20");
    expect(refusal({ retry: { maxAttempts: "3" } }).field).to.equal("retry.maxAttempts");
    expect(refusal({ retry: { maxDelayMs: Infinity } }).field).to.equal("retry.maxDelayMs");
    expect(refusal({ retry: { budgetCapacity: -1 } }).field).to.equal("retry.budgetCapacity");
    expect(refusal({ retry: { retryCost: 1.5 } }).field).to.equal("retry.retryCost");
    expect(refusal({ retry: { random: 0.5 } }).field).to.equal("retry.random");
    const typo = refusal({ retry: { maxAttemps: 3 } });
    expect(typo.field).to.equal("retry.maxAttemps");
    expect(typo.message).to.contain('did you mean "maxAttempts"?');
    for (const r of [5, "fast", null, [1]]) expect(refusal({ retry: r }).field, JSON.stringify(r)).to.equal("retry");
  });

  it("refuses options of the wrong JS type by name, never with a TypeError", () => {
    expect(refusal(null).field).to.equal("options");
    expect(refusal({ endpoint: 39202 }).message).to.match(/^endpoint 39202 is a number, not a string/);
    expect(refusal({ region: 5 }).message).to.match(/^region 5 is a number, not a string/);
    expect(refusal({ signal: "stop" }).field).to.equal("signal");
    expect(refusal({ includeDownloadUrls: "yes" }).field).to.equal("includeDownloadUrls");
    expect(resolveOptions({ signal: AbortSignal.timeout(60_000) }).signal).to.be.instanceOf(AbortSignal);
  });

  it("refuses an endpoint port outside 1-65535, as a URL or a bare host", () => {
    for (const endpoint of [
      "http://127.0.0.1:70000",
      "127.0.0.1:65536",
      "rds.example.com:99999",
      "http://127.0.0.1:0",
    ]) {
      expect(refusal({ endpoint }).message, endpoint).to.match(/has port \d+; use .* with a port from 1 to 65535/);
    }
    expect(resolveOptions({ endpoint: "http://127.0.0.1:65535" }).endpoint.host).to.equal("127.0.0.1:65535");
  });
});
