import { expect } from "chai";
import * as http from "node:http";
import * as $Rds from "@alicloud/rds20140815";
import type { RunningEmulator } from "../../emulator";
import {
  SAMPLE,
  describeRequest,
  expectSdkError,
  rawRequest,
  sdkClient,
  signAcs3,
  signV1,
  signedRaw,
  withEmulator,
} from "./helpers";

const INST = "rm-uf6wjk5****";

/** Sends `bytes` as the body of a signed DescribeBackups, with Content-Length or chunked. */
function postBody(
  port: number,
  bytes: number,
  chunked: boolean,
): Promise<{ status?: number; text: string; error?: string }> {
  const { path, headers } = signAcs3(port, { DBInstanceId: INST });
  return new Promise((resolve) => {
    const req = http.request(
      {
        host: "127.0.0.1",
        port,
        method: "POST",
        path,
        agent: false,
        headers: {
          ...headers,
          "content-type": "application/x-www-form-urlencoded",
          ...(chunked ? {} : { "content-length": String(bytes) }),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => resolve({ status: res.statusCode, text: Buffer.concat(chunks).toString("utf8") }));
      },
    );
    req.on("error", (e: NodeJS.ErrnoException) => resolve({ text: "", error: e.code ?? e.message }));
    const chunk = Buffer.alloc(64 * 1024, "a");
    let sent = 0;
    const pump = (): void => {
      while (sent < bytes) {
        const piece = chunk.subarray(0, Math.min(chunk.length, bytes - sent));
        sent += piece.length;
        if (!req.write(piece)) return void req.once("drain", pump);
      }
      req.end();
    };
    pump();
  });
}

