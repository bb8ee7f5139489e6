/**
 * The credential chain tries only the sources that are configured or present: no request to the
 * ECS metadata service off ECS, no URI provider without ALIBABA_CLOUD_CREDENTIALS_URI (which used
 * to resolve a host named "undefinedGET"), and an error that says what was tried and how to
 * configure a source. The network guard of the test setup fails any test that reaches beyond
 * loopback, so "no request" is checked by the guard as well as by its record.
 */
import { expect } from "chai";
import * as fs from "node:fs";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { startEmulator, type RunningEmulator } from "../../emulator";
import { refusedConnections } from "../../support/network-guard";
import { listBackups, RdsApiError } from "../../sdk";
import { StandardRetryPolicy } from "../../sdk/retry";
import {
  CHAIN_ENV_VARS,
  chainSources,
  machineProbe,
  noCredentialsMessage,
  type ChainProbe,
} from "../../sdk/credentials";

const KEY_ID = "STS.ChainKeyId01";
const SECRET = "chain-secret-Zq81";
const TOKEN = "chain-token-CAISxyz";

function probe(env: NodeJS.ProcessEnv = {}, files: string[] = [], vendor = ""): ChainProbe {
  return { env, homedir: "/home/u", exists: (f) => files.includes(f), systemVendor: () => vendor };
}
const configured = (p: ChainProbe): string[] =>
  chainSources(p)
    .filter((s) => s.configured)
    .map((s) => s.name);

describe("sdk credential chain: only configured sources", function () {
  this.timeout(30_000);

  it("marks a source configured only when its variables are set or its file or machine is there", () => {
    expect(configured(probe())).to.deep.equal([]);
    expect(configured(probe({ ALIBABA_CLOUD_ACCESS_KEY_ID: "x" }))).to.deep.equal(["environment"]);
    expect(configured(probe({}, ["/home/u/.aliyun/config.json"]))).to.deep.equal(["cliProfile"]);
    expect(
      configured(probe({ ALIBABA_CLOUD_CLI_PROFILE_DISABLED: "true" }, ["/home/u/.aliyun/config.json"])),
    ).to.deep.equal([]);
    expect(configured(probe({}, ["/home/u/.alibabacloud/credentials"]))).to.deep.equal(["credentialsFile"]);
    expect(configured(probe({ ALIBABA_CLOUD_CREDENTIALS_FILE: "/etc/c" }, ["/etc/c"]))).to.deep.equal([
      "credentialsFile",
    ]);
    expect(configured(probe({ ALIBABA_CLOUD_ROLE_ARN: "a", ALIBABA_CLOUD_OIDC_PROVIDER_ARN: "b" }))).to.deep.equal([]);
    expect(
      configured(
        probe({
          ALIBABA_CLOUD_ROLE_ARN: "a",
          ALIBABA_CLOUD_OIDC_PROVIDER_ARN: "b",
          ALIBABA_CLOUD_OIDC_TOKEN_FILE: "c",
        }),
      ),
    ).to.deep.equal(["oidc"]);
    expect(configured(probe({}, [], "Alibaba Cloud"))).to.deep.equal(["ecsRamRole"]);
    expect(configured(probe({ ALIBABA_CLOUD_ECS_METADATA: "role" }))).to.deep.equal(["ecsRamRole"]);
    expect(configured(probe({ ALIBABA_CLOUD_ECS_METADATA_DISABLED: "TRUE" }, [], "Alibaba Cloud"))).to.deep.equal([]);
    expect(configured(probe({ ALIBABA_CLOUD_CREDENTIALS_URI: "http://127.0.0.1:1/c" }))).to.deep.equal([
      "credentialsUri",
    ]);
  });

  it("says what it tried, why it failed, and how to configure the rest", () => {
    const sources = chainSources(probe({}, ["/home/u/.aliyun/config.json"]));
    const text = noCredentialsMessage(sources, new Map([["cliProfile", "\"unable to get profile with 'default'\""]]));
    expect(text).to.match(
      /^tried the aliyun CLI profile \(~\/\.aliyun\/config\.json\): "unable to get profile with 'default'"; not configured \(no request made\): /,
    );
    expect(text)
      .to.include("set ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET")
      .and.include("ALIBABA_CLOUD_CREDENTIALS_URI")
      .and.include("set ALIBABA_CLOUD_ECS_METADATA to the role name");
    expect(noCredentialsMessage(chainSources(probe()), new Map())).to.match(
      /^no credential source is configured; not configured/,
    );
  });

  describe("against the emulator, with the process environment and home emptied", () => {
    let emu: RunningEmulator;
    const saved: Record<string, string | undefined> = {};
    let home: string;
    before(async function () {
      if (/alibaba/i.test(machineProbe().systemVendor())) this.skip(); // on ECS the instance's role is a real source
      emu = await startEmulator({
        data: {
          accessKeys: { [KEY_ID]: { secret: SECRET, securityToken: TOKEN } },
          instances: { "rm-chain01": { regionId: "cn-hangzhou", backups: [] } },
        },
        port: 0,
      });
      home = fs.mkdtempSync(path.join(os.tmpdir(), "rds-chain-home-"));
      for (const k of [...CHAIN_ENV_VARS, "HOME"]) saved[k] = process.env[k];
      for (const k of CHAIN_ENV_VARS) delete process.env[k];
      process.env["HOME"] = home;
    });
    after(async () => {
      for (const [k, v] of Object.entries(saved))
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      await emu?.close();
      if (home) fs.rmSync(home, { recursive: true, force: true });
    });

    it("no source configured: no request anywhere, and an error that says how to configure one", async () => {
      const refusedBefore = refusedConnections.length;
      let err: unknown;
      try {
        await listBackups(
          { dbInstanceId: "rm-chain01" },
          { endpoint: emu.url, retry: new StandardRetryPolicy({ maxAttempts: 1 }) },
        );
      } catch (e) {
        err = e;
      }
      expect(err).to.be.instanceOf(RdsApiError);
      const e = err as RdsApiError;
      expect(e.code).to.equal("CredentialsUnavailable");
      expect(e.message)
        .to.include("no credential source is configured")
        .and.include("ALIBABA_CLOUD_ACCESS_KEY_ID")
        .and.not.include("undefined");
      expect(refusedConnections.slice(refusedBefore), "connections beyond loopback").to.deep.equal([]);
      expect(emu.stats.requests, "nothing was sent unsigned").to.equal(0);
    });

    it("ALIBABA_CLOUD_CREDENTIALS_URI set: that source is used (here a local endpoint), and the read works", async () => {
      let asked = 0;
      const server = http.createServer((_req, res) => {
        asked++;
        res.writeHead(200, { "content-type": "application/json" });
        res.end(
          JSON.stringify({
            Code: "Success",
            AccessKeyId: KEY_ID,
            AccessKeySecret: SECRET,
            SecurityToken: TOKEN,
            Expiration: new Date(Date.now() + 3_600_000).toISOString().slice(0, 19) + "Z",
          }),
        );
      });
      await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
      process.env["ALIBABA_CLOUD_CREDENTIALS_URI"] =
        `http://127.0.0.1:${(server.address() as AddressInfo).port}/credentials`;
      try {
        const list = await listBackups({ dbInstanceId: "rm-chain01" }, { endpoint: emu.url });
        expect(list.backups).to.deep.equal([]);
        expect(asked).to.be.at.least(1);
      } finally {
        delete process.env["ALIBABA_CLOUD_CREDENTIALS_URI"];
        server.close();
      }
    });
  });
});
