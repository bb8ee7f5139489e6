/**
 * Drives Pulumi's real dynamic-provider gRPC server (`@pulumi/pulumi/cmd/dynamic-provider`, the
 * process the engine starts) with Configure, Check and Read, as the engine does, against the
 * emulator. The serialized provider comes from the compiled package (dist/), as in a program.
 */
import { expect } from "chai";
import { spawn, type ChildProcess } from "child_process";
import * as path from "path";
import * as grpc from "@grpc/grpc-js";
import * as pulumi from "@pulumi/pulumi";
import type { MockResourceArgs } from "@pulumi/pulumi/runtime";
import { startEmulator } from "../../emulator";
import { ACCESS_KEY_ID, ACCESS_KEY_SECRET, EMPTY_INSTANCE, INSTANCE, providerData } from "./fixtures";
import { REPO_ROOT } from "../../support/repo-root";

/* eslint-disable @typescript-eslint/no-require-imports -- the generated gRPC modules, used untyped */
const providerRpc = require("@pulumi/pulumi/proto/provider_grpc_pb");
const providerProto = require("@pulumi/pulumi/proto/provider_pb");
const { Struct } = require("google-protobuf/google/protobuf/struct_pb");
/* eslint-enable @typescript-eslint/no-require-imports */
/* eslint-disable @typescript-eslint/no-explicit-any -- the client and messages come untyped from the modules above */

/** The `__provider` texts a program registers, captured through setMocks from the compiled package. */
async function serializedProviders(): Promise<{ backups: string; freshBackup: string }> {
  const registered: MockResourceArgs[] = [];
  await pulumi.runtime.setMocks(
    {
      newResource: (args) => (
        registered.push(args),
        { id: args.id ?? "id", state: { ...args.inputs, backupsJson: "{}", ids: [] } }
      ),
      call: () => ({}),
    },
    "grpc-test",
    "dev",
    false,
  );
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the compiled package, loaded only after setMocks
  const rds = require(path.join(REPO_ROOT, "dist", "provider")) as typeof import("../../provider");
  const settle = (o: pulumi.Output<unknown>) => new Promise((resolve) => o.apply(resolve));
  await settle(rds.getBackupsOutput({ dbInstanceId: "rm-grpcserialize" }));
  await settle(rds.requireFreshBackup({ dbInstanceId: "rm-grpcserialize", maxAge: "1h" }).id);
  const find = (type: string) => String(registered.find((r) => r.type === type)!.inputs.__provider);
  return {
    backups: find("pulumi-nodejs:dynamic/rds:Backups"),
    freshBackup: find("pulumi-nodejs:dynamic/rds:FreshBackup"),
  };
}

function unary<Req, Res>(client: any, method: string, request: Req): Promise<Res> {
  return new Promise((resolve, reject) =>
    client[method](request, (err: Error | null, res: Res) => (err ? reject(err) : resolve(res))),
  );
}

