/**
 * The test setup's network guard: nothing leaves loopback, in this process or in the processes
 * the tests start. Each case takes back the refusals it caused on purpose, so that the root hook
 * (which fails any test that tried to reach beyond loopback) stays quiet.
 */
import { expect } from "chai";
import { spawnSync } from "node:child_process";
import * as dns from "node:dns";
import * as fs from "node:fs";
import * as net from "node:net";
import { isLoopback, isPackageManager, refusedConnections } from "../../support/network-guard";
import { COMPILED_NETWORK_GUARD } from "../../support/pulumi-driver";

function takeRefusals(from: number): string[] {
  return refusedConnections.splice(from);
}

describe("network guard (test setup)", () => {
  it("knows loopback from everything else", () => {
    for (const h of ["127.0.0.1", "127.3.2.1", "::1", "[::1]", "localhost", "::ffff:127.0.0.1"])
      expect(isLoopback(h), h).to.equal(true);
    for (const h of [
      "100.100.100.200",
      "10.0.0.1",
      "rds.aliyuncs.com",
      "undefinedGET",
      "::",
      "0.0.0.0",
      "::ffff:10.0.0.1",
    ])
      expect(isLoopback(h), h).to.equal(false);
  });

  it("leaves the package manager alone (npm fetches from its registry by design), and only it", () => {
    for (const s of [
      "/usr/lib/node_modules/npm/bin/npm-cli.js",
      "/usr/bin/npm",
      "/usr/lib/node_modules/npm/bin/npx-cli.js",
    ])
      expect(isPackageManager(s), s).to.equal(true);
    for (const s of [
      "/repo/node_modules/.bin/mocha",
      "/repo/dist/cli/main.js",
      "/repo/node_modules/npm-run-all/bin/x.js",
      undefined,
    ])
      expect(isPackageManager(s), String(s)).to.equal(false);
  });

  it("refuses a TCP connection beyond loopback before it is made, and records it", async () => {
    const before = refusedConnections.length;
    const err = await new Promise<NodeJS.ErrnoException>((resolve) => {
      const s = net.connect({ host: "100.100.100.200", port: 80 });
      s.on("connect", () => resolve(Object.assign(new Error("connected"), { code: "CONNECTED" })));
      s.on("error", resolve);
    });
    expect(err.code).to.equal("ENETUNREACH");
    expect(takeRefusals(before)).to.deep.equal(["connection to 100.100.100.200:80"]);
  });

  it("refuses a DNS lookup of any name but localhost", async () => {
    const before = refusedConnections.length;
    const err = await new Promise<NodeJS.ErrnoException | null>((resolve) =>
      dns.lookup("undefinedGET", (e) => resolve(e)),
    );
    expect(err?.code).to.equal("ENETUNREACH");
    await dns.promises.lookup("rds.aliyuncs.com").then(
      () => expect.fail("resolved"),
      (e: NodeJS.ErrnoException) => expect(e.code).to.equal("ENETUNREACH"),
    );
    expect(takeRefusals(before)).to.have.length(2);
    expect((await dns.promises.lookup("localhost")).address).to.match(/^(127\.|::1)/);
  });

  it("lets loopback through", async () => {
    const server = net.createServer((s) => s.end("hi"));
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const port = (server.address() as net.AddressInfo).port;
    const text = await new Promise<string>((resolve, reject) => {
      let got = "";
      net
        .connect(port, "127.0.0.1")
        .on("data", (d) => (got += d))
        .on("end", () => resolve(got))
        .on("error", reject);
    });
    server.close();
    expect(text).to.equal("hi");
  });

  it("is inherited by child processes through NODE_OPTIONS (when dist/ is built)", function () {
    const compiled = COMPILED_NETWORK_GUARD;
    if (!fs.existsSync(compiled)) this.skip();
    expect(process.env["NODE_OPTIONS"]).to.include(compiled);
    const r = spawnSync(
      process.execPath,
      ["-e", "require('net').connect(443, '100.100.100.200').on('error', (e) => console.log(e.code))"],
      { encoding: "utf8", timeout: 20_000 },
    );
    expect(r.stdout.trim()).to.equal("ENETUNREACH");
    expect(r.stderr).to.include("network guard: refused connection to 100.100.100.200:443");
  });
});
