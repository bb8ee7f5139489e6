// Takes a backup before a risky change (a schema migration) when the newest usable one is older
// than `maxAge`, and applies the change only once that backup is usable.
// - `pulumi preview` takes nothing: it says whether `up` will take a backup, and why.
// - `pulumi up` takes it (or joins a backup task already running), waits until DescribeBackups
//   lists it as Success and available, then runs the migration. A Failed task or the time-out
//   stops the update before the migration, naming the backup job.
// - While the backup is fresh, nothing diffs: a second `up` takes no backup.
import * as pulumi from "@pulumi/pulumi";
import * as rds from "pulumi-alicloud-rds-backups";

const config = new pulumi.Config();
const dbInstanceId = config.require("dbInstanceId");
const maxAge = config.get("maxAge") ?? "24h";
const timeout = config.get("timeout") ?? "1h";
const schemaVersion = config.get("schemaVersion") ?? "v43";
// Optional (e.g. "15m"): after the backup, also require a point-in-time restore to within this lag
// of now (log backup on, the log chain unbroken); a backup is never taken for the chain's sake.
const recoverableWithin = config.get("recoverableWithin");

const backup = rds.ensureFreshBackup({ dbInstanceId, maxAge, timeout, backupMethod: "Physical", recoverableWithin });

// The gated change. A real program would run its migration tool here; this one records what it
// applied, so the example needs no database and no provider plugin download.
interface MigrationInputs {
  dbInstanceId: string;
  version: string;
  /** Stable while the backup holds (`rm-...: a usable backup ended within 24h`): no daily diff. */
  requirement: string;
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
  constructor(
    name: string,
    args: { [K in keyof MigrationInputs]: pulumi.Input<MigrationInputs[K]> },
    opts?: pulumi.CustomResourceOptions,
  ) {
    super(migrationProvider, name, { ...args, appliedAt: undefined }, opts, "example", "SchemaMigration");
  }
}

const migration = new SchemaMigration(
  `schema-${schemaVersion}`,
  { dbInstanceId, version: schemaVersion, requirement: backup.ensured },
  // Created only after the backup is usable.
  { dependsOn: [backup] },
);

export const backupAction = backup.action;
export const backupJobId = backup.jobId;
export const protectedByBackupId = backup.backupId;
export const protectedByBackupEndTime = backup.backupEndTime;
export const migrationId = migration.id;
export const migrationAppliedAt = migration.appliedAt;
