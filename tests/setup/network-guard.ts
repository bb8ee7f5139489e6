/**
 * Mocha root hooks (registered in .mocharc.json): no test may open a connection beyond loopback.
 * The guard refuses the connection before any packet leaves, and this hook fails the test that
 * caused it, even when the code under test swallowed the error. Child processes the tests spawn
 * (the CLI, the emulator, the Pulumi engine's Node hosts) inherit NODE_OPTIONS with the compiled
 * guard when dist/ has been built (`npm test` builds first); their refusals fail their own run.
 */
import * as fs from "node:fs";
import { refusedConnections } from "../../support/network-guard";
import { COMPILED_NETWORK_GUARD as COMPILED } from "../../support/pulumi-driver";

if (fs.existsSync(COMPILED) && !(process.env["NODE_OPTIONS"] ?? "").includes(COMPILED)) {
  process.env["NODE_OPTIONS"] = `${process.env["NODE_OPTIONS"] ?? ""} --require ${JSON.stringify(COMPILED)}`.trim();
}

let seen = 0;
export const mochaHooks = {
  afterEach(this: Mocha.Context): void {
    if (refusedConnections.length === seen) return;
    const fresh = refusedConnections.slice(seen);
    seen = refusedConnections.length;
    throw new Error(`network guard: this test tried to reach beyond loopback: ${fresh.join("; ")}`);
  },
};