describe("emulator: hardening", () => {
  let emu: RunningEmulator;
  const logs: string[] = [];
  before(async () => {
    emu = await withEmulator({ log: (l) => logs.push(l) });
  });
  after(() => emu.close());

  it("escapes control characters, spaces and backslashes of request values in its log: no forged lines", async () => {
    logs.length = 0;
    const forged = "rm-x\nDescribeBackups rm-forged 200 OK 1ms\r\u001b[2J\u0007\\";
    await expectSdkError(sdkClient(emu).describeBackups(describeRequest({ DBInstanceId: forged })));
    await expectSdkError(sdkClient(emu).describeBackups(describeRequest({ DBInstanceId: `rm-${"y".repeat(5000)}` })));
    expect(logs).to.have.length(2);
    for (const line of logs) expect(line).not.to.match(/[\u0000-\u001f\u007f]/);
    expect(logs[0]).to.equal(
      `DescribeBackups rm-x\\nDescribeBackups\\x20rm-forged\\x20200\\x20OK\\x201ms\\r\\x1b[2J\\x07\\\\ 400 InvalidDBInstanceId.NotFound ${/(\d+)ms$/.exec(logs[0] ?? "")?.[1]}ms`,
    );
    expect(logs[1]).to.match(/^DescribeBackups rm-y{77}\.\.\.\(\+4923 chars\) 400 /);
  });

  it("answers a body over 64 KiB with 413 and the service's error body, whether Content-Length says so or not", async () => {
    const declared = await postBody(emu.port, 50 * 1024 * 1024, false);
    expect(declared.status).to.equal(413);
    expect(JSON.parse(declared.text)).to.include({ Code: "RequestEntityTooLarge" }).and.to.have.property("RequestId");
    const streamed = await postBody(emu.port, 2 * 1024 * 1024, true);
    expect([streamed.status, JSON.parse(streamed.text).Code]).to.deep.equal([413, "RequestEntityTooLarge"]);
    // A small body passes the cap and reaches the signature check (signed for an empty body, it fails there).
    const small = await postBody(emu.port, 1024, false);
    expect([small.status, JSON.parse(small.text).Code]).to.deep.equal([400, "SignatureDoesNotMatch"]);
    expect((await signedRaw(emu.port, { DBInstanceId: INST })).status).to.equal(200);
  });

  it("answers a legacy v1 request in XML without Format or with Format=XML, in JSON with Format=JSON", async () => {
    for (const format of [undefined, "XML", "xml"]) {
      const res = await rawRequest(emu.port, {
        method: "GET",
        path: signV1({ Action: "DescribeBackups", DBInstanceId: INST, ...(format ? { Format: format } : {}) }),
      });
      expect([res.status, res.headers["content-type"]]).to.deep.equal([200, "text/xml;charset=utf-8"]);
      expect(
        res.text.startsWith(
          '<?xml version="1.0" encoding="UTF-8"?><DescribeBackupsResponse><Items><Backup><BackupDownloadLinkByDB>',
        ),
      ).to.equal(true);
      expect(res.text)
        .to.contain(`<BackupId>${SAMPLE.BackupId}</BackupId>`)
        .and.contain("<TotalRecordCount>1</TotalRecordCount>");
      expect(res.text).to.contain(`<RequestId>${res.headers["x-acs-request-id"]}</RequestId>`);
      expect(res.text.endsWith("</DescribeBackupsResponse>")).to.equal(true);
    }
    const json = await rawRequest(emu.port, {
      method: "GET",
      path: signV1({ Action: "DescribeBackups", DBInstanceId: INST, Format: "JSON" }),
    });
    expect(JSON.parse(json.text).Items.Backup[0].BackupId).to.equal(SAMPLE.BackupId);
    // ACS3 clients send no Format and read JSON.
    expect(JSON.parse((await signedRaw(emu.port, { DBInstanceId: INST })).text).TotalRecordCount).to.equal("1");
  });

  it("writes XML errors as <Error> and escapes markup; task lists as <Items><BackupJob>", async () => {
    const err = await rawRequest(emu.port, {
      method: "GET",
      path: signV1({ Action: "DescribeBackups", DBInstanceId: INST }, { secret: "wrong" }),
    });
    expect(err.status).to.equal(400);
    expect(err.text).to.match(
      /^<\?xml version="1.0" encoding="UTF-8"\?><Error><RequestId>[0-9A-F-]{36}<\/RequestId><HostId>127\.0\.0\.1:\d+<\/HostId><Code>SignatureDoesNotMatch<\/Code><Message>Specified signature is not matched/,
    );
    expect(err.text).to.contain("server string to sign is:GET&amp;%2F&amp;AccessKeyId");
    const created = await rawRequest(emu.port, {
      method: "GET",
      path: signV1({ Action: "CreateBackup", DBInstanceId: "rm-test0001" }),
    });
    const jobId = /<CreateBackupResponse><BackupJobId>(\d+)<\/BackupJobId><RequestId>/.exec(created.text)?.[1];
    expect(jobId).to.match(/^\d+$/);
    const tasks = await rawRequest(emu.port, {
      method: "GET",
      path: signV1({ Action: "DescribeBackupTasks", DBInstanceId: "rm-test0001", Format: "XML" }),
    });
    expect(tasks.text).to.contain(`<DescribeBackupTasksResponse><Items><BackupJob><BackupJobId>${jobId}</BackupJobId>`);
  });

  it("verifies ACS3-HMAC-SM3 signatures (the official SDK's signatureAlgorithm), wrong secrets included", async () => {
    const sm3 = { signatureAlgorithm: "ACS3-HMAC-SM3" };
    expect(
      (await sdkClient(emu, sm3).describeBackups(describeRequest({ DBInstanceId: INST }))).body?.totalRecordCount,
    ).to.equal("1");
    expect(
      (await sdkClient(emu, sm3).describeBackupTasks(new $Rds.DescribeBackupTasksRequest({ DBInstanceId: INST })))
        .statusCode,
    ).to.equal(200);
    const wrong = await expectSdkError(
      sdkClient(emu, { ...sm3, accessKeySecret: "not-the-secret" }).describeBackups(
        describeRequest({ DBInstanceId: INST }),
      ),
    );
    expect(wrong.code).to.equal("SignatureDoesNotMatch");
    expect(String(wrong.data?.Message)).to.contain("server string to sign is:ACS3-HMAC-SM3\n");
  });

  it("names an unsupported signature algorithm instead of saying there is no signature", async () => {
    const { path, headers } = signAcs3(emu.port, { DBInstanceId: INST });
    const code = async (authorization: string) => {
      const res = await rawRequest(emu.port, { path, headers: { ...headers, authorization } });
      const body = JSON.parse(res.text);
      return `${res.status} ${body.Code}: ${body.Message}`;
    };
    const rest = String(headers.authorization).slice("ACS3-HMAC-SHA256".length);
    expect(await code(`ACS3-RSA-SHA256${rest}`)).to.match(
      /^400 IncompleteSignature: .*Signature algorithm "ACS3-RSA-SHA256" is not supported; use ACS3-HMAC-SHA256, ACS3-HMAC-SM3 or HMAC-SHA1/,
    );
    expect(await code("Bearer abc.def")).to.match(
      /^400 IncompleteSignature: .*Authorization scheme "Bearer" is not supported/,
    );
    const v1 = await rawRequest(emu.port, {
      method: "GET",
      path: signV1({ Action: "DescribeBackups", DBInstanceId: INST, Format: "JSON", SignatureMethod: "HMAC-SHA256" }),
    });
    expect(JSON.parse(v1.text).Message).to.contain(
      'SignatureMethod "HMAC-SHA256" with SignatureVersion "1.0" is not supported',
    );
  });
});
