"""The program: one function, run by `pulumi up` (__main__.py) and by the Automation API (inline.py).

- getBackups (an invoke) runs in preview too: the outputs below are real before anything changes.
- FreshBackupGate stops preview and up when `dbInstanceId` has no usable full backup that ended
  within `maxAge`, naming the instance and its newest usable backup; the migration waits for it.
  An override (`alicloud-rds-backups:gateOverrides`, keyed by instance id, with a reason) lets a
  stale backup through on purpose: the gate then warns, and records the override in its outputs.
- EnsuredBackup takes a backup of `ensureInstanceId` in `up` (never in preview) when its newest
  usable one is older than `ensureMaxAge`, waits until it is usable, and only then is the change
  there applied. While that backup is fresh, nothing diffs.

The two changes are recorded in the state with Pulumi's built-in Stash resource, so the example
needs no database: a real program would run its migration tool there.
"""

import pulumi
import pulumi_alicloud_rds_backups as rds


def program() -> None:
    config = pulumi.Config()
    db_instance_id = config.require("dbInstanceId")
    ensure_instance_id = config.require("ensureInstanceId")
    max_age = config.get("maxAge") or "24h"
    ensure_max_age = config.get("ensureMaxAge") or "24h"
    schema_version = config.get("schemaVersion") or "v42"

    # Successful backups of the last week, read in preview as in up.
    recent = rds.get_backups_output(db_instance_id=db_instance_id, backup_status="Success", since="7d")

    gate = rds.FreshBackupGate("gate", db_instance_id=db_instance_id, max_age=max_age, backup_type="FullBackup")
    # `requires: gate.checked` records what protected the change, and stays the same text while
    # the gate holds, so a newer backup does not show the migration as changed.
    migration = pulumi.Stash(
        "migration",
        input={"dbInstanceId": db_instance_id, "version": schema_version, "requires": gate.checked},
        opts=pulumi.ResourceOptions(depends_on=[gate]),
    )

    backup = rds.EnsuredBackup("backup", db_instance_id=ensure_instance_id, max_age=ensure_max_age)
    change = pulumi.Stash(
        "parameter-change",
        input={"dbInstanceId": ensure_instance_id, "requires": backup.ensured},
        opts=pulumi.ResourceOptions(depends_on=[backup]),
    )

    pulumi.export("backupCount", recent.total_count)
    pulumi.export("backupIds", recent.ids)
    pulumi.export("latestId", recent.latest.apply(lambda latest: latest.backup_id if latest else None))
    pulumi.export("protectedByBackupId", gate.backup_id)
    pulumi.export("gateFresh", gate.fresh)
    pulumi.export("gateOverride", gate.override)
    pulumi.export("migration", migration.output)
    pulumi.export("backupAction", backup.action)
    pulumi.export("ensuredBackupId", backup.backup_id)
    pulumi.export("change", change.output)
