/** Small, explicit emulator data for the provider's tests: every value a test asserts is visible here. */
import type { EmulatorData, RawBackup } from "../../emulator/types";
import referenceSample from "../fixtures/reference-sample.json";

const sample: RawBackup = referenceSample.Items.Backup[0]!;

export const ACCESS_KEY_ID = "LTAI5tProviderTestKey01";
export const ACCESS_KEY_SECRET = "provider-test-secret-Zq8vX2";
export const INSTANCE = "rm-uf6provider01";
export const EMPTY_INSTANCE = "rm-uf6provider02";

const HOUR = 3600 * 1000;

/** `yyyy-MM-ddTHH:mm:ssZ`, the response format. */
function apiTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** A backup that ended `endedHoursAgo` hours before `now` and took one hour. */
export function rawBackup(
  id: string,
  endedHoursAgo: number,
  over: Partial<RawBackup> = {},
  now = Date.now(),
): RawBackup {
  const end = now - endedHoursAgo * HOUR;
  // The reference's sample set, with this test's id, times, size and links.
  return {
    ...sample,
    BackupId: id,
    DBInstanceId: INSTANCE,
    BackupStartTime: apiTime(end - HOUR),
    BackupEndTime: apiTime(end),
    BackupSize: 1024 * 1024 * 512,
    BackupDownloadURL: `https://rdsbak-hz.oss-cn-hangzhou.aliyuncs.com/${id}.tar.gz?Expires=1&OSSAccessKeyId=x&Signature=presigned-${id}`,
    BackupIntranetDownloadURL: `https://rdsbak-hz.oss-cn-hangzhou-internal.aliyuncs.com/${id}.tar.gz?Signature=presigned-${id}`,
    BackupDownloadLinkByDB: { BackupDownloadLinkByDB: [] },
    ConsistentTime: 0,
    ...over,
  };
}

/**
 * rm-uf6provider01: a failed backup 1 h ago, an incremental 2 h ago, the newest usable full
 * backup 5 h ago, older ones at 29 h and 53 h. rm-uf6provider02: none.
 */
export function providerData(now = Date.now()): EmulatorData {
  return {
    accessKeys: { [ACCESS_KEY_ID]: ACCESS_KEY_SECRET },
    instances: {
      [INSTANCE]: {
        regionId: "cn-hangzhou",
        backups: [
          rawBackup("900001", 53, {}, now),
          rawBackup("900002", 29, {}, now),
          rawBackup("900003", 5, {}, now),
          rawBackup("900004", 2, { BackupType: "IncrementalBackup" }, now),
          rawBackup(
            "900005",
            1,
            { BackupStatus: "Failed", IsAvail: 0, MetaStatus: "EMPTY", BackupDownloadURL: "" },
            now,
          ),
        ],
      },
      [EMPTY_INSTANCE]: { regionId: "cn-hangzhou", backups: [] },
    },
  };
}
