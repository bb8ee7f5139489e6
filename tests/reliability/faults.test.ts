/**
 * The fault matrix: one row per fault, a transient variant (the fault stops: the right answer
 * after retries) and a persistent one (a clear error within the deadline), each run through four
 * layers against the emulator:
 *   sdk.list       listBackups, with a fast deterministic retry policy of its own
 *   sdk.gate       checkFreshBackup (the gate's verdict), same policy
 *   provider.read  the dynamic provider's read behind getBackups (process defaults: policy, limiter, time-outs)
 *   provider.gate  the read behind requireFreshBackup (fails closed, says it could not read)
 * Invariants checked on every probe: a success is exactly the emulator's current list (never a
 * partial or stale one); an error is an error (a gate never passes on one) and names the failure;
 * no message holds a secret, a token or a download URL; the time stays under the row's bound.
 * Each probe is a row of the figures table (RELIABILITY_REPORT=<file>).
 */
import { expect } from "chai";
import { createServer } from "node:net";
import { startEmulator, type RunningEmulator } from "../../emulator";
import type { ScriptedFault } from "../../emulator/faults";
import {
  checkFreshBackup,
  listBackups,
  RdsApiError,
  type ListOptions,
  type RetryPolicy,
  type RetryToken,
} from "../../sdk";
import { TokenBucketRateLimiter } from "../../sdk/rate-limiter";
import { StandardRetryPolicy } from "../../sdk/retry";
import { defaultRetryPolicy, type RetryDecisionInput } from "../../sdk/retry";
import { readBackups, readFreshBackup, setStackSettings } from "../../provider/runtime";
import {
  backupOf,
  EXPIRED_KEY_ID,
  EXPIRED_SECRET,
  EXPIRED_TOKEN,
  Figures,
  gist,
  INSTANCE,
  KEY_ID,
  leakedMarkers,
  rejection,
  reliabilityData,
  SECRET,
  STS_KEY_ID,
  STS_SECRET,
  STS_TOKEN,
} from "./helpers";

type Layer = "sdk.list" | "sdk.gate" | "provider.read" | "provider.gate";
const ALL: readonly Layer[] = ["sdk.list", "sdk.gate", "provider.read", "provider.gate"];

interface Credentials {
  accessKeyId: string;
  accessKeySecret: string;
  securityToken?: string;
}
const STS: Credentials = { accessKeyId: STS_KEY_ID, accessKeySecret: STS_SECRET, securityToken: STS_TOKEN };

interface Probe {
  emu: RunningEmulator;
  /** Endpoint to call (the emulator's, or a closed port). */
  endpoint: string;
  credentials: Credentials;
  /** Called with each failure code the retry policy sees. */
  onFailure?: (code: string) => void;
  cleanup?: () => Promise<void>;
}

interface Row {
  fault: string;
  variant: "transient" | "persistent";
  /** What the emulator does. */
  how: string;
  /** ok: the right answer; else the code (sdk) and a message pattern (provider) of the error. */
  expect: { ok: true } | { code: string | RegExp; message: RegExp };
  layers?: readonly Layer[];
  /** Upper bound of the elapsed time, ms (sdk layers / provider layers). */
  boundMs?: [number, number];
  setup: (p: Probe) => void | Promise<void>;
  emulator?: { clockOffsetMs?: number; slowMs?: number };
  credentials?: Credentials;
  /** A transient row whose fault the retry policy must have seen (not a re-read or a control). */
  retried?: true;
}

const inject =
  (...faults: ScriptedFault[]) =>
  (p: Probe): void =>
    p.emu.injectFaults(faults);
const MANY = 1_000;

