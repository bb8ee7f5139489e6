import type { Rng } from "./rng";

/** OSS bucket nicknames RDS uses in backup URLs; other regions use their own id. */
const REGION_SHORT: Readonly<Record<string, string>> = {
  "cn-hangzhou": "hz",
  "cn-shanghai": "sh",
  "cn-beijing": "bj",
  "cn-shenzhen": "sz",
  "ap-southeast-1": "sg",
};

const BASE64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

function compact(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:T]/g, "").slice(0, 14);
}

/** Query of a pre-signed OSS link: these URLs are secrets in real life, so clients must treat them as such. */
function presign(rng: Rng, expiresSec: number): string {
  const signature = encodeURIComponent(`${rng.chars(27, BASE64)}=`);
  return `Expires=${expiresSec}&OSSAccessKeyId=LTAI${rng.chars(16, "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789")}&Signature=${signature}`;
}

export interface BackupUrls {
  readonly publicUrl: string;
  readonly intranetUrl: string;
}

/** Whole-instance backup file links (`BackupDownloadURL`, `BackupIntranetDownloadURL`). */
export function backupUrls(
  rng: Rng,
  regionId: string,
  custins: string,
  hostId: string,
  startMs: number,
  expiresSec: number,
): BackupUrls {
  const bucket = `rdsbak-${REGION_SHORT[regionId] ?? regionId}-v3${rng.int(0, 2)}${rng.int(1, 9)}`;
  const object = `custins${custins}/hins${hostId}_data_${compact(startMs)}.tar`;
  const query = presign(rng, expiresSec);
  return {
    publicUrl: `https://${bucket}.oss-${regionId}.aliyuncs.com/${object}?${query}`,
    intranetUrl: `https://${bucket}.oss-${regionId}-internal.aliyuncs.com/${object}?${query}`,
  };
}

/** Per-database links of `BackupDownloadLinkByDB` (SQL Server). */
export function databaseUrls(
  rng: Rng,
  regionId: string,
  custins: string,
  hostId: string,
  startMs: number,
  expiresSec: number,
  db: string,
): BackupUrls {
  const object = `custins${custins}/hins${hostId}_${compact(startMs)}${rng.chars(6, "0123456789")}.zip`;
  const query = `${presign(rng, expiresSec)}&dbList=${encodeURIComponent(db)}`;
  return {
    publicUrl: `https://${regionId}.bak.rds.aliyuncs.com/${object}?${query}`,
    intranetUrl: `https://${regionId}-internal.bak.rds.aliyuncs.com/${object}?${query}`,
  };
}

/** Links of one log backup file (`DownloadLink`, `IntranetDownloadLink` of DescribeBinlogFiles). */
export function logFileUrls(
  rng: Rng,
  regionId: string,
  custins: string,
  hostId: string,
  fileName: string,
  expiresSec: number,
): BackupUrls {
  const bucket = `rdslog-${REGION_SHORT[regionId] ?? regionId}-v3`;
  const object = `custins${custins}/hostins${hostId}/${encodeURIComponent(fileName)}.tar`;
  const query = presign(rng, expiresSec);
  return {
    publicUrl: `https://${bucket}.oss-${regionId}.aliyuncs.com/${object}?${query}`,
    intranetUrl: `https://${bucket}.oss-${regionId}-internal.aliyuncs.com/${object}?${query}`,
  };
}
