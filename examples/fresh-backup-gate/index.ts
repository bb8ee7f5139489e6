// Gates a risky change (a schema migration) on a fresh, successful full backup.
// With no usable full backup that ended within `maxAge`, `pulumi preview` and `pulumi up` stop
// with a message naming the instance, the newest backup and its age, and the migration is
// neither previewed as created nor touched.
import * as pulumi from "@pulumi/pulumi";
import * as rds from "pulumi-alicloud-rds-backups";

const config = new pulumi.Config();
const dbInstanceId = config.require("dbInstanceId");
const maxAge = config.get("maxAge") ?? "24h";
const schemaVersion = config.get("schemaVersion") ?? "v42";

const gate = rds.requireFreshBackup({ dbInstanceId, maxAge, backupType: "FullBackup" });

// The gated change. A real program would run its migration tool here; this one records what it
// applied, so the example needs no database and no provider plugin download.
interface MigrationInputs {
  dbInstanceId: string;
  version: string;
  /** The backup that protected the change: recorded when applied, not a reason to re-apply. */
  safetyBackupId: string;
}

const migrationProvider: pulumi.dynamic.ResourceProvider = {
  async create(inputs: MigrationInputs) {
    return { id: `${inputs.dbInstanceId}/${inputs.version}`, outs: { ...inputs, appliedAt: new Date().toISOString() } };
  },
  async diff(_id: string, olds: MigrationInputs, news: MigrationInputs) {
    const changes = olds.version !== news.version || olds.dbInstanceId !== news.dbInstanceId;
    return { changes, replaces: changes ? ["version"] : [] };
  },
};

class SchemaMigration extends pulumi.dynamic.Resource {
  declare readonly appliedAt: pulumi.Output<string>;
  constructor(name: string, args: { [K in keyof MigrationInputs]: pulumi.Input<MigrationInputs[K]> }, opts?: pulumi.CustomResourceOptions) {
    super(migrationProvider, name, { ...args, appliedAt: undefined }, opts, "example", "SchemaMigration");
  }
}

const migration = new SchemaMigration(
  `schema-${schemaVersion}`,
  { dbInstanceId, version: schemaVersion, safetyBackupId: gate.backupId },
  // dependsOn makes the order explicit; the input above already implies it.
  { dependsOn: [gate] },
);

export const protectedByBackupId = gate.backupId;
export const protectedByBackupEndTime = gate.backupEndTime;
export const migrationId = migration.id;
export const migrationAppliedAt = migration.appliedAt;
