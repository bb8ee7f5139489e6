/**
 * The real engine (offline Pulumi CLI) on both examples, configured with an STS key, secret and
 * token: a few bad inputs and faults through `pulumi preview`, then the secrets audit of
 * `pulumi up` and `pulumi refresh` at `-v=9 --logtostderr --logflow`: every byte captured (stdout,
 * stderr, `pulumi stack export`, every file under the backend, PULUMI_HOME included) is searched
 * for the secret, the token and the download URLs' marker. Figures: RELIABILITY_REPORT=<file>.
 */
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { startEmulator, type RunningEmulator } from "../../emulator";
import {
  type Backend,
  SETUP_TIMEOUT_MS,
  configSetAll,
  copyExample,
  ensurePulumi,
  initStack,
  newBackend,
  pulumi,
  stackExport,
} from "../e2e/harness";
import {
  Figures,
  INSTANCE,
  leakedMarkers,
  reliabilityData,
  STALE_INSTANCE,
  STS_KEY_ID,
  STS_SECRET,
  STS_TOKEN,
} from "./helpers";

const figures = new Figures("Secrets audit and engine probes", [
  "artifact",
  "command",
  "bytes searched",
  "markers found",
  "result",
]);
const VERBOSE = ["-v=9", "--logtostderr", "--logflow"];

function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isSymbolicLink()) return [];
    if (e.isDirectory()) return e.name === "node_modules" || e.name === "plugins" ? [] : filesUnder(p);
    return [p];
  });
}