/** A port nobody listens on (for ECONNREFUSED). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function codeRow(
  fault: string,
  how: string,
  kind: ScriptedFault["kind"],
  code: string | RegExp,
  message: RegExp,
  extra: Partial<ScriptedFault> = {},
  layers: [readonly Layer[], readonly Layer[]] = [ALL, ALL],
): Row[] {
  return [
    {
      fault,
      variant: "transient",
      how: `${how} x2, then normal`,
      expect: { ok: true },
      retried: true,
      layers: layers[0],
      setup: inject({ kind, times: 2, ...extra }),
    },
    {
      fault,
      variant: "persistent",
      how: `${how} on every request`,
      expect: { code, message },
      layers: layers[1],
      setup: inject({ kind, times: MANY, ...extra }),
    },
  ];
}

const ROWS: Row[] = [
  // Throttling through the provider costs seconds (the shared adaptive limiter cuts to ~0.7 rps on a
  // first throttle, see docs/RELIABILITY.md): a subset of provider layers keeps the suite fast.
  ...codeRow(
    "throttling, x-acs-retry-after: 80 ms",
    "400 Throttling.User + retry-after",
    "throttle",
    "Throttling.User",
    /throttled by the API \(Throttling\.User\) after 5 attempts/,
    { retryAfterMs: 80 },
    [
      ["sdk.list", "sdk.gate", "provider.read"],
      ["sdk.list", "sdk.gate", "provider.gate"],
    ],
  ),
  ...codeRow(
    "throttling, no retry-after",
    "400 Throttling.User",
    "throttle",
    "Throttling.User",
    /throttled by the API \(Throttling\.User\) after 5 attempts/,
    {},
    [
      ["sdk.list", "sdk.gate", "provider.gate"],
      ["sdk.list", "sdk.gate"],
    ],
  ),
  ...codeRow(
    "HTTP 500",
    "500 InternalError",
    "internalError",
    "InternalError",
    /the service failed \(InternalError, HTTP 500\) after 5 attempts/,
  ),
  ...codeRow(
    "HTTP 503",
    "503 ServiceUnavailable",
    "serviceUnavailable",
    "ServiceUnavailable",
    /the service failed \(ServiceUnavailable, HTTP 503\) after 5 attempts/,
  ),
  {
    fault: "connection refused",
    variant: "transient",
    how: "nothing listens until the first refusal, then the emulator starts on that port",
    expect: { ok: true },
    retried: true,
    setup: async (p) => {
      const port = await freePort();
      const data = reliabilityData();
      await p.emu.close();
      p.endpoint = `http://127.0.0.1:${port}`;
      let started: Promise<RunningEmulator> | undefined;
      p.onFailure = (code) => {
        if (code === "ECONNREFUSED") started ??= startEmulator({ data, port });
      };
      p.cleanup = async () => void (await (await started)?.close());
    },
  },
  {
    fault: "connection refused",
    variant: "persistent",
    how: "a port nobody listens on",
    expect: { code: "ECONNREFUSED", message: /connection refused by http:\/\/127\.0\.0\.1:\d+ after 5 attempts/ },
    setup: async (p) => void (p.endpoint = `http://127.0.0.1:${await freePort()}`),
  },
  ...codeRow(
    "connection dropped before any byte",
    "socket destroyed",
    "drop",
    "ECONNRESET",
    /network error ECONNRESET .* after 5 attempts/,
  ),
  ...codeRow(
    "connection reset mid-body",
    "headers + half the body, then reset",
    "reset",
    "ECONNRESET",
    /network error ECONNRESET .* after 5 attempts/,
  ),
  {
    fault: "answer slower than the read time-out",
    variant: "transient",
    how: "1 answer held 2 s (sdk read time-out 500 ms), then normal",
    expect: { ok: true },
    retried: true,
    layers: ["sdk.list", "sdk.gate"],
    emulator: { slowMs: 2_000 },
    setup: inject({ kind: "slow", times: 1 }),
  },
  {
    fault: "answer slower than the read time-out",
    variant: "persistent",
    how: "every answer held 2 s (sdk read time-out 500 ms)",
    expect: { code: "RequestTimeout", message: /no complete answer/ },
    layers: ["sdk.list", "sdk.gate"],
    emulator: { slowMs: 2_000 },
    setup: inject({ kind: "slow", times: MANY }),
  },
  ...codeRow(
    "HTML error body",
    "502 text/html (a gateway page)",
    "html502",
    "NonJsonBody",
    /a body that is not the API's JSON .* after 5 attempts/,
  ),
  ...codeRow(
    "empty error body",
    "404 with no body",
    "emptyBody",
    "NonJsonBody",
    /a body that is not the API's JSON .* after 5 attempts/,
  ),
  ...codeRow(
    "empty error body (5xx)",
    "500 with no body",
    "emptyBody",
    "NonJsonBody",
    /a body that is not the API's JSON .* after 5 attempts/,
    { status: 500 },
  ),
  ...codeRow(
    "truncated JSON body",
    "200, half the JSON text",
    "truncatedJson",
    "InvalidResponse",
    /a body that is not the API's JSON .* after 5 attempts/,
  ),
  {
    fault: "a field of the wrong type",
    variant: "transient",
    how: '200 with BackupSize "about two megabytes", once',
    expect: { code: "RdsResponseError", message: /Items\.Backup\[0\]\.BackupSize = "about two megabytes"/ },
    setup: inject({ kind: "wrongType", times: 1 }),
  },
  {
    fault: "a field of the wrong type",
    variant: "persistent",
    how: '200 with BackupSize "about two megabytes", always',
    expect: { code: "RdsResponseError", message: /Items\.Backup\[0\]\.BackupSize = "about two megabytes"/ },
    setup: inject({ kind: "wrongType", times: MANY }),
  },
  {
    fault: "total disagrees with the items",
    variant: "transient",
    how: "TotalRecordCount +7 on the first answer",
    expect: { ok: true },
    setup: inject({ kind: "totalMismatch", times: 1 }),
  },
  {
    fault: "total disagrees with the items",
    variant: "persistent",
    how: "TotalRecordCount +7 on every answer",
    expect: { code: "RdsIncompleteListError", message: /the backup list changed or came back incomplete/ },
    setup: inject({ kind: "totalMismatch", times: MANY }),
  },
  {
    fault: "a backup inserted between pages",
    variant: "transient",
    how: "a new backup added after the 2nd call",
    expect: { ok: true },
    layers: ["sdk.list", "provider.read"],
    setup: (p) =>
      void p.emu.onRequest(
        (_q, n) => void (n === 2 && p.emu.addBackup(INSTANCE, backupOf(INSTANCE, "600001", 1.5, Date.now()))),
      ),
  },
  {
    fault: "a backup deleted between pages",
    variant: "transient",
    how: "a backup of page 1 removed after the 2nd call",
    expect: { ok: true },
    layers: ["sdk.list", "provider.read"],
    setup: (p) => void p.emu.onRequest((_q, n) => void (n === 2 && p.emu.removeBackup(INSTANCE, "500010"))),
  },
  {
    fault: "pages that never hold still",
    variant: "persistent",
    how: "a new backup added before every answer",
    expect: {
      code: "RdsIncompleteListError",
      message: /the backup list changed or came back incomplete .* after 3 full reads/,
    },
    layers: ["sdk.list", "provider.read"],
    setup: (p) => {
      let n = 0;
      p.emu.onRequest(() => void p.emu.addBackup(INSTANCE, backupOf(INSTANCE, String(610000 + ++n), 3.5, Date.now())));
    },
  },
  {
    fault: "expired STS token",
    variant: "persistent",
    how: "the key's token expired an hour ago",
    expect: {
      code: "InvalidSecurityToken.Expired",
      message: /the STS security token was refused \(InvalidSecurityToken\.Expired\)/,
    },
    credentials: { accessKeyId: EXPIRED_KEY_ID, accessKeySecret: EXPIRED_SECRET, securityToken: EXPIRED_TOKEN },
    setup: () => undefined,
  },
  {
    fault: "valid STS token",
    variant: "transient",
    how: "control: key + token valid for 6 h",
    expect: { ok: true },
    credentials: STS,
    setup: () => undefined,
  },
  {
    fault: "clock skew 20 min (service clock ahead)",
    variant: "persistent",
    how: "emulator clock +20 min: the signature's date is refused",
    expect: { code: "InvalidTimeStamp.Expired", message: /the request time was refused \(InvalidTimeStamp\.Expired\)/ },
    emulator: { clockOffsetMs: 20 * 60_000 },
    setup: () => undefined,
  },
  {
    fault: "clock skew 20 min (service clock behind)",
    variant: "persistent",
    how: "emulator clock -20 min",
    expect: { code: "InvalidTimeStamp.Expired", message: /the request time was refused \(InvalidTimeStamp\.Expired\)/ },
    emulator: { clockOffsetMs: -20 * 60_000 },
    setup: () => undefined,
  },
  {
    fault: "clock skew 10 min",
    variant: "transient",
    how: "control: emulator clock +10 min (inside the 15 min window)",
    expect: { ok: true },
    emulator: { clockOffsetMs: 10 * 60_000 },
    setup: () => undefined,
  },
];

const figures = new Figures("Fault matrix", [
  "fault",
  "variant",
  "layer",
  "emulator does",
  "outcome",
  "code",
  "attempts",
  "HTTP requests",
  "elapsed ms",
]);

/** A policy that counts what it is asked and tells the probe (for rows that react to a failure). */
class CountingPolicy implements RetryPolicy {
  failures: string[] = [];
  constructor(
    private readonly inner: RetryPolicy,
    private readonly probe: Probe,
  ) {}
  get maxAttempts(): number {
    return this.inner.maxAttempts;
  }
  acquireToken(now: number): RetryToken {
    return this.inner.acquireToken(now);
  }
  refreshToken(token: RetryToken, failure: RetryDecisionInput, now: number) {
    this.failures.push(failure.code ?? "");
    this.probe.onFailure?.(failure.code ?? "");
    return this.inner.refreshToken(token, failure, now);
  }
  recordSuccess(token: RetryToken): void {
    this.inner.recordSuccess(token);
  }
}

