/**
 * Exactly one DescribeBackups call (retries aside) with the caller's pageSize/pageNumber: for
 * callers that drive paging themselves.
 */
import { callDescribeBackups } from "./call-describe-backups";
import { resolveOptions, type ListOptions } from "./options";
import type { BackupPage, PageRequest } from "./types";
import { validateQuery } from "./validate";

export async function describeBackupsPage(request: PageRequest, options: ListOptions = {}): Promise<BackupPage> {
  const q = validateQuery(request, { paging: true });
  const o = resolveOptions(options);
  return callDescribeBackups(q, { pageSize: q.params.PageSize, pageNumber: q.params.PageNumber }, o);
}
