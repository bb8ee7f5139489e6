// Package gate is the program: one function, run by `pulumi up` (../main.go) and by the
// Automation API (../inline).
//
//   - getBackups (an invoke) runs in preview too: the outputs are real before anything changes.
//   - FreshBackupGate stops preview and up when dbInstanceId has no usable full backup that ended
//     within maxAge, naming the instance and its newest usable backup; the migration waits for it.
//     An override (alicloud-rds-backups:gateOverrides, keyed by instance id, with a reason) lets a
//     stale backup through on purpose: the gate then warns, and records the override in its outputs.
//   - EnsuredBackup takes a backup of ensureInstanceId in `up` (never in preview) when its newest
//     usable one is older than ensureMaxAge, waits until it is usable, and only then is the change
//     there applied. While that backup is fresh, nothing diffs.
//
// The two changes are recorded in the state with Pulumi's built-in Stash resource, so the example
// needs no database: a real program would run its migration tool there.
package gate

import (
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/config"

	rds "example.com/pulumi-alicloud-rds-backups/sdk/go/alicloudrdsbackups"
)

// Program declares the gate, the ensured backup and the changes they protect.
func Program(ctx *pulumi.Context) error {
	cfg := config.New(ctx, "")
	dbInstanceID := cfg.Require("dbInstanceId")
	ensureInstanceID := cfg.Require("ensureInstanceId")
	maxAge := orDefault(cfg.Get("maxAge"), "24h")
	ensureMaxAge := orDefault(cfg.Get("ensureMaxAge"), "24h")
	schemaVersion := orDefault(cfg.Get("schemaVersion"), "v42")

	// Successful backups of the last week, read in preview as in up.
	recent := rds.GetBackupsOutput(ctx, rds.GetBackupsOutputArgs{
		DbInstanceId: pulumi.String(dbInstanceID),
		BackupStatus: pulumi.StringPtr("Success"),
		Since:        pulumi.StringPtr("7d"),
	})

	gate, err := rds.NewFreshBackupGate(ctx, "gate", &rds.FreshBackupGateArgs{
		DbInstanceId: pulumi.String(dbInstanceID),
		MaxAge:       pulumi.String(maxAge),
		BackupType:   pulumi.StringPtr("FullBackup"),
	})
	if err != nil {
		return err
	}
	// `requires: gate.Checked` records what protected the change, and stays the same text while
	// the gate holds, so a newer backup does not show the migration as changed.
	migration, err := pulumi.NewStash(ctx, "migration", &pulumi.StashArgs{
		Input: pulumi.Map{
			"dbInstanceId": pulumi.String(dbInstanceID),
			"version":      pulumi.String(schemaVersion),
			"requires":     gate.Checked,
		},
	}, pulumi.DependsOn([]pulumi.Resource{gate}))
	if err != nil {
		return err
	}

	backup, err := rds.NewEnsuredBackup(ctx, "backup", &rds.EnsuredBackupArgs{
		DbInstanceId: pulumi.String(ensureInstanceID),
		MaxAge:       pulumi.String(ensureMaxAge),
	})
	if err != nil {
		return err
	}
	change, err := pulumi.NewStash(ctx, "parameter-change", &pulumi.StashArgs{
		Input: pulumi.Map{
			"dbInstanceId": pulumi.String(ensureInstanceID),
			"requires":     backup.Ensured,
		},
	}, pulumi.DependsOn([]pulumi.Resource{backup}))
	if err != nil {
		return err
	}

	ctx.Export("backupCount", recent.TotalCount())
	ctx.Export("backupIds", recent.Ids())
	ctx.Export("latestId", recent.Latest().BackupId())
	ctx.Export("protectedByBackupId", gate.BackupId)
	ctx.Export("gateFresh", gate.Fresh)
	ctx.Export("gateOverride", gate.Override)
	ctx.Export("migration", migration.Output)
	ctx.Export("backupAction", backup.Action)
	ctx.Export("ensuredBackupId", backup.BackupId)
	ctx.Export("change", change.Output)
	return nil
}

func orDefault(value, fallback string) string {
	if value == "" {
		return fallback
	}
	return value
}
