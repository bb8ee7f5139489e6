/**
 * Pre-signed download links are returned by the sdk only when asked for (`includeDownloadUrls:
 * true`), as in the provider and the CLI: every public function, against the emulator.
 */
import { expect } from "chai";
import { startEmulator, type RunningEmulator } from "../../emulator";
import {
  checkFreshBackup,
  describeBackupsPage,
  findNewestUsableBackup,
  iterateBackups,
  listBackups,
  paginateBackups,
  withoutDownloadLinks,
  type Backup,
  type ListOptions,
} from "../../sdk";
import { TokenBucketRateLimiter } from "../../sdk/rate-limiter";
import { INSTANCE, KEY_ID, reliabilityData, SECRET, URL_MARKER } from "../reliability/helpers";

/** The data's clock: fixed, so nothing depends on when the test runs. */
const NOW = Date.parse("2026-11-27T12:00:00Z");

describe("sdk: download links only when asked for", function () {
  this.timeout(30_000);
  let emu: RunningEmulator;
  const options = (extra: Partial<ListOptions> = {}): ListOptions => ({
    endpoint: emu.url,
    credentials: { accessKeyId: KEY_ID, accessKeySecret: SECRET },
    rateLimiter: new TokenBucketRateLimiter({ maxRps: 10_000, burst: 10_000 }),
    ...extra,
  });
  const hasLinks = (b: Backup): boolean => JSON.stringify(b).includes(URL_MARKER);

  before(async () => {
    emu = await startEmulator({ data: reliabilityData(NOW), port: 0 });
  });
  after(async () => emu.close());

  it("leaves every link out by default, from every public function", async () => {
    const query = { dbInstanceId: INSTANCE };
    const list = await listBackups(query, options());
    expect(list.backups).to.have.length(250);
    expect(list.backups.filter(hasLinks)).to.deep.equal([]);
    // The per-database entries keep their database name.
    expect(list.backups[0]?.downloadLinksByDatabase).to.deep.equal([{ database: "orders" }]);
    const page = await describeBackupsPage({ ...query, pageSize: 30 }, options());
    const streamed: Backup[] = [];
    for await (const b of iterateBackups(query, options())) streamed.push(b);
    const paged: Backup[] = [];
    for await (const p of paginateBackups(query, options())) paged.push(...p.backups);
    const newest = await findNewestUsableBackup(query, { ...options(), now: new Date(NOW) });
    const verdict = await checkFreshBackup({ ...query, maxAge: "24h", now: new Date(NOW) }, options());
    expect(verdict.fresh).to.equal(true);
    for (const b of [...page.backups, ...streamed, ...paged, newest!, verdict.newest!])
      expect(hasLinks(b), b.backupId).to.equal(false);
  });

  it("returns them all with includeDownloadUrls: true", async () => {
    const list = await listBackups({ dbInstanceId: INSTANCE }, options({ includeDownloadUrls: true }));
    const b = list.backups.find((x) => x.backupId === "500000")!;
    expect(b.backupDownloadUrl).to.contain(`${URL_MARKER}-500000`);
    expect(b.backupIntranetDownloadUrl).to.contain(`${URL_MARKER}-in-500000`);
    expect(b.downloadLinksByDatabase[0]?.downloadLink).to.contain(`${URL_MARKER}-db-500000`);
    // One function strips them, for the sdk, the provider and the CLI alike.
    expect(hasLinks(withoutDownloadLinks(b))).to.equal(false);
    const verdict = await checkFreshBackup(
      { dbInstanceId: INSTANCE, maxAge: "24h", now: new Date(NOW) },
      options({ includeDownloadUrls: true }),
    );
    expect(verdict.newest?.backupDownloadUrl).to.contain(URL_MARKER);
  });
});
