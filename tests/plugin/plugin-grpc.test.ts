/**
 * The provider plugin as the engine uses it: the built `pulumi-resource-alicloud-rds-backups`
 * started as a process (through its wrapper script, from dist/), driven over gRPC with the stubs
 * that ship in @pulumi/pulumi, against the emulator. Run `npm run build` first.
 */
import { expect } from "chai";
import { spawn, type ChildProcess } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { REPO_ROOT } from "../../support/repo-root";
import * as grpc from "@grpc/grpc-js";
import { generateData, startEmulator } from "../../emulator";
import {
  ACCESS_KEY_ID,
  ACCESS_KEY_SECRET,
  EMPTY_INSTANCE,
  INSTANCE,
  providerData,
  rawBackup,
} from "../provider/fixtures";

/* eslint-disable @typescript-eslint/no-require-imports, @typescript-eslint/no-explicit-any */
const providerRpc = require("@pulumi/pulumi/proto/provider_grpc_pb");
const providerProto = require("@pulumi/pulumi/proto/provider_pb");
const { Struct } = require("google-protobuf/google/protobuf/struct_pb");
const { Empty } = require("google-protobuf/google/protobuf/empty_pb");
const engineRpc = require("@pulumi/pulumi/proto/engine_grpc_pb");
const engineProto = require("@pulumi/pulumi/proto/engine_pb");
/* eslint-enable @typescript-eslint/no-require-imports */

const REPO = REPO_ROOT;
const SECRET_SIG = { key: "4dabf18193072939515e22adb298388d", value: "1b47061264138c4ac30d75fd1eb44270" };
const STALE_ENSURE = "rm-uf6pluginens01";
const OVERRIDDEN = "rm-uf6pluginovr01";
/** Stale; its backups end at once and are listed 6 s later (the listing lag). */
const LAGGING_ENSURE = "rm-uf6pluginens02";
/** Generated instances (a backup policy, full sets 3 h old, a log chain): healthy, and a gap from 2 h to 1.5 h ago (twice: one overridden). */
const PITR_HEALTHY = "rm-uf6pluginpitr01";
const PITR_GAP = "rm-uf6pluginpitr02";
const PITR_OVERRIDDEN = "rm-uf6pluginpitr03";
function recoverabilityInstances(now: number) {
  const gap = { gaps: [{ fromHoursAgo: 2, toHoursAgo: 1.5 }] };
  return generateData({
    seed: 5,
    now,
    instances: [
      { id: PITR_HEALTHY, engine: "MySQL", count: 10, newestAgeHours: 3, logChain: {} },
      { id: PITR_GAP, engine: "MySQL", count: 10, newestAgeHours: 3, logChain: gap },
      { id: PITR_OVERRIDDEN, engine: "PostgreSQL", count: 10, newestAgeHours: 3, logChain: gap },
    ],
  }).instances;
}
const GATE_URN = "urn:pulumi:dev::plugin-test::alicloud-rds-backups:index:FreshBackupGate::gate";
const ENSURE_URN = "urn:pulumi:dev::plugin-test::alicloud-rds-backups:index:EnsuredBackup::ensure";

function unary<Res = any>(client: any, method: string, request: unknown): Promise<Res> {
  return new Promise((resolve, reject) =>
    client[method](request, (err: Error | null, res: Res) => (err ? reject(err) : resolve(res))),
  );
}

async function failureOf(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (err) {
    return err as Error;
  }
  throw new Error("expected the call to fail, it succeeded");
}

function isSecret(value: any): boolean {
  return value !== null && typeof value === "object" && value[SECRET_SIG.key] === SECRET_SIG.value;
}

