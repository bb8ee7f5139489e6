// Reads the backup sets of one RDS instance. Every value below is real in `pulumi preview`:
// the read runs during preview as well as during `pulumi up`.
import * as pulumi from "@pulumi/pulumi";
import * as rds from "pulumi-alicloud-rds-backups";

const config = new pulumi.Config();
const dbInstanceId = config.require("dbInstanceId");

// Every backup set of the last 7 days, all pages, typed. (`since` is a rolling window; for a
// fixed one, give startTime/endTime as ISO-8601 times with an offset.)
const lastWeek = rds.getBackupsOutput({ dbInstanceId, since: "7d" });

export const backupCount = lastWeek.totalCount;
export const backupIds = lastWeek.ids;
export const failedBackupIds = lastWeek.backups.apply((sets) =>
  sets.filter((b) => b.backupStatus === "Failed").map((b) => b.backupId),
);
export const totalBytes = lastWeek.backups.apply((sets) => sets.reduce((sum, b) => sum + b.backupSize, 0));

// The newest usable backup (status Success and available, by end time): never `backups[0]`.
export const latestId = lastWeek.latest.apply((b) => b?.backupId);
export const latestStatus = lastWeek.latest.apply((b) => b?.backupStatus);
export const latestEndTime = lastWeek.latest.apply((b) => b?.backupEndTime);
export const latestSizeBytes = lastWeek.latest.apply((b) => b?.backupSize);
