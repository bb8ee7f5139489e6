/**
 * The baseline: what the Terraform data source (alicloud_rds_backups) does, with the same official
 * SDK: page size 50, the next page only after the previous one, stop on a short page (so a total
 * that is a multiple of 50 costs one more, empty, request). No rate limiter, no concurrency.
 */
import type RdsClient from "@alicloud/rds20140815";

export interface BaselineResult {
  backups: number;
  calls: number;
}

export function baselineClient(url: string, accessKeyId: string, accessKeySecret: string): RdsClient {
  /* eslint-disable @typescript-eslint/no-require-imports -- loaded on use, like sdk/transport.ts does */
  const rds = require("@alicloud/rds20140815") as typeof import("@alicloud/rds20140815");
  const core = require("@alicloud/openapi-core") as typeof import("@alicloud/openapi-core");
  const u = new URL(url);
  return new rds.default(
    new core.$OpenApiUtil.Config({
      accessKeyId,
      accessKeySecret,
      endpoint: u.host,
      protocol: u.protocol.replace(":", ""),
      regionId: "cn-hangzhou",
      connectTimeout: 5_000,
      readTimeout: 10_000,
    }),
  );
}

export async function sequentialPager(client: RdsClient, dbInstanceId: string): Promise<BaselineResult> {
  const rds = require("@alicloud/rds20140815") as typeof import("@alicloud/rds20140815");
  const PAGE = 50;
  let backups = 0;
  let calls = 0;
  for (let page = 1; ; page++) {
    const res = await client.describeBackups(
      new rds.DescribeBackupsRequest({ DBInstanceId: dbInstanceId, pageSize: PAGE, pageNumber: page }),
    );
    calls += 1;
    const items = res.body?.items?.backup ?? [];
    backups += items.length;
    if (items.length < PAGE) return { backups, calls };
  }
}