describe("the alicloud-rds-backups provider plugin over gRPC", function () {
  this.timeout(60_000);
  let emulator: Awaited<ReturnType<typeof startEmulator>>;
  let child: ChildProcess;
  let client: any;
  let stderr = "";
  /** The engine's side of the plugin's log calls: a Log service that records what it is sent. */
  let engine: grpc.Server;
  const engineLogs: Array<{ severity: number; urn: string; message: string }> = [];
  /** Every answer the plugin gave, as text: no credential may appear in any of them. */
  const answers: string[] = [];

  async function call(method: string, request: any): Promise<any> {
    const response = await unary(client, method, request);
    // CheckConfig hands the checked config back to the engine (keys as secrets, which the engine
    // encrypts in the provider's own state entry): every other answer must hold none.
    if (method !== "checkConfig") answers.push(JSON.stringify((response as any).toObject()));
    return response;
  }

  /** The plugin's stderr once it shows `pattern` (at most 5 s later: a pipe may lag the gRPC answer). */
  async function stderrShowing(pattern: RegExp): Promise<string> {
    for (let waited = 0; !pattern.test(stderr) && waited < 5_000; waited += 50)
      await new Promise((r) => setTimeout(r, 50));
    return stderr;
  }

  function checkRequest(urn: string, news: Record<string, unknown>, olds: Record<string, unknown> = {}) {
    const req = new providerProto.CheckRequest();
    req.setUrn(urn);
    req.setOlds(Struct.fromJavaScript(olds));
    req.setNews(Struct.fromJavaScript(news));
    return req;
  }

  function invokeRequest(args: Record<string, unknown>) {
    const req = new providerProto.InvokeRequest();
    req.setTok("alicloud-rds-backups:index:getBackups");
    req.setArgs(Struct.fromJavaScript(args));
    return req;
  }

  before(async () => {
    const now = Date.now();
    const data = providerData(now);
    data.instances[STALE_ENSURE] = {
      regionId: "cn-hangzhou",
      backups: [rawBackup("700001", 40, { DBInstanceId: STALE_ENSURE }, now)],
      backupDurationSeconds: 0,
      backupVisibilityLagSeconds: 0,
    };
    data.instances[LAGGING_ENSURE] = {
      regionId: "cn-hangzhou",
      backups: [rawBackup("700002", 40, { DBInstanceId: LAGGING_ENSURE }, now)],
      backupDurationSeconds: 0,
      backupVisibilityLagSeconds: 6,
    };
    data.instances[OVERRIDDEN] = {
      regionId: "cn-hangzhou",
      backups: [rawBackup("600001", 40, { DBInstanceId: OVERRIDDEN }, now)],
    };
    // The recoverability instances: a healthy log chain and a gap (generated, with their policies).
    Object.assign(data.instances, recoverabilityInstances(now));
    emulator = await startEmulator({ data, port: 0 });
    // No credential or endpoint in the environment: everything must come through Configure.
    const env = {
      ...process.env,
      ALIBABA_CLOUD_ACCESS_KEY_ID: "",
      ALIBABA_CLOUD_ACCESS_KEY_SECRET: "",
      ALIBABA_CLOUD_RDS_ENDPOINT: "",
    };
    engine = new grpc.Server();
    engine.addService(engineRpc.EngineService, {
      log: (logCall: any, callback: any) => {
        const r = logCall.request;
        engineLogs.push({ severity: r.getSeverity(), urn: r.getUrn(), message: r.getMessage() });
        callback(null, new Empty());
      },
    });
    const enginePort = await new Promise<number>((resolve, reject) =>
      engine.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (err, p) =>
        err ? reject(err) : resolve(p),
      ),
    );
    child = spawn(path.join(REPO, "plugin", "pulumi-resource-alicloud-rds-backups"), [`127.0.0.1:${enginePort}`], {
      cwd: REPO,
      env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    child.stderr!.on("data", (d) => (stderr += String(d)));
    const port = await new Promise<string>((resolve, reject) => {
      child.stdout!.once("data", (d) => resolve(String(d).trim()));
      child.once("exit", (code) => reject(new Error(`the plugin exited ${code}: ${stderr}`)));
    });
    client = new providerRpc.ResourceProviderClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
  });
  after(async () => {
    client?.close();
    child?.kill();
    engine?.forceShutdown();
    await emulator?.close();
  });

  it("GetSchema returns schema.json exactly, and GetPluginInfo the package's version", async () => {
    const req = new providerProto.GetSchemaRequest();
    const schema = (await call("getSchema", req)).getSchema();
    expect(schema).to.equal(fs.readFileSync(path.join(REPO, "plugin", "schema.json"), "utf8"));
    const info = await call("getPluginInfo", new Empty());
    expect(info.getVersion()).to.equal(JSON.parse(fs.readFileSync(path.join(REPO, "package.json"), "utf8")).version);
    expect(JSON.parse(schema).version).to.equal(info.getVersion());
  });

  it("CheckConfig returns the keys as secrets, and refuses an unknown setting and a bad region by name", async () => {
    const good = await call(
      "checkConfig",
      checkRequest("urn:pulumi:dev::plugin-test::pulumi:providers:alicloud-rds-backups::default", {
        region: "cn-hangzhou",
        accessKeyId: ACCESS_KEY_ID,
        accessKeySecret: ACCESS_KEY_SECRET,
        version: "0.1.0",
      }),
    );
    expect(good.getFailuresList()).to.have.length(0);
    const inputs = good.getInputs().toJavaScript();
    expect(isSecret(inputs.accessKeyId) && isSecret(inputs.accessKeySecret)).to.equal(true);
    expect(inputs.region).to.equal("cn-hangzhou");
    const bad = await call(
      "checkConfig",
      checkRequest("urn:pulumi:dev::plugin-test::pulumi:providers:alicloud-rds-backups::default", {
        region: "CN-Hangzhou",
        accesskeyid: ACCESS_KEY_ID,
      }),
    );
    const failures = bad.getFailuresList().map((f: any) => [f.getProperty(), f.getReason()]);
    // Every bad setting at once: the unknown key and the miscased region.
    expect(failures.map((f: string[]) => f[0])).to.deep.equal(["accesskeyid", "region"]);
    expect(failures[0][1]).to.contain('did you mean "accessKeyId"').and.not.contain(ACCESS_KEY_ID);
    const region = await call(
      "checkConfig",
      checkRequest("urn:x::y::pulumi:providers:alicloud-rds-backups::p", { region: "CN-Hangzhou" }),
    );
    expect(region.getFailuresList()[0].getReason()).to.contain("region").and.to.contain("cn-hangzhou");
    const overrides = await call(
      "checkConfig",
      checkRequest("urn:x::y::pulumi:providers:alicloud-rds-backups::p", {
        gateOverrides: { [OVERRIDDEN]: { why: "x" } },
      }),
    );
    expect(overrides.getFailuresList().map((f: any) => f.getProperty())).to.deep.equal([
      `alicloud-rds-backups:gateOverrides["${OVERRIDDEN}"].why`,
      `alicloud-rds-backups:gateOverrides["${OVERRIDDEN}"].reason`,
    ]);
    // The same rule as the TypeScript config: a reason nobody could read is refused, by code point.
    const unreadable = await call(
      "checkConfig",
      checkRequest("urn:x::y::pulumi:providers:alicloud-rds-backups::p", {
        gateOverrides: { [OVERRIDDEN]: { reason: "\u200b\u200b" }, [INSTANCE]: { reason: "fine \u202eenif" } },
      }),
    );
    const reasons = unreadable.getFailuresList().map((f: any) => [f.getProperty(), f.getReason()]);
    expect(reasons.map((f: string[]) => f[0])).to.deep.equal([
      `alicloud-rds-backups:gateOverrides["${OVERRIDDEN}"].reason`,
      `alicloud-rds-backups:gateOverrides["${INSTANCE}"].reason`,
    ]);
    expect(reasons[0][1]).to.contain("holds U+200B (an invisible format character) at character 1");
    expect(reasons[1][1]).to.contain("holds U+202E (a bidi control").and.not.to.contain("\u202e");
  });

  it("Configure takes region, endpoint and keys (keys as secrets), and accepts secrets", async () => {
    const req = new providerProto.ConfigureRequest();
    req.setArgs(
      Struct.fromJavaScript({
        region: "cn-hangzhou",
        endpoint: emulator.url,
        accessKeyId: { [SECRET_SIG.key]: SECRET_SIG.value, value: ACCESS_KEY_ID },
        accessKeySecret: { [SECRET_SIG.key]: SECRET_SIG.value, value: ACCESS_KEY_SECRET },
        gateOverrides: {
          [OVERRIDDEN]: { reason: "backup job broken, INC-123" },
          [PITR_OVERRIDDEN]: { reason: "WAL archive outage, INC-9" },
        },
      }),
    );
    const res = await call("configure", req);
    expect(res.getAcceptsecrets()).to.equal(true);
  });

  it("Invoke getBackups: every set oldest first, counts as numbers, UTC times, the newest usable one, no links", async () => {
    emulator.resetStats();
    const res = await call("invoke", invokeRequest({ dbInstanceId: INSTANCE }));
    expect(res.getFailuresList()).to.have.length(0);
    const out = res.getReturn().toJavaScript();
    expect(out.ids).to.deep.equal(["900001", "900002", "900003", "900004", "900005"]);
    expect(out.backups.map((b: any) => b.backupId)).to.deep.equal(out.ids);
    expect(out).to.include({ id: INSTANCE, dbInstanceId: INSTANCE, totalCount: 5 });
    expect(out.totalEcsSnapshotSize).to.be.a("number");
    expect(out.latest.backupId).to.equal("900004");
    expect(out.latest.backupSize).to.equal(512 * 1024 * 1024);
    for (const b of out.backups) expect(b.backupEndTime).to.match(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(JSON.stringify(out)).not.to.contain("presigned-");
    expect(emulator.stats.describeBackups).to.be.greaterThan(0);
  });

  it("Invoke getBackups with filters and since: only the matching sets", async () => {
    const full = (
      await call("invoke", invokeRequest({ dbInstanceId: INSTANCE, backupType: "FullBackup", backupStatus: "Success" }))
    )
      .getReturn()
      .toJavaScript();
    expect(full.ids).to.deep.equal(["900001", "900002", "900003"]);
    expect(full.latest.backupId).to.equal("900003");
    // Starts: 54 h, 30 h, 6 h, 3 h and 2 h ago.
    const recent = (await call("invoke", invokeRequest({ dbInstanceId: INSTANCE, since: "4h" })))
      .getReturn()
      .toJavaScript();
    expect(recent.ids).to.deep.equal(["900004", "900005"]);
    const none = (await call("invoke", invokeRequest({ dbInstanceId: EMPTY_INSTANCE }))).getReturn().toJavaScript();
    expect(none).to.include({ totalCount: 0 });
    expect(none.latest).to.equal(undefined);
  });

  it("Invoke getBackups with includeDownloadUrls: the links, as secrets", async () => {
    const out = (await call("invoke", invokeRequest({ dbInstanceId: INSTANCE, includeDownloadUrls: true })))
      .getReturn()
      .toJavaScript();
    expect(isSecret(out.backups) && isSecret(out.latest)).to.equal(true);
    expect(out.backups.value[0].backupDownloadUrl).to.contain("presigned-900001");
    expect(isSecret(out.ids)).to.equal(false);
  });

  it("never echoes a value that arrived as a secret: Invoke and Check failures, and a verdict's message", async () => {
    const hidden = (value: string) => ({ [SECRET_SIG.key]: SECRET_SIG.value, value });
    const leaked = "emulator-local-secret-Zq81x";
    const shown = (texts: string[]) => texts.join("\n");
    emulator.resetStats();
    const invoke = await call(
      "invoke",
      invokeRequest({ dbInstanceId: INSTANCE, secretKey: hidden(leaked), backupStatus: hidden("Succeeded-secretly") }),
    );
    const invokeReasons = invoke.getFailuresList().map((f: any) => f.getReason());
    expect(invoke.getFailuresList().map((f: any) => f.getProperty())).to.deep.equal(["secretKey", "backupStatus"]);
    expect(shown(invokeReasons)).to.contain("(secret, not shown)").and.not.to.contain(leaked);
    expect(shown(invokeReasons)).not.to.contain("Succeeded-secretly");
    // Still says what is wrong and what is allowed.
    expect(invokeReasons[0]).to.match(/^secretKey \(secret, not shown\) is not a known parameter; use one of/);
    expect(invokeReasons[1]).to.contain("Success");

    const check = await call(
      "check",
      checkRequest(GATE_URN, {
        dbInstanceId: INSTANCE,
        maxAge: hidden("soon-and-secret"),
        accessKeySecret: hidden(leaked),
      }),
    );
    const checkReasons = shown(check.getFailuresList().map((f: any) => f.getReason()));
    expect(check.getFailuresList().map((f: any) => f.getProperty())).to.deep.equal(["accessKeySecret", "maxAge"]);
    expect(checkReasons)
      .to.contain("(secret, not shown)")
      .and.not.to.contain(leaked)
      .and.not.to.contain("soon-and-secret");
    expect(emulator.stats.requests, "refused before any call").to.equal(0);

    // A secret instance id is not named by the verdict that stops a stale gate either.
    const stale = await failureOf(
      call("check", checkRequest(GATE_URN, { dbInstanceId: hidden(INSTANCE), maxAge: "4h" })),
    );
    expect(stale.message).to.contain("FreshBackupGate: (secret, not shown): newest usable backup 900003");
    expect(stale.message).not.to.contain(INSTANCE);
  });

  it("Invoke of a function the package does not have is refused by name", async () => {
    const req = new providerProto.InvokeRequest();
    req.setTok("alicloud-rds-backups:index:getBackup");
    req.setArgs(Struct.fromJavaScript({ dbInstanceId: INSTANCE }));
    const error = await failureOf(call("invoke", req));
    expect(error.message)
      .to.contain('"alicloud-rds-backups:index:getBackup"')
      .and.to.contain("alicloud-rds-backups:index:getBackups");
  });

  it("Invoke getBackups with bad arguments: failures naming each field, before any call", async () => {
    emulator.resetStats();
    const res = await call(
      "invoke",
      invokeRequest({
        dbInstanceId: INSTANCE,
        backupMode: "automated",
        since: "4h",
        startTime: "2026-01-01T00:00:00Z",
      }),
    );
    const failures = res.getFailuresList().map((f: any) => [f.getProperty(), f.getReason()]);
    expect(failures.map((f: string[]) => f[0]).sort()).to.deep.equal(["backupMode", "since"]);
    expect(failures.find((f: string[]) => f[0] === "backupMode")[1]).to.contain("Automated");
    expect(emulator.stats.requests).to.equal(0);
  });

  it("the gate's Check passes a fresh backup and fails a stale one naming the instance and the newest usable backup", async () => {
    const fresh = await call("check", checkRequest(GATE_URN, { dbInstanceId: INSTANCE, maxAge: "6h" }));
    expect(fresh.getFailuresList()).to.have.length(0);
    // `checked` and the verdict are known in preview: the engine shows a new resource's checked
    // inputs as its outputs, and Diff compares the verdict with the state.
    expect(fresh.getInputs().toJavaScript()).to.deep.equal({
      dbInstanceId: INSTANCE,
      maxAge: "6h",
      checked: `${INSTANCE}: a usable FullBackup ended within 6h`,
      fresh: true,
      override: null,
      // Without recoverableWithin, nothing is said of a point-in-time restore.
      recoverable: null,
    });
    const stale = await failureOf(call("check", checkRequest(GATE_URN, { dbInstanceId: INSTANCE, maxAge: "4h" })));
    expect(stale.message)
      .to.contain(INSTANCE)
      .and.to.contain("900003")
      .and.to.match(/older than the limit 4h/);
    // Named as the program wrote it (YAML, Python, ...), not as the TypeScript function.
    expect(stale.message).to.contain(`FreshBackupGate: ${INSTANCE}: newest usable backup 900003`);
    expect(stale.message).not.to.contain("requireFreshBackup");
    expect(stale.message).to.contain(
      `pulumi config set --path 'alicloud-rds-backups:gateOverrides["${INSTANCE}"].reason'`,
    );
    const none = await failureOf(
      call("check", checkRequest(GATE_URN, { dbInstanceId: EMPTY_INSTANCE, maxAge: "24h" })),
    );
    expect(none.message).to.contain(EMPTY_INSTANCE);
  });

  it("the gate's Create judges again: a stale backup fails it even with check's `checked` among the inputs", async () => {
    const create = new providerProto.CreateRequest();
    create.setUrn(GATE_URN);
    create.setProperties(
      Struct.fromJavaScript({
        dbInstanceId: INSTANCE,
        maxAge: "4h",
        checked: `${INSTANCE}: a usable FullBackup ended within 4h`,
      }),
    );
    const error = await failureOf(call("create", create));
    expect(error.message).to.contain(INSTANCE).and.to.contain("900003");
  });

  it("an override in the provider's gateOverrides lets a stale gate through, and the gate records it", async () => {
    const checked = await call("check", checkRequest(GATE_URN, { dbInstanceId: OVERRIDDEN, maxAge: "24h" }));
    expect(checked.getFailuresList()).to.have.length(0);
    const create = new providerProto.CreateRequest();
    create.setUrn(GATE_URN);
    create.setProperties(checked.getInputs());
    const outs = (await call("create", create)).getProperties().toJavaScript();
    expect(outs).to.include({ fresh: false, backupId: "600001" });
    expect(outs.override.reason).to.equal("backup job broken, INC-123");
    expect(outs.override.verdict).to.contain(OVERRIDDEN).and.to.contain("600001");
    // A warning on the gate itself, through the engine: once, by check (which precedes every create and update).
    const warnings = engineLogs.filter((l) => l.severity === engineProto.LogSeverity.WARNING && l.urn === GATE_URN);
    expect(warnings).to.have.length(1);
    expect(warnings[0]!.message)
      .to.contain("OVERRIDDEN by alicloud-rds-backups:gateOverrides")
      .and.to.contain("INC-123")
      .and.to.contain("600001");
  });

  it("FreshBackupGate with recoverableWithin: a healthy chain passes; a gap fails Check naming it; the override lets it through, recorded", async () => {
    const args = (dbInstanceId: string) => ({ dbInstanceId, maxAge: "24h", recoverableWithin: "15m" });
    const healthy = await call("check", checkRequest(GATE_URN, args(PITR_HEALTHY)));
    expect(healthy.getFailuresList()).to.have.length(0);
    expect(healthy.getInputs().toJavaScript()).to.include({ fresh: true, recoverable: true, override: null });

    const gap = await failureOf(call("check", checkRequest(GATE_URN, args(PITR_GAP))));
    expect(gap.message)
      .to.match(
        /FreshBackupGate: rm-uf6pluginpitr02: point-in-time restore .*NOT possible: .*has a gap from \S+Z to \S+Z/,
      )
      .and.to.contain(`alicloud-rds-backups:gateOverrides["${PITR_GAP}"].reason`);

    const checked = await call("check", checkRequest(GATE_URN, args(PITR_OVERRIDDEN)));
    expect(checked.getInputs().toJavaScript()).to.include({ fresh: true, recoverable: false });
    const create = new providerProto.CreateRequest();
    create.setUrn(GATE_URN);
    create.setProperties(checked.getInputs());
    const outs = (await call("create", create)).getProperties().toJavaScript();
    expect(outs).to.include({ fresh: true, recoverable: false, recoverableWithin: "15m" });
    expect(outs.override.reason).to.equal("WAL archive outage, INC-9");
    expect(outs.override.verdict).to.match(/has a gap from/);
    expect(Date.now() - Date.parse(outs.restoreWindowEnd)).to.be.within(4 * 60_000, 10 * 60_000);
  });

  it("an override on a gate that exists: Diff asks for an update that records it; the refresh's diff settles", async () => {
    const request = (kind: "DiffRequest" | "UpdateRequest", olds: object, news: object) => {
      const req = new providerProto[kind]();
      req.setId(OVERRIDDEN);
      req.setUrn(GATE_URN);
      req.setOlds(Struct.fromJavaScript(olds));
      req.setNews(Struct.fromJavaScript(news));
      return req;
    };
    const changes = async (olds: object, news: object) =>
      (await call("diff", request("DiffRequest", olds, news))).getChanges();
    const { DIFF_NONE, DIFF_SOME } = providerProto.DiffResponse.DiffChanges;
    // The state of a gate created while the backup was fresh.
    const args = { dbInstanceId: OVERRIDDEN, maxAge: "24h" };
    const created = { ...args, maxAgeSeconds: 86400, checked: `${OVERRIDDEN}: a usable FullBackup ended within 24h` };
    const state = { ...created, fresh: true, backup: null, backupId: null, backupEndTime: null, override: null };
    const judged = (await call("check", checkRequest(GATE_URN, args, args))).getInputs().toJavaScript();
    expect(judged).to.include({ fresh: false });
    expect(judged.override.reason).to.equal("backup job broken, INC-123");
    expect(await changes(state, judged), "an override in use is an update").to.equal(DIFF_SOME);

    const outs = (await call("update", request("UpdateRequest", state, judged))).getProperties().toJavaScript();
    expect(outs.fresh, "never fresh on an override").to.equal(false);
    expect(outs.override.reason).to.equal("backup job broken, INC-123");
    expect(outs.override.usedAt >= judged.override.usedAt).to.equal(true);
    // On refresh the engine diffs the state just read against the inputs of the last check.
    expect(await changes(outs, judged), "recorded since that check").to.equal(DIFF_NONE);
    const read = new providerProto.ReadRequest();
    read.setId(OVERRIDDEN);
    read.setUrn(GATE_URN);
    read.setProperties(Struct.fromJavaScript(outs));
    const refreshed = await call("read", read);
    const refreshedInputs = refreshed.getInputs().toJavaScript();
    expect(refreshedInputs).to.include({ fresh: false, checked: created.checked });
    expect(refreshedInputs.override).to.deep.equal(outs.override);
    expect(await changes(refreshed.getProperties().toJavaScript(), refreshedInputs)).to.equal(DIFF_NONE);
    // A later check uses the override again: a new use, a new update.
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const again = (await call("check", checkRequest(GATE_URN, args, args))).getInputs().toJavaScript();
    expect(await changes(outs, again), "every use lands in the state").to.equal(DIFF_SOME);
  });

  it("a secret argument of the gate makes every output secret (they all derive from it)", async () => {
    const secretId = { [SECRET_SIG.key]: SECRET_SIG.value, value: INSTANCE };
    const checked = await call("check", checkRequest(GATE_URN, { dbInstanceId: secretId, maxAge: "6h" }));
    expect(isSecret(checked.getInputs().toJavaScript().checked)).to.equal(true);
    const create = new providerProto.CreateRequest();
    create.setUrn(GATE_URN);
    create.setProperties(checked.getInputs());
    const outs = (await call("create", create)).getProperties().toJavaScript();
    const plainOutputs = Object.entries(outs).filter(([, v]) => v !== null && !isSecret(v));
    expect(plainOutputs).to.deep.equal([]);
    expect(outs.backupId.value).to.equal("900003");
  });

  it("the gate's Check refuses bad arguments by name, before any call; an unknown id waits for the update", async () => {
    emulator.resetStats();
    const bad = await call(
      "check",
      checkRequest(GATE_URN, { dbInstanceId: INSTANCE, maxAge: "soon", backupType: "Full" }),
    );
    expect(
      bad
        .getFailuresList()
        .map((f: any) => f.getProperty())
        .sort(),
    ).to.deep.equal(["backupType", "maxAge"]);
    const unknown = await call(
      "check",
      checkRequest(GATE_URN, { dbInstanceId: "04da6b54-80e4-46f7-96ec-b56ff0331ba9", maxAge: "4h" }),
    );
    expect(unknown.getFailuresList()).to.have.length(0);
    expect(emulator.stats.requests).to.equal(0);
  });

  it("the gate's Create records the verdict; Diff changes only with an argument; refresh reports; Delete calls nothing", async () => {
    const create = new providerProto.CreateRequest();
    create.setUrn(GATE_URN);
    create.setProperties(Struct.fromJavaScript({ dbInstanceId: INSTANCE, maxAge: "6h" }));
    const created = await call("create", create);
    const outs = created.getProperties().toJavaScript();
    expect(created.getId()).to.equal(INSTANCE);
    expect(outs).to.include({
      fresh: true,
      backupId: "900003",
      maxAgeSeconds: 21600,
      checked: `${INSTANCE}: a usable FullBackup ended within 6h`,
    });

    const diff = (news: Record<string, unknown>) => {
      const req = new providerProto.DiffRequest();
      req.setId(INSTANCE);
      req.setUrn(GATE_URN);
      req.setOlds(Struct.fromJavaScript(outs));
      req.setNews(Struct.fromJavaScript(news));
      return call("diff", req);
    };
    expect((await diff({ dbInstanceId: INSTANCE, maxAge: "6h" })).getChanges()).to.equal(
      providerProto.DiffResponse.DiffChanges.DIFF_NONE,
    );
    expect((await diff({ dbInstanceId: INSTANCE, maxAge: "7h" })).getChanges()).to.equal(
      providerProto.DiffResponse.DiffChanges.DIFF_SOME,
    );

    // Refresh of a gate that has gone stale: previous outputs in, a report out, no failure.
    const read = new providerProto.ReadRequest();
    read.setId(EMPTY_INSTANCE);
    read.setUrn(GATE_URN);
    read.setProperties(Struct.fromJavaScript({ ...outs, dbInstanceId: EMPTY_INSTANCE, maxAge: "24h" }));
    const refreshed = (await call("read", read)).getProperties().toJavaScript();
    expect(refreshed).to.include({
      fresh: false,
      backupId: null,
      checked: `${EMPTY_INSTANCE}: a usable FullBackup ended within 24h`,
    });

    emulator.resetStats();
    const del = new providerProto.DeleteRequest();
    del.setId(INSTANCE);
    del.setUrn(GATE_URN);
    del.setProperties(Struct.fromJavaScript(outs));
    await call("delete", del);
    expect(emulator.stats.requests).to.equal(0);
  });

  it("EnsuredBackup: Check says a backup would be taken and takes none; Create takes it and waits", async () => {
    emulator.resetStats();
    const checked = await call("check", checkRequest(ENSURE_URN, { dbInstanceId: STALE_ENSURE, maxAge: "24h" }));
    const inputs = checked.getInputs().toJavaScript();
    expect(inputs.plan).to.match(/^take a Physical backup: rm-uf6pluginens01: newest usable backup 700001 /);
    expect(inputs.ensured).to.equal(`${STALE_ENSURE}: a usable FullBackup ended within 24h`);
    expect(engineLogs.find((l) => l.urn === ENSURE_URN)?.message).to.contain("the update will take a Physical backup");
    expect(emulator.stats.createBackup).to.equal(0);

    const create = new providerProto.CreateRequest();
    create.setUrn(ENSURE_URN);
    create.setProperties(Struct.fromJavaScript(inputs));
    const outs = (await call("create", create)).getProperties().toJavaScript();
    expect(emulator.stats.createBackup).to.equal(1);
    expect(outs).to.include({ action: "created", ensured: inputs.ensured });
    expect(outs.backupId).to.not.equal("700001");
    // The plugin's stderr lines (check's plan, the wait's progress) name the resource as the
    // program wrote it, never the TypeScript function. A pipe may deliver them after the answer.
    const said = await stderrShowing(/^EnsuredBackup: .*backup job/m);
    expect(said).to.contain(`EnsuredBackup: ${STALE_ENSURE}: newest usable backup 700001`);
    expect(said).not.to.match(/ensureFreshBackup:|requireFreshBackup:/);

    const after = await call("check", checkRequest(ENSURE_URN, { dbInstanceId: STALE_ENSURE, maxAge: "24h" }, outs));
    expect(after.getInputs().toJavaScript().plan).to.equal("none: a fresh backup exists");

    // What CreateBackup can never satisfy is refused at Check, before any call.
    emulator.resetStats();
    const incremental = await call(
      "check",
      checkRequest(ENSURE_URN, { dbInstanceId: STALE_ENSURE, maxAge: "24h", backupType: "IncrementalBackup" }),
    );
    const [refused] = incremental.getFailuresList();
    expect(refused?.getProperty()).to.equal("backupType");
    expect(refused?.getReason()).to.match(/can never be satisfied here: CreateBackup takes full backups/);
    expect(emulator.stats.requests).to.equal(0);
  });

  it("EnsuredBackup: a time-out in the listing lag says to set resumeJobId; Create with it waits for that job (one backup)", async () => {
    emulator.resetStats();
    const lagging = { dbInstanceId: LAGGING_ENSURE, maxAge: "24h", timeout: "2s" };
    const checked = (await call("check", checkRequest(ENSURE_URN, lagging))).getInputs().toJavaScript();
    const create = new providerProto.CreateRequest();
    create.setUrn(ENSURE_URN);
    create.setProperties(Struct.fromJavaScript(checked));
    const timedOut = await failureOf(call("create", create));
    const [task] = emulator.backupTasks(LAGGING_ENSURE);
    const jobId = task?.BackupJobId as string;
    expect(timedOut.message)
      .to.contain(`backup job ${jobId} (started by this run) finished, but its backup set ${task?.BackupId}`)
      .and.to.contain(`set resumeJobId: "${jobId}" on this resource for the next pulumi up`)
      .and.to.contain("an up without resumeJobId would take a second backup");
    expect(timedOut.message).to.not.match(/run ensure again|--job-id/);

    const resumed = { ...lagging, timeout: "1m", resumeJobId: jobId };
    const again = (await call("check", checkRequest(ENSURE_URN, resumed))).getInputs().toJavaScript();
    const resume = new providerProto.CreateRequest();
    resume.setUrn(ENSURE_URN);
    resume.setProperties(Struct.fromJavaScript(again));
    const outs = (await call("create", resume)).getProperties().toJavaScript();
    expect(outs).to.include({ action: "joined", jobId, backupId: task?.BackupId, resumeJobId: jobId });
    expect(emulator.stats.createBackup, "CreateBackup calls").to.equal(1);
    expect(emulator.backupTasks(LAGGING_ENSURE)).to.have.length(1);

    const bad = await call("check", checkRequest(ENSURE_URN, { ...lagging, resumeJobId: "x1" }));
    expect(bad.getFailuresList()[0]?.getProperty()).to.equal("resumeJobId");
  });

  it("the wrapper script finds the package through a symlink, as from node_modules/.bin", async () => {
    const bin = fs.mkdtempSync(path.join(os.tmpdir(), "plugin-bin-"));
    const link = path.join(bin, "pulumi-resource-alicloud-rds-backups");
    fs.symlinkSync(path.join(REPO, "plugin", "pulumi-resource-alicloud-rds-backups"), link);
    const other = spawn(link, [], { cwd: bin, stdio: ["ignore", "pipe", "pipe"] });
    try {
      const port = await new Promise<string>((resolve, reject) => {
        other.stdout!.once("data", (d) => resolve(String(d).trim()));
        other.once("exit", (code) => reject(new Error(`the plugin exited ${code}`)));
      });
      const otherClient = new providerRpc.ResourceProviderClient(
        `127.0.0.1:${port}`,
        grpc.credentials.createInsecure(),
      );
      const schema = (await unary(otherClient, "getSchema", new providerProto.GetSchemaRequest())).getSchema();
      otherClient.close();
      expect(JSON.parse(schema).name).to.equal("alicloud-rds-backups");
    } finally {
      other.kill();
      fs.rmSync(bin, { recursive: true, force: true });
    }
  });

  // --- getRecoverability ---------------------------------------------------------------------

  function recoverabilityRequest(args: Record<string, unknown>, tok = "alicloud-rds-backups:index:getRecoverability") {
    const req = new providerProto.InvokeRequest();
    req.setTok(tok);
    req.setArgs(Struct.fromJavaScript(args));
    return req;
  }

  it("Invoke getRecoverability on a healthy chain: recoverable, the window, the policy and the log files, no links", async () => {
    emulator.resetStats();
    const res = await call("invoke", recoverabilityRequest({ dbInstanceId: PITR_HEALTHY, recoverableWithin: "15m" }));
    expect(res.getFailuresList()).to.have.length(0);
    const out = res.getReturn().toJavaScript();
    expect(out).to.include({ id: PITR_HEALTHY, dbInstanceId: PITR_HEALTHY, recoverable: true, engine: "MySQL" });
    expect(out.failures).to.deep.equal([]);
    expect(out.gaps).to.deep.equal([]);
    expect(out.recoverableWithinSeconds).to.equal(900);
    expect(out.policy).to.include({ logBackupEnabled: true, backupRetentionDays: 7, logBackupRetentionDays: 7 });
    expect(out.policy).not.to.have.property("requestId");
    for (const t of [out.pointInTime, out.checkedAt, out.restoreWindowBegin, out.restoreWindowEnd, out.logChainEnd])
      expect(t).to.match(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(out.fullBackup.backupType).to.equal("FullBackup");
    expect(out.logFiles.length).to.be.greaterThan(0);
    expect(out.logFiles[0].fileSize).to.be.a("number");
    expect(isSecret(out.logFiles)).to.equal(false);
    expect(out.logFiles.some((f: any) => "downloadLink" in f)).to.equal(false);
    expect(emulator.stats.byAction).to.include({ DescribeBackupPolicy: 1, DescribeLocalAvailableRecoveryTime: 1 });
  });

  it("Invoke getRecoverability on a chain with a gap: a result (not a failure) naming the gap's bounds", async () => {
    const res = await call("invoke", recoverabilityRequest({ dbInstanceId: PITR_GAP, recoverableWithin: "15m" }));
    expect(res.getFailuresList()).to.have.length(0);
    const out = res.getReturn().toJavaScript();
    expect(out.recoverable).to.equal(false);
    expect(out.failures.map((f: any) => f.condition)).to.deep.equal(["logChain"]);
    expect(out.gaps).to.have.length(1);
    expect(out.message).to.contain(`has a gap from ${out.gaps[0].from} to ${out.gaps[0].to}`);
  });

  it("Invoke getRecoverability with includeDownloadUrls: logFiles is a secret holding the links", async () => {
    const out = (
      await call(
        "invoke",
        recoverabilityRequest({ dbInstanceId: PITR_HEALTHY, recoverableWithin: "15m", includeDownloadUrls: true }),
      )
    )
      .getReturn()
      .toJavaScript();
    expect(isSecret(out.logFiles)).to.equal(true);
    expect(out.logFiles.value[0].downloadLink).to.match(/^https?:/);
    expect(isSecret(out.recoverable) || isSecret(out.policy) || isSecret(out.fullBackup)).to.equal(false);
    expect(out.fullBackup).not.to.have.property("backupDownloadUrl");
  });

  it("Invoke getRecoverability: bad arguments are failures naming each field, before any call; a secret one makes all secret", async () => {
    emulator.resetStats();
    const bad = await call(
      "invoke",
      recoverabilityRequest({ dbInstanceId: PITR_HEALTHY, recoverableWithin: "15", now: "2026-01-01T00:00:00Z" }),
    );
    expect(bad.getFailuresList().map((f: any) => f.getProperty())).to.deep.equal(["now", "recoverableWithin"]);
    expect(emulator.stats.requests, "refused before any call").to.equal(0);
    const hidden = { [SECRET_SIG.key]: SECRET_SIG.value, value: PITR_GAP };
    const out = (await call("invoke", recoverabilityRequest({ dbInstanceId: hidden, recoverableWithin: "15m" })))
      .getReturn()
      .toJavaScript();
    expect(Object.values(out).every(isSecret)).to.equal(true);
    expect(out.recoverable.value).to.equal(false);
  });

  it("Invoke of a function the package does not have names both it has", async () => {
    const error = await failureOf(
      call("invoke", recoverabilityRequest({ dbInstanceId: PITR_HEALTHY }, "alicloud-rds-backups:index:getRecovery")),
    );
    expect(error.message)
      .to.contain('"alicloud-rds-backups:index:getRecovery"')
      .and.to.contain("alicloud-rds-backups:index:getBackups")
      .and.to.contain("alicloud-rds-backups:index:getRecoverability");
  });

  it("no answer and no line of the plugin's output holds a credential", () => {
    expect(answers.length).to.be.greaterThan(10);
    for (const text of [...answers, stderr, JSON.stringify(engineLogs)]) {
      expect(text).not.to.contain(ACCESS_KEY_SECRET);
      expect(text).not.to.contain(ACCESS_KEY_ID);
    }
  });
});
