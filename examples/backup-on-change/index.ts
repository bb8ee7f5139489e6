// Backups before changes, in one line: before Pulumi updates, replaces or deletes any RDS
// resource of this program, its instance gets a usable backup no older than 24h (taken and
// waited for when the newest is older). Nothing else costs a call: a change elsewhere in the
// program takes no backup, and creating an instance takes none.
// - `pulumi preview` says, for each RDS resource that will change, whether `up` takes a backup first.
// - `pulumi up` takes it and changes the resource once the backup is usable; a failed backup stops the change.
// - The stack's `rds-backup-hooks` resource records which change took which backup (`pulumi stack export`).
// - Delete hooks need the program: run `pulumi destroy --run-program` (a plain destroy is refused).
import * as alicloud from "@pulumi/alicloud";
import * as pulumi from "@pulumi/pulumi";
import * as rdsBackups from "pulumi-alicloud-rds-backups";

const config = new pulumi.Config();

// The one line, before the resources it protects. `mode: "require"` would stop a stale change
// instead of taking a backup; `always: true` takes one before every change.
const record = rdsBackups.backupBeforeChanges({ maxAge: "24h", timeout: "30m" });

const orders = new alicloud.rds.Instance("orders", {
  instanceName: "orders",
  engine: "MySQL",
  engineVersion: "8.0",
  instanceType: config.get("ordersClass") ?? "mysql.n2.small.1",
  instanceStorage: 20,
});
new alicloud.rds.Database("orders-db", { instanceId: orders.id, dataBaseName: "orders", characterSet: "utf8mb4" });

const users = new alicloud.rds.Instance("users", {
  instanceName: "users",
  engine: "MySQL",
  engineVersion: "8.0",
  instanceType: config.get("usersClass") ?? "mysql.n2.small.1",
  instanceStorage: 20,
});

// Something unrelated to any database (here a dynamic resource, so the example needs no other plugin).
const labelProvider: pulumi.dynamic.ResourceProvider = {
  async create(inputs: { text: string }) {
    return { id: "label", outs: inputs };
  },
  async update(_id: string, _olds: { text: string }, news: { text: string }) {
    return { outs: news };
  },
};
class Label extends pulumi.dynamic.Resource {
  constructor(name: string, text: string) {
    super(labelProvider, name, { text }, {}, "example", "Label");
  }
}
new Label("release-label", config.get("label") ?? "v1");

export const ordersId = orders.id;
export const usersId = users.id;
/** What the hooks did in the last update: per resource changed, the backup that vouched for it or was taken for it. */
export const backupsBeforeChanges = record.backups;
