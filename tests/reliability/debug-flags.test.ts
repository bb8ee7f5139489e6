/**
 * No secret, token or signature in any output under any debug setting. The CLI and an sdk read
 * run in child processes against the emulator with an STS token, with `DEBUG=*` (the `debug`
 * package: the SDK's HTTP layer logs every header) and `NODE_DEBUG=http,net` (Node's own logging
 * prints each request's options), on a successful read and on an error path.
 */
import { expect } from "chai";
import { spawn } from "node:child_process";
import { startEmulator, type RunningEmulator } from "../../emulator";
import { INSTANCE, leakedMarkers, reliabilityData, STS_KEY_ID, STS_SECRET, STS_TOKEN } from "./helpers";
import { REPO_ROOT } from "../../support/repo-root";

/** A request signature as the SDK writes it: the ACS3 Authorization header or the RPC query parameter. */
const SIGNATURE = /Signature=[0-9A-Za-z%+/=]{8,}|x-acs-security-token|SecurityToken=/i;

interface Run {
  code: number | null;
  out: string;
}

function run(args: string[], env: Record<string, string>): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["-r", "ts-node/register/transpile-only", ...args], {
      cwd: REPO_ROOT,
      env: { ...process.env, TS_NODE_TRANSPILE_ONLY: "true", NO_COLOR: "1", DEBUG_COLORS: "0", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr.on("data", (d: Buffer) => (out += d.toString()));
    const timer = setTimeout(() => child.kill("SIGKILL"), 60_000);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, out });
    });
  });
}

const SDK_READ = (endpoint: string, secret: string): string[] => [
  "-e",
  `require("./sdk").listBackups({ dbInstanceId: ${JSON.stringify(INSTANCE)} }, { endpoint: ${JSON.stringify(endpoint)}, ` +
    `credentials: { accessKeyId: ${JSON.stringify(STS_KEY_ID)}, accessKeySecret: ${JSON.stringify(secret)}, securityToken: ${JSON.stringify(STS_TOKEN)} }, ` +
    `retry: { maxAttempts: 1 } }).then((l) => console.log("read", l.backups.length), (e) => { console.log("failed", e.code ?? e.field, e.message); process.exitCode = 3; })`,
];

function expectNothingSecret(r: Run, what: string): void {
  expect(leakedMarkers(r.out), `${what}: markers in the output`).to.deep.equal([]);
  expect(r.out, `${what}: the secret`).to.not.include(STS_SECRET);
  expect(SIGNATURE.exec(r.out)?.[0], `${what}: a signature or the token header`).to.equal(undefined);
}

describe("debug flags never print a credential, a token or a signature", function () {
  this.timeout(120_000);
  let emu: RunningEmulator;
  before(async () => (emu = await startEmulator({ data: reliabilityData(), port: 0 })));
  after(async () => emu?.close());

  const sts = (): Record<string, string> => ({
    ALIBABA_CLOUD_ACCESS_KEY_ID: STS_KEY_ID,
    ALIBABA_CLOUD_ACCESS_KEY_SECRET: STS_SECRET,
    ALIBABA_CLOUD_SECURITY_TOKEN: STS_TOKEN,
    ALIBABA_CLOUD_RDS_ENDPOINT: emu.url,
  });

  it("DEBUG=*: the CLI and an sdk read work, and the SDK's HTTP logging is switched off with a warning", async () => {
    const cli = await run(["cli/main.ts", "list", INSTANCE, "--output", "json"], { ...sts(), DEBUG: "*" });
    expectNothingSecret(cli, "cli");
    expect(cli.code, cli.out.slice(-2000)).to.equal(0);
    expect(cli.out).to.include("RDS_BACKUPS_DEBUG_FILTERED");
    const sdk = await run(SDK_READ(emu.url, STS_SECRET), { DEBUG: "*" });
    expectNothingSecret(sdk, "sdk");
    expect(sdk.out).to.include("read 250");
  });

  it("DEBUG=* on error paths: a wrong secret, and a CLI error", async () => {
    const sdk = await run(SDK_READ(emu.url, `${STS_SECRET}x`), { DEBUG: "*" });
    expectNothingSecret(sdk, "sdk wrong secret");
    expect(sdk.out).to.include("failed SignatureDoesNotMatch");
    const cli = await run(["cli/main.ts", "list", "rm-nosuchinstance1"], { ...sts(), DEBUG: "httpx:*,sign" });
    expectNothingSecret(cli, "cli unknown instance");
    expect(cli.code).to.not.equal(0);
  });

  it("NODE_DEBUG=http,net: refused before any request, saying how to fix it", async () => {
    const before = emu.stats.requests;
    const cli = await run(["cli/main.ts", "list", INSTANCE], { ...sts(), NODE_DEBUG: "http,net" });
    expectNothingSecret(cli, "cli");
    expect(cli.code).to.not.equal(0);
    expect(cli.out).to.include("NODE_DEBUG").and.include("Unset NODE_DEBUG");
    const sdk = await run(SDK_READ(emu.url, STS_SECRET), { NODE_DEBUG: "http,net" });
    expectNothingSecret(sdk, "sdk");
    expect(sdk.out).to.include("failed NODE_DEBUG");
    const tls = await run(SDK_READ(emu.url, STS_SECRET), { NODE_DEBUG: "ht*" });
    expect(tls.out).to.include("failed NODE_DEBUG");
    expect(emu.stats.requests, "no request reached the emulator").to.equal(before);
  });
});
