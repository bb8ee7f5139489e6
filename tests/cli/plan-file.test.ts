import { expect } from "chai";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { Readable } from "node:stream";
import { ExitError } from "../../cli/exit-error";
import { CHANGING_OPS, checkPlan, HARMLESS_OPS, parseUrn, readPlanFile } from "../../cli/plan-file";
import { RDS_TYPES } from "../../sdk/rds-resource-types";
import { ACCOUNT, DATABASE, INSTANCE, plan, READ_ONLY, step, urn } from "./plan-steps";

/** The reader of a saved `pulumi preview --json`; a preview the real engine printed is read in tests/e2e. */
function reasons(json: unknown): string[] {
  return checkPlan(json).failures.map((f) => f.reason);
}

describe("the plan reader (a saved pulumi preview --json)", () => {
  it("names each type's instance as the table says: the instance's id, then instanceId, dbInstanceId, masterDbInstanceId", () => {
    const { reading, failures } = checkPlan(
      plan(
        step({ op: "update", type: INSTANCE, name: "orders-db", id: "rm-orders" }),
        step({ op: "update", type: DATABASE, name: "orders", id: "rm-shop:orders", inputs: { instanceId: "rm-shop" } }),
        step({
          op: "delete",
          type: ACCOUNT,
          name: "app",
          id: "rm-users:app",
          inputs: { dbInstanceId: "rm-users", instanceId: "rm-deprecated-loses" },
        }),
        step({ op: "update", type: ACCOUNT, name: "legacy", inputs: { instanceId: "rm-legacy" } }),
        step({
          op: "replace",
          type: READ_ONLY,
          name: "replica",
          id: "rr-1",
          inputs: { masterDbInstanceId: "rm-primary" },
        }),
      ),
    );
    expect(failures).to.deep.equal([]);
    expect(reading.steps).to.equal(6);
    expect(reading.instances.map((i) => i.instance)).to.deep.equal([
      "rm-orders",
      "rm-shop",
      "rm-users",
      "rm-legacy",
      "rm-primary",
    ]);
    expect(reading.instances[2]?.changes).to.deep.equal([
      { op: "delete", urn: urn(ACCOUNT, "app"), type: ACCOUNT, name: "app" },
    ]);
  });

  it("every type of the shared table is read, and only those", () => {
    expect(Object.keys(RDS_TYPES).sort()).to.deep.equal([ACCOUNT, DATABASE, INSTANCE, READ_ONLY].sort());
  });

  it("each instance once, with every change that names it, in the plan's order", () => {
    const { reading } = checkPlan(
      plan(
        step({ op: "update", type: DATABASE, name: "a", inputs: { instanceId: "rm-one" } }),
        step({ op: "update", type: DATABASE, name: "b", inputs: { instanceId: "rm-two" } }),
        step({ op: "delete", type: DATABASE, name: "c", inputs: { instanceId: "rm-one" } }),
        step({ op: "update", type: INSTANCE, name: "one", id: "rm-one" }),
      ),
    );
    expect(reading.instances.map((i) => [i.instance, i.changes.map((c) => `${c.op} ${c.name}`)])).to.deep.equal([
      ["rm-one", ["update a", "delete c", "update one"]],
      ["rm-two", ["update b"]],
    ]);
  });

  it("creates, sames, reads, refreshes and imports take no backup; nor does a change of any other type", () => {
    const harmless = HARMLESS_OPS.map((op, i) =>
      step({ op, type: INSTANCE, name: `i${i}`, id: `rm-harmless${i}`, inputs: {} }),
    );
    const others = CHANGING_OPS.map((op, i) =>
      step({
        op,
        type: "alicloud:ecs/instance:Instance",
        name: `vm${i}`,
        id: `i-${i}`,
        inputs: { instanceId: "rm-x" },
      }),
    );
    const { reading, failures } = checkPlan(plan(...harmless, ...others));
    expect(failures).to.deep.equal([]);
    expect(reading.instances).to.deep.equal([]);
    expect(reading.steps).to.equal(1 + HARMLESS_OPS.length + CHANGING_OPS.length);
  });

  it("every changing operation counts, the halves of a replace included (--show-replacement-steps)", () => {
    const steps = CHANGING_OPS.map((op) => step({ op, type: INSTANCE, name: "db", id: "rm-db" }));
    const { reading } = checkPlan(plan(...steps));
    expect(reading.instances).to.have.length(1);
    expect(reading.instances[0]?.changes.map((c) => c.op)).to.deep.equal([...CHANGING_OPS]);
  });

  it("a resource inside a component (its URN's parent types) and a name holding :: are read", () => {
    expect(parseUrn("urn:pulumi:dev::shop::my:app:Shop$alicloud:rds/instance:Instance::db::eu")).to.deep.equal({
      type: INSTANCE,
      name: "db::eu",
    });
    const { reading } = checkPlan(
      plan(step({ op: "update", type: INSTANCE, name: "db", id: "rm-c", parent: "my:Shop$" })),
    );
    expect(reading.instances.map((i) => i.instance)).to.deep.equal(["rm-c"]);
  });

  it("a database moving to another instance backs up the one it leaves (its state before the change)", () => {
    const moving = step({ op: "replace", type: DATABASE, name: "orders", inputs: { instanceId: "rm-old" } });
    (moving.newState as { inputs: unknown }).inputs = { instanceId: "rm-new" };
    expect(checkPlan(plan(moving)).reading.instances.map((i) => i.instance)).to.deep.equal(["rm-old"]);
  });

  it("outputs name the instance when the inputs do not", () => {
    const s = step({ op: "update", type: DATABASE, name: "orders", inputs: {}, outputs: { instanceId: "rm-out" } });
    expect(checkPlan(plan(s)).reading.instances.map((i) => i.instance)).to.deep.equal(["rm-out"]);
  });

  describe("refuses what cannot be a successful preview, naming the field and the value", () => {
    it("not an object, no steps, steps not a list", () => {
      expect(reasons([])[0]).to.match(
        /^the plan \[\] is not an object; use the JSON object `pulumi preview --json` prints/,
      );
      expect(reasons({ changeSummary: {} })[0]).to.match(/^steps undefined is missing; use the list of steps/);
      expect(reasons({ steps: "all" })[0]).to.match(/^steps "all" is not a list/);
    });

    it("an operation it does not know: it could delete, so the plan is refused", () => {
      const r = reasons(plan(step({ op: "obliterate", type: "random:index/randomPet:RandomPet", name: "p" })));
      expect(r).to.have.length(1);
      expect(r[0]).to.match(/^steps\[1\]\.op "obliterate" is not allowed; use one of update, replace, .*, delete, /);
    });

    it("a URN that is not one", () => {
      const s = step({ op: "update", type: INSTANCE, name: "db", id: "rm-a" });
      s.urn = "alicloud:rds/instance:Instance::db";
      expect(reasons(plan(s))[0]).to.match(
        /^steps\[1\]\.urn "alicloud:rds\/instance:Instance::db" is not allowed; use a Pulumi URN/,
      );
    });

    it("a changed protected resource with no old state, or one that names no instance", () => {
      const s = step({ op: "update", type: INSTANCE, name: "db", id: "rm-a" });
      delete s.oldState;
      expect(reasons(plan(s))[0]).to.match(
        /^steps\[1\]\.oldState undefined is missing; use the resource's state before the update/,
      );
      const noId = step({ op: "delete", type: INSTANCE, name: "db" });
      expect(reasons(plan(noId))[0]).to.match(
        /^steps\[1\]\.oldState \(of a alicloud:rds\/instance:Instance\) names no instance; use a state that names it in its id/,
      );
      const noRef = step({ op: "delete", type: ACCOUNT, name: "app", inputs: { accountName: "app" } });
      expect(reasons(plan(noRef))[0]).to.include("inputs.dbInstanceId, inputs.instanceId (or the same in outputs)");
    });

    it("a secret instance id, which the preview hides", () => {
      const s = step({ op: "update", type: DATABASE, name: "orders", inputs: { instanceId: "[secret]" } });
      expect(reasons(plan(s))[0]).to.equal(
        'steps[1].oldState.inputs.instanceId "[secret]" is a secret the plan hides; use `rds-backups ensure <instance-id>` for this instance',
      );
    });

    it("an instance id that cannot be one, escaped and bounded in the message", () => {
      const s = step({ op: "update", type: INSTANCE, name: "db", id: `rm-a\u001b[2J${"x".repeat(500)}` });
      const [reason] = reasons(plan(s));
      expect(reason).to.match(
        /^steps\[1\]\.oldState\.id "rm-a\\u001b\[2Jx+"… \(\d+ characters, cut to 120\) is not allowed; use an instance id such as/,
      );
      expect(reason).to.not.include("\u001b");
    });

    it("a state whose type disagrees with its URN", () => {
      const s = step({ op: "update", type: INSTANCE, name: "db", id: "rm-a" });
      (s.oldState as { type: string }).type = "alicloud:ecs/instance:Instance";
      expect(reasons(plan(s))[0]).to.match(
        /^steps\[1\]\.oldState\.type "alicloud:ecs\/instance:Instance" disagrees with the URN/,
      );
    });

    it("a preview that reported an error: its steps may be incomplete", () => {
      const failed = {
        ...plan(step({ op: "update", type: INSTANCE, name: "db", id: "rm-a" })),
        diagnostics: [
          { message: "warning only", severity: "warning" },
          { urn: urn(INSTANCE, "b"), message: "error: Preview failed: boom\n", severity: "error" },
        ],
      };
      const r = reasons(failed);
      expect(r).to.have.length(1);
      expect(r[0]).to.match(
        /^diagnostics "error: Preview failed: boom" is an error of the preview, so its steps may be incomplete; use a plan from a preview that succeeded/,
      );
    });

    it("fewer changes listed than the preview counts: cut short or edited", () => {
      const cut = {
        ...plan(step({ op: "update", type: INSTANCE, name: "a", id: "rm-a" })),
        changeSummary: { same: 1, update: 2 },
      };
      expect(reasons(cut)).to.deep.equal([
        "changeSummary.update 2 counts more update steps than the plan lists (1): the plan is cut short or edited; use the whole output of `pulumi preview --json`",
      ]);
      const counted = {
        ...plan(step({ op: "delete", type: INSTANCE, name: "a", id: "rm-a" })),
        changeSummary: { delete: 1, update: 0 },
      };
      expect(reasons(counted)).to.deep.equal([]);
      expect(reasons({ ...plan(), changeSummary: { replace: "1" } })[0]).to.match(
        /^changeSummary\.replace "1" is not allowed; use a count/,
      );
    });

    it("every failure at once, before any call", () => {
      const r = reasons(
        plan(
          step({ op: "bogus", type: INSTANCE, name: "a", id: "rm-a" }),
          step({ op: "update", type: INSTANCE, name: "b", id: "NOT AN ID" }),
        ),
      );
      expect(r.map((x) => x.split(" ")[0])).to.deep.equal(["steps[1].op", "steps[2].oldState.id"]);
    });
  });

  describe("readPlanFile", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "rds-backups-plan-"));
    const write = (name: string, text: string): string => {
      const file = path.join(dir, name);
      writeFileSync(file, text);
      return file;
    };
    const refusal = async (p: Promise<unknown>): Promise<ExitError> => {
      try {
        await p;
      } catch (err) {
        expect(err).to.be.instanceOf(ExitError);
        return err as ExitError;
      }
      throw new Error("expected a refusal");
    };

    it("reads a file and a stream (-)", async () => {
      const text = JSON.stringify(plan(step({ op: "update", type: INSTANCE, name: "db", id: "rm-a" })));
      expect((await readPlanFile(write("ok.json", text))).instances[0]?.instance).to.equal("rm-a");
      expect((await readPlanFile("-", Readable.from([Buffer.from(text)]))).instances[0]?.instance).to.equal("rm-a");
    });

    it("a file larger than the bound is refused without being read whole", async () => {
      const text = JSON.stringify(plan(step({ op: "update", type: INSTANCE, name: "db", id: "rm-a" })));
      const err = await refusal(readPlanFile(write("big.json", text), undefined, 100));
      expect(err.code).to.equal(2);
      expect(err.message).to.match(/^plan file ".*big\.json" is larger than 100 bytes, the most a plan may be/);
    });

    it("not JSON, or missing: said with the file's name", async () => {
      const notJson = await refusal(readPlanFile(write("log.txt", "Previewing update (dev)\n{")));
      expect(notJson.message).to.match(
        /log\.txt" is not JSON \(.+\): give the standard output of `pulumi preview --json` alone/,
      );
      const missing = await refusal(readPlanFile(path.join(dir, "nope.json")));
      expect(missing.message).to.match(/^cannot read plan file ".*nope\.json": ENOENT/);
    });

    it("at most 10 failures are listed, the rest counted", async () => {
      const bad = Array.from({ length: 25 }, (_, i) =>
        step({ op: "update", type: INSTANCE, name: `d${i}`, id: "BAD" }),
      );
      const err = await refusal(readPlanFile(write("bad.json", JSON.stringify(plan(...bad)))));
      const lines = err.message.split("\n");
      expect(lines).to.have.length(11);
      expect(lines[0]).to.match(/bad\.json": steps\[1\]\.oldState\.id "BAD" is not allowed/);
      expect(lines[10]).to.match(/bad\.json": and 15 more failures like these$/);
    });
  });
});
