// Gates a risky change (a schema migration) on a fresh, successful full backup and, with the config
// `recoverableWithin` (e.g. 15m), on a point-in-time restore to within that lag of now: log
// backup on and an unbroken log chain from the full backup to now (a fresh full backup alone
// passes an instance whose log chain has a gap; this does not).
// With no usable full backup that ended within `maxAge`, `pulumi preview` and `pulumi up` stop
// with a message naming the instance, the newest backup and its age, and the migration is
// neither previewed as created nor touched. To deploy anyway on the day the backup job is
// broken, record why (the gate then passes with a warning, and keeps the reason in its outputs):
//   pulumi config set --path 'rds-backups:gateOverrides["rm-xxx"].reason' "backup job broken, INC-123"
import * as pulumi from "@pulumi/pulumi";
import * as rds from "pulumi-alicloud-rds-backups";

const config = new pulumi.Config();
const dbInstanceId = config.require("dbInstanceId");
const maxAge = config.get("maxAge") ?? "24h";
const schemaVersion = config.get("schemaVersion") ?? "v42";
const recoverableWithin = config.get("recoverableWithin");

const gate = rds.requireFreshBackup({ dbInstanceId, maxAge, backupType: "FullBackup", recoverableWithin });

// The gated change. A real program would run its migration tool here; this one records what it
// applied, so the example needs no database and no provider plugin download.
interface MigrationInputs {
  dbInstanceId: string;
  version: string;
  /**
   * What the gate required (`gate.checked`): the same text while the gate holds, so a new backup
   * does not show this migration as changed. Not the backup id, which changes every day.
   */
  requires: string;
}

const migrationProvider: pulumi.dynamic.ResourceProvider = {
  async create(inputs: MigrationInputs) {
    return { id: `${inputs.dbInstanceId}/${inputs.version}`, outs: { ...inputs, appliedAt: new Date().toISOString() } };
  },
  // Like most providers, any changed input is a change (and a new version or instance, a new
  // migration): so an input that changed with every backup would show it changed every day.
  async diff(_id: string, olds: MigrationInputs, news: MigrationInputs) {
    const replaces = (["version", "dbInstanceId"] as const).filter((k) => olds[k] !== news[k]);
    return { changes: replaces.length > 0 || olds.requires !== news.requires, replaces };
  },
  async update(_id: string, olds: MigrationInputs & { appliedAt: string }, news: MigrationInputs) {
    return { outs: { ...news, appliedAt: olds.appliedAt } };
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
  { dbInstanceId, version: schemaVersion, requires: gate.checked },
  // dependsOn is what holds the migration back until the gate has passed; the input above
  // implies it too, and records in the migration's state what it was protected by.
  { dependsOn: [gate] },
);

// For people reading the stack: which backup the last run found (changes as backups land).
export const protectedByBackupId = gate.backupId;
export const protectedByBackupEndTime = gate.backupEndTime;
export const gateChecked = gate.checked;
// With recoverableWithin: whether a restore to within it was possible, and how far the log chain reached.
export const gateRecoverable = gate.recoverable;
export const logChainEnd = gate.logChainEnd;
export const migrationId = migration.id;
export const migrationAppliedAt = migration.appliedAt;