describe("real engine: bad input and faults at preview, and the secrets audit", function () {
  this.timeout(10 * 60_000);
  let backend: Backend;
  let emu: RunningEmulator;
  let env: Record<string, string>;
  const captured: Array<{ artifact: string; command: string; text: string }> = [];

  before(async function () {
    this.timeout(SETUP_TIMEOUT_MS);
    await ensurePulumi();
    emu = await startEmulator({ data: reliabilityData(), port: 0 });
    backend = newBackend("rds-rel-");
    env = { ALIBABA_CLOUD_RDS_ENDPOINT: emu.url };
  });
  after(async () => {
    figures.flush();
    backend?.cleanup();
    await emu?.close();
  });

  const settings = { "alicloud:region": "cn-hangzhou", "alicloud:accessKey": STS_KEY_ID };
  const secrets = { "alicloud:secretKey": STS_SECRET, "alicloud:securityToken": STS_TOKEN };
  const keep = (artifact: string, command: string, text: string): void =>
    void captured.push({ artifact, command, text });

  describe("fresh-backup-gate", () => {
    let cwd: string;
    const stack = "gate";
    before(async () => {
      cwd = copyExample("fresh-backup-gate", backend.dir);
      await initStack(stack, { cwd, backend, env });
      await configSetAll({ dbInstanceId: INSTANCE, maxAge: "1x", ...settings }, { cwd, backend, env, stack }, secrets);
    });

    it('bad input (maxAge "1x"): preview fails naming maxAge, no API call', async () => {
      emu.resetStats();
      const r = await pulumi(["preview"], { cwd, backend, env, stack });
      keep("stdout+stderr", "preview (maxAge 1x)", r.stdout + r.stderr);
      expect(r.code).to.not.equal(0);
      expect(r.stdout + r.stderr)
        .to.contain("maxAge")
        .and.to.contain('"1x"');
      expect(emu.stats.requests).to.equal(0);
      figures.add({
        artifact: "engine preview, bad input",
        command: 'pulumi preview (maxAge "1x")',
        "bytes searched": r.stdout.length + r.stderr.length,
        "markers found": "-",
        result: `exit ${r.code}, names maxAge, ${emu.stats.requests} API requests`,
      });
    });

    it("bad input (dbInstanceId upper case): preview fails naming dbInstanceId, no API call", async () => {
      await configSetAll({ dbInstanceId: "RM-REL01", maxAge: "24h" }, { cwd, backend, env, stack });
      emu.resetStats();
      const r = await pulumi(["preview"], { cwd, backend, env, stack });
      keep("stdout+stderr", "preview (dbInstanceId RM-REL01)", r.stdout + r.stderr);
      expect(r.code).to.not.equal(0);
      expect(r.stdout + r.stderr)
        .to.contain("dbInstanceId")
        .and.to.contain("RM-REL01");
      expect(emu.stats.requests).to.equal(0);
      figures.add({
        artifact: "engine preview, bad input",
        command: 'pulumi preview (dbInstanceId "RM-REL01")',
        "bytes searched": r.stdout.length + r.stderr.length,
        "markers found": "-",
        result: `exit ${r.code}, names dbInstanceId, ${emu.stats.requests} API requests`,
      });
      await configSetAll({ dbInstanceId: INSTANCE }, { cwd, backend, env, stack });
    });

    it("persistent 503: preview fails closed, says it could not read, the migration is not previewed", async () => {
      emu.resetStats();
      emu.injectFaults([{ kind: "serviceUnavailable", times: 5 }]);
      const r = await pulumi(["preview"], { cwd, backend, env, stack });
      const out = r.stdout + r.stderr;
      keep("stdout+stderr", "preview (503 x5)", out);
      expect(r.code).to.not.equal(0);
      expect(out).to.contain("could not read the backups of rm-rel01").and.to.contain("ServiceUnavailable");
      expect(out).not.to.match(/older than the limit/);
      expect(out).not.to.match(/SchemaMigration\s+schema-v42\s+create/);
      expect(emu.stats.describeBackups).to.equal(5);
      figures.add({
        artifact: "engine preview, fault",
        command: "pulumi preview (503 on 5 requests)",
        "bytes searched": out.length,
        "markers found": "-",
        result: `exit ${r.code}, fails closed ("could not read"), ${emu.stats.describeBackups} requests`,
      });
    });

    it("transient throttling, then up and refresh at -v=9: the gate passes and nothing secret is printed", async () => {
      emu.resetStats();
      emu.injectFaults([{ kind: "throttle", times: 2, retryAfterMs: 100 }]);
      const up = await pulumi(["up", "--yes", ...VERBOSE], { cwd, backend, env, stack });
      keep("stdout+stderr -v=9", "up", up.stdout + up.stderr);
      expect(up.code, up.stdout.slice(-2000) + up.stderr.slice(-3000)).to.equal(0);
      expect(up.stdout).to.match(/protectedByBackupId\s*:\s*"500000"/);
      figures.add({
        artifact: "engine up, fault",
        command: "pulumi up (Throttling.User x2, retry-after 100 ms)",
        "bytes searched": up.stdout.length + up.stderr.length,
        "markers found": "-",
        result: `exit ${up.code}, gate passed on 500000 after retries (${emu.stats.describeBackups} requests)`,
      });
      const refresh = await pulumi(["refresh", "--yes", ...VERBOSE], { cwd, backend, env, stack });
      keep("stdout+stderr -v=9", "refresh", refresh.stdout + refresh.stderr);
      expect(refresh.code, refresh.stderr.slice(-3000)).to.equal(0);
      const preview = await pulumi(["preview", "--diff"], { cwd, backend, env, stack });
      keep("stdout+stderr", "preview --diff", preview.stdout + preview.stderr);
      const state = await stackExport({ cwd, backend, env, stack });
      keep("stack export", "stack export", state.text);
    });

    it("a stale instance: the message is the verdict (older than), never a read failure", async () => {
      await configSetAll({ dbInstanceId: STALE_INSTANCE }, { cwd, backend, env, stack });
      const r = await pulumi(["preview"], { cwd, backend, env, stack });
      keep("stdout+stderr", "preview (stale)", r.stdout + r.stderr);
      expect(r.code).to.not.equal(0);
      expect(r.stdout + r.stderr)
        .to.match(/older than the limit 24h/)
        .and.not.to.match(/could not read/);
      await configSetAll({ dbInstanceId: INSTANCE }, { cwd, backend, env, stack });
    });
  });

  describe("read-backups", () => {
    let cwd: string;
    const stack = "read";
    before(async () => {
      cwd = copyExample("read-backups", backend.dir);
      await initStack(stack, { cwd, backend, env });
      await configSetAll({ dbInstanceId: INSTANCE, ...settings }, { cwd, backend, env, stack }, secrets);
    });

    it("up and refresh at -v=9 with an STS token configured", async () => {
      const up = await pulumi(["up", "--yes", ...VERBOSE], { cwd, backend, env, stack });
      keep("stdout+stderr -v=9", "up (read-backups)", up.stdout + up.stderr);
      expect(up.code, up.stderr.slice(-3000)).to.equal(0);
      expect(up.stdout).to.match(/latestId\s*:\s*"500000"/);
      const refresh = await pulumi(["refresh", "--yes", ...VERBOSE], { cwd, backend, env, stack });
      keep("stdout+stderr -v=9", "refresh (read-backups)", refresh.stdout + refresh.stderr);
      expect(refresh.code, refresh.stderr.slice(-3000)).to.equal(0);
      const state = await stackExport({ cwd, backend, env, stack });
      keep("stack export", "stack export (read-backups)", state.text);
    });
  });

  describe("the audit", () => {
    it("no secret, token or download URL in any captured output, the state, or any file under the backend", () => {
      // Every file under the backend (project copies, PULUMI_HOME logs and workspaces, state and its backups), one row per folder.
      const byFolder = new Map<string, string[]>();
      for (const file of filesUnder(backend.dir)) {
        const folder = path.dirname(path.relative(backend.dir, file)).replace(/(state\/\.pulumi\/[^/]+)\/.*/, "$1");
        byFolder.set(folder, [...(byFolder.get(folder) ?? []), fs.readFileSync(file, "latin1")]);
      }
      for (const [folder, texts] of byFolder)
        keep(`files under ${folder}/ (${texts.length})`, "(on disk after the runs)", texts.join("\n"));
      const found: string[] = [];
      for (const c of captured) {
        const leaks = leakedMarkers(c.text);
        const which = leaks.map((m) => (m === STS_SECRET ? "secret" : m === STS_TOKEN ? "token" : "url")).join(", ");
        if (
          !c.artifact.startsWith("stdout+stderr") ||
          leaks.length > 0 ||
          c.artifact.startsWith("stdout+stderr -v=9")
        ) {
          figures.add({
            artifact: c.artifact,
            command: c.command,
            "bytes searched": c.text.length,
            "markers found": which || "none",
            result: leaks.length ? "LEAK" : "clean",
          });
        }
        if (leaks.length) found.push(`${c.artifact} [${c.command}]: ${which}`);
      }
      expect(captured.length).to.be.greaterThan(8);
      expect(found, found.join("\n")).to.deep.equal([]);
    });
  });
});
