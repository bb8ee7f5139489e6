/**
 * The stand-in alicloud plugin under the real engine: a program written with the real
 * `@pulumi/alicloud` SDK is created, updated and destroyed, the instances get the ids asked for,
 * and an unchanged program changes nothing.
 */
import { expect } from "chai";
import * as path from "node:path";
import { alicloudStandIn, type AlicloudStandIn } from "../../support/alicloud-standin";
import {
  type Backend,
  type E2e,
  FIXTURES_DIR,
  SETUP_TIMEOUT_MS,
  configSet,
  copyProject,
  ensurePulumi,
  pulumiOk,
  stackExport,
  startE2e,
} from "./harness";

describe("e2e: the stand-in alicloud plugin serves @pulumi/alicloud programs", function () {
  this.timeout(5 * 60_000);
  let e2e: E2e | undefined;
  let backend: Backend;
  let cwd: string;
  let bin: string;
  let standIn: AlicloudStandIn;
  const stack = "dev";
  const at = () => ({ cwd, backend, stack, env: standIn.env(bin) });

  before(async function () {
    this.timeout(SETUP_TIMEOUT_MS);
    e2e = await startE2e({ prefix: "rds-e2e-standin-" });
    ({ backend } = e2e);
    bin = await ensurePulumi();
    standIn = alicloudStandIn(backend.dir, { a: "rm-standintesta", b: "rm-standintestb" });
    cwd = copyProject(path.join(FIXTURES_DIR, "alicloud-rds"), backend.dir);
    await e2e.stack(stack, cwd);
  });
  after(async () => {
    await e2e?.close();
  });

  it("creates the instances with the ids asked for, and the database in A", async () => {
    await pulumiOk(["up", "--yes"], at());
    const { resources } = await stackExport(at());
    const byName = (name: string) => resources.find((r) => r.urn.endsWith(`::${name}`));
    expect(byName("a")).to.include({ type: "alicloud:rds/instance:Instance", id: "rm-standintesta" });
    expect(byName("b")).to.include({ id: "rm-standintestb" });
    expect(byName("orders")).to.include({ type: "alicloud:rds/database:Database", id: "rm-standintesta:orders" });
    // The engine asked the plugin at the SDK's version.
    const provider = resources.find((r) => r.type === "pulumi:providers:alicloud");
    expect(provider?.inputs?.version).to.equal("3.108.0");
    expect(standIn.operations().map((o) => o.op)).to.deep.equal(["create", "create", "create"]);
  });

  it("an unchanged program changes nothing; a changed class updates A only", async () => {
    await pulumiOk(["up", "--yes"], at());
    expect(standIn.operations()).to.have.length(3);
    await configSet("aClass", "mysql.n2.medium.1", at());
    await pulumiOk(["up", "--yes"], at());
    const updates = standIn.operations().slice(3);
    expect(updates.map((o) => [o.op, o.id])).to.deep.equal([["update", "rm-standintesta"]]);
  });

  it("destroy deletes them all", async () => {
    await pulumiOk(["destroy", "--yes"], at());
    const deletes = standIn.operations().filter((o) => o.op === "delete");
    expect(deletes.map((o) => o.id).sort()).to.deep.equal([
      "rm-standintesta",
      "rm-standintesta:orders",
      "rm-standintestb",
    ]);
  });
});