/** The error's code as the table shows it: the API/network code, else the error class. */
function codeOf(err: Error): string {
  return err instanceof RdsApiError ? err.code : err.name;
}

describe("fault matrix: sdk/ and the provider runtime against the emulator", function () {
  this.timeout(60_000);
  const shared = defaultRetryPolicy();
  const originalRefresh = shared.refreshToken;

  after(() => {
    shared.refreshToken = originalRefresh;
    // Persistent rows spent the process-wide retry budget on purpose; give it back for the suites after this one.
    shared.recordSuccess({ attempts: 2, startedAt: 0, held: shared.options.budgetCapacity });
    setStackSettings({});
    figures.flush();
  });

  for (const row of ROWS) {
    for (const layer of row.layers ?? ALL) {
      it(`${row.fault} (${row.variant}) via ${layer}: ${"ok" in row.expect ? "the right answer" : `fails: ${String(row.expect.code)}`}`, async () => {
        const emu = await startEmulator({
          data: reliabilityData(),
          port: 0,
          ...(row.emulator?.clockOffsetMs !== undefined ? { clockOffsetMs: row.emulator.clockOffsetMs } : {}),
          faults: { slowMs: row.emulator?.slowMs ?? 2_000 },
        });
        const probe: Probe = {
          emu,
          endpoint: emu.url,
          credentials: row.credentials ?? { accessKeyId: KEY_ID, accessKeySecret: SECRET },
        };
        try {
          await row.setup(probe);
          await runProbe(row, layer, probe);
        } finally {
          await probe.cleanup?.();
          await emu.close();
        }
      });
    }
  }

  async function runProbe(row: Row, layer: Layer, probe: Probe): Promise<void> {
    const policy = new CountingPolicy(
      new StandardRetryPolicy({ baseDelayMs: 20, throttlingBaseDelayMs: 40, maxRetryAfterMs: 200, random: () => 0.5 }),
      probe,
    );
    const sdkOptions: ListOptions = {
      endpoint: probe.endpoint,
      credentials: probe.credentials,
      connectTimeoutMs: 500,
      readTimeoutMs: 500,
      // A fixed-rate limiter: these rows measure the retry policy; the adaptive limiter is the load suite's.
      retry: policy,
      rateLimiter: new TokenBucketRateLimiter({ maxRps: 1_000, burst: 1_000, adaptive: false }),
    };
    // The provider layers run with the process defaults, as in Pulumi's provider process.
    const providerFailures: string[] = [];
    shared.refreshToken = function (token, failure, now) {
      providerFailures.push(failure.code ?? "");
      probe.onFailure?.(failure.code ?? "");
      return originalRefresh.call(this, token, failure, now);
    };
    setStackSettings({
      accessKey: probe.credentials.accessKeyId,
      secretKey: probe.credentials.accessKeySecret,
      securityToken: probe.credentials.securityToken,
    });
    const props = { dbInstanceId: INSTANCE, endpoint: probe.endpoint };
    const gateProps = { ...props, maxAge: "24h" };

    const started = Date.now();
    let value: unknown;
    let error: Error | undefined;
    try {
      value = await {
        "sdk.list": () => listBackups({ dbInstanceId: INSTANCE }, sdkOptions),
        "sdk.gate": () => checkFreshBackup({ dbInstanceId: INSTANCE, maxAge: "24h" }, sdkOptions),
        "provider.read": () => readBackups(INSTANCE, props),
        "provider.gate": () => readFreshBackup(INSTANCE, gateProps),
      }[layer]();
    } catch (e) {
      error = e as Error;
    }
    const elapsed = Date.now() - started;
    shared.refreshToken = originalRefresh;
    const failures = layer.startsWith("sdk") ? policy.failures : providerFailures;
    // "attempts" of the failing logical call when the sdk reports it, else 1 + retries seen.
    const attempts = error instanceof RdsApiError ? error.attempts : failures.length + 1;
    const requests = probe.endpoint === probe.emu.url ? probe.emu.stats.requests : "n/a";
    figures.add({
      fault: row.fault,
      variant: row.variant,
      layer,
      "emulator does": row.how,
      outcome: error ? `error: ${gist(error.message, 90)}` : "ok: complete, correct",
      code: error ? codeOf(error) : failures.length ? `recovered from ${[...new Set(failures)].join(", ")}` : "-",
      attempts,
      "HTTP requests": requests,
      "elapsed ms": elapsed,
    });

    const [sdkBound, providerBound] = row.boundMs ?? [10_000, 20_000];
    expect(elapsed, "within the deadline").to.be.below(layer.startsWith("sdk") ? sdkBound : providerBound);
    if ("ok" in row.expect) {
      expect(error, error?.message).to.equal(undefined);
      await expectTheTruth(layer, value, probe);
      if (row.retried) {
        expect(failures.length, "the fault was seen and retried").to.be.greaterThan(0);
      }
      return;
    }
    expect(error, "must fail").to.be.instanceOf(Error);
    const message = (error as Error).message;
    expect(leakedMarkers(message), "no secret, token or URL in the message").to.deep.equal([]);
    if (layer.startsWith("sdk")) {
      const code = codeOf(error as Error);
      if (row.expect.code instanceof RegExp) expect(code).to.match(row.expect.code);
      else expect(code).to.equal(row.expect.code);
    }
    expect(message).to.match(row.expect.message);
    if (layer === "provider.gate") {
      expect(message).to.contain(
        `could not read the backups of ${INSTANCE}, so freshness cannot be proven and the deployment is stopped`,
      );
      expect(message).not.to.match(/older than the limit|no usable backup ended/);
    }
  }

  /** A success must be the emulator's whole current list (read again, fault-free, to compare). */
  async function expectTheTruth(layer: Layer, value: unknown, probe: Probe): Promise<void> {
    const url = probe.endpoint;
    const truth = await listBackups(
      { dbInstanceId: INSTANCE },
      {
        endpoint: url,
        credentials: { accessKeyId: KEY_ID, accessKeySecret: SECRET },
        retry: new StandardRetryPolicy({ random: () => 0 }),
        rateLimiter: new TokenBucketRateLimiter({ maxRps: 1_000 }),
      },
    );
    const ids = truth.backups.map((b) => b.backupId).sort();
    const newest = "500000";
    switch (layer) {
      case "sdk.list": {
        const list = value as Awaited<ReturnType<typeof listBackups>>;
        expect(list.backups.map((b) => b.backupId).sort()).to.deep.equal(ids);
        expect(list.totalRecordCount).to.equal(ids.length);
        break;
      }
      case "provider.read": {
        const r = value as { props: { ids: string[]; totalCount: number; latest: { backupId: string } } };
        expect([...r.props.ids].sort()).to.deep.equal(ids);
        expect(r.props.totalCount).to.equal(ids.length);
        expect(["500000", "600001"]).to.include(r.props.latest.backupId);
        expect(leakedMarkers(JSON.stringify(r.props))).to.deep.equal([]);
        break;
      }
      case "sdk.gate": {
        const v = value as Awaited<ReturnType<typeof checkFreshBackup>>;
        expect(v.fresh).to.equal(true);
        expect(v.newest?.backupId).to.equal(newest);
        break;
      }
      case "provider.gate": {
        const r = value as { props: { backupId: string } };
        expect(r.props.backupId).to.equal(newest);
        expect(leakedMarkers(JSON.stringify(r.props))).to.deep.equal([]);
        break;
      }
    }
  }

  it("a stale backup is a verdict, not an error: the two messages are never confused", async () => {
    const emu = await startEmulator({ data: reliabilityData(), port: 0 });
    try {
      setStackSettings({ accessKey: KEY_ID, secretKey: SECRET });
      const stale = await rejection(
        readFreshBackup("rm-relstale01", { dbInstanceId: "rm-relstale01", endpoint: emu.url, maxAge: "24h" }),
      );
      expect(stale.message)
        .to.match(/older than the limit 24h/)
        .and.not.to.match(/could not read/);
      emu.injectFaults([{ kind: "serviceUnavailable", times: MANY }]);
      const unread = await rejection(
        readFreshBackup("rm-relstale01", { dbInstanceId: "rm-relstale01", endpoint: emu.url, maxAge: "24h" }),
      );
      expect(unread.message)
        .to.match(/could not read/)
        .and.not.to.match(/older than/);
    } finally {
      await emu.close();
    }
  });
});