describe("the real dynamic-provider gRPC server", function () {
  this.timeout(60_000);
  let emulator: Awaited<ReturnType<typeof startEmulator>>;
  let child: ChildProcess;
  let client: any;
  let providers: { backups: string; freshBackup: string };
  let stderr = "";

  before(async () => {
    providers = await serializedProviders();
    emulator = await startEmulator({ data: providerData(), port: 0 });
    child = spawn(process.execPath, [require.resolve("@pulumi/pulumi/cmd/dynamic-provider"), "127.0.0.1:1"], {
      cwd: REPO_ROOT,
      env: {
        ...process.env,
        ALIBABA_CLOUD_RDS_ENDPOINT: emulator.url,
        ALIBABA_CLOUD_ACCESS_KEY_ID: "",
        ALIBABA_CLOUD_ACCESS_KEY_SECRET: "",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    child.stderr!.on("data", (d) => (stderr += String(d)));
    const port = await new Promise<string>((resolve, reject) => {
      child.stdout!.once("data", (d) => resolve(String(d).trim()));
      child.once("exit", (code) => reject(new Error(`dynamic-provider exited ${code}: ${stderr}`)));
    });
    client = new providerRpc.ResourceProviderClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
    const configure = new providerProto.ConfigureRequest();
    configure.setArgs(
      Struct.fromJavaScript({
        "alicloud:accessKey": ACCESS_KEY_ID,
        "alicloud:secretKey": ACCESS_KEY_SECRET,
        "alicloud:region": "cn-hangzhou",
        // Structured config reaches a provider as JSON text, as the engine sends it.
        "rds-backups:gateOverrides": JSON.stringify({ [INSTANCE]: { reason: "backup job broken, INC-123" } }),
      }),
    );
    await unary(client, "configure", configure);
  });
  after(async () => {
    client?.close();
    child?.kill();
    await emulator?.close();
  });

  function readRequest(id: string, props: Record<string, unknown>) {
    const req = new providerProto.ReadRequest();
    req.setId(id);
    req.setUrn(`urn:pulumi:dev::grpc-test::pulumi-nodejs:dynamic/rds:Backups::${id}`);
    req.setProperties(Struct.fromJavaScript(props));
    return req;
  }

  it("Check returns sdk/'s messages as failures, before any call", async () => {
    emulator.resetStats();
    const req = new providerProto.CheckRequest();
    req.setOlds(Struct.fromJavaScript({}));
    req.setNews(
      Struct.fromJavaScript({ __provider: providers.backups, dbInstanceId: INSTANCE, backupMode: "automated" }),
    );
    const res = await unary<unknown, any>(client, "check", req);
    const failures = res.getFailuresList().map((f: any) => [f.getProperty(), f.getReason()]);
    expect(failures).to.have.length(1);
    expect(failures[0][0]).to.equal("backupMode");
    expect(failures[0][1]).to.contain("Automated");
    expect(emulator.stats.requests).to.equal(0);
  });

  it("Read returns the backups with the credentials given to Configure", async () => {
    const res = await unary<unknown, any>(
      client,
      "read",
      readRequest(INSTANCE, { __provider: providers.backups, dbInstanceId: INSTANCE }),
    );
    const props = res.getProperties().toJavaScript();
    expect(res.getId()).to.equal(INSTANCE);
    expect(props.totalCount).to.equal(5);
    expect(props.latest.backupId).to.equal("900004");
    expect(props.__provider).to.equal(providers.backups);
    expect(JSON.stringify(props)).not.to.contain("presigned-");
  });

  it("Read of the gate fails with the gate's message when there is no fresh backup", async () => {
    const req = readRequest(EMPTY_INSTANCE, {
      __provider: providers.freshBackup,
      dbInstanceId: EMPTY_INSTANCE,
      maxAge: "24h",
    });
    let error: Error | undefined;
    await unary(client, "read", req).catch((err: Error) => (error = err));
    expect(error?.message).to.contain(EMPTY_INSTANCE).and.to.contain("24h");
  });

  it("Read of the gate passes with the newest usable backup when it is fresh", async () => {
    const req = readRequest(INSTANCE, {
      __provider: providers.freshBackup,
      dbInstanceId: INSTANCE,
      maxAge: "6h",
      backupType: "FullBackup",
    });
    const res = await unary<unknown, any>(client, "read", req);
    expect(res.getProperties().toJavaScript().backupId).to.equal("900003");
  });

  it("Read of a stale gate passes with the override from Configure, and records it", async () => {
    const req = readRequest(INSTANCE, {
      __provider: providers.freshBackup,
      dbInstanceId: INSTANCE,
      maxAge: "4h",
      backupType: "FullBackup",
    });
    const props = (await unary<unknown, any>(client, "read", req)).getProperties().toJavaScript();
    expect(props.fresh).to.equal(false);
    expect(props.override.reason).to.equal("backup job broken, INC-123");
    expect(props.override.verdict)
      .to.contain("900003")
      .and.to.match(/older than the limit 4h/);
    expect(stderr).to.contain("OVERRIDDEN");
  });

  it("Read of a stale gate on refresh (previous outputs in properties) reports instead of failing", async () => {
    const previous = {
      dbInstanceId: EMPTY_INSTANCE,
      maxAge: "24h",
      maxAgeSeconds: 86400,
      checked: "x",
      fresh: true,
      backupId: "1",
      override: null,
    };
    const res = await unary<unknown, any>(
      client,
      "read",
      readRequest(EMPTY_INSTANCE, { __provider: providers.freshBackup, ...previous }),
    );
    const props = res.getProperties().toJavaScript();
    expect(props).to.include({
      fresh: false,
      backupId: null,
      checked: `${EMPTY_INSTANCE}: a usable FullBackup ended within 24h`,
    });
  });
});
