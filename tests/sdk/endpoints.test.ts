import { expect } from "chai";
import { RdsValidationError } from "../../sdk/errors";
import { regionEndpoint, resolveEndpoint } from "../../sdk/endpoints";

describe("sdk/endpoints", () => {
  it("follows the SDK's map, else rds.<region>.aliyuncs.com", () => {
    for (const r of [
      "cn-hangzhou",
      "cn-qingdao",
      "cn-hongkong",
      "ap-southeast-1",
      "us-west-1",
      "us-east-1",
      "cn-wuhan",
      "cn-fujian",
    ]) {
      expect(regionEndpoint(r), r).to.equal("rds.aliyuncs.com");
    }
    expect(regionEndpoint("cn-hangzhou-finance")).to.equal("rds-vpc.cn-hangzhou-finance.aliyuncs.com");
    for (const r of ["cn-zhangjiakou", "ap-northeast-1", "eu-central-1", "me-east-1", "cn-chengdu"]) {
      expect(regionEndpoint(r)).to.equal(`rds.${r}.aliyuncs.com`);
    }
  });

  it("defaults: ALIBABA_CLOUD_REGION_ID, then cn-hangzhou, over https", () => {
    expect(resolveEndpoint({}, {})).to.deep.equal({
      protocol: "https",
      host: "rds.aliyuncs.com",
      url: "https://rds.aliyuncs.com",
      region: "cn-hangzhou",
    });
    expect(resolveEndpoint({}, { ALIBABA_CLOUD_REGION_ID: "eu-central-1" }).host).to.equal(
      "rds.eu-central-1.aliyuncs.com",
    );
    expect(resolveEndpoint({ region: "ap-northeast-1" }, { ALIBABA_CLOUD_REGION_ID: "eu-central-1" }).region).to.equal(
      "ap-northeast-1",
    );
  });

  it("overrides: option, then ALIBABA_CLOUD_RDS_ENDPOINT; URL protocol honoured, bare host is https", () => {
    expect(resolveEndpoint({ endpoint: "http://127.0.0.1:9000" }, {})).to.include({
      protocol: "http",
      host: "127.0.0.1:9000",
      url: "http://127.0.0.1:9000",
    });
    expect(resolveEndpoint({ endpoint: "http://127.0.0.1:9000/" }, {}).host).to.equal("127.0.0.1:9000");
    expect(resolveEndpoint({}, { ALIBABA_CLOUD_RDS_ENDPOINT: "rds-vpc.cn-shanghai.aliyuncs.com" })).to.include({
      protocol: "https",
      host: "rds-vpc.cn-shanghai.aliyuncs.com",
    });
    expect(
      resolveEndpoint({ endpoint: "https://a.example:8443" }, { ALIBABA_CLOUD_RDS_ENDPOINT: "http://b" }).url,
    ).to.equal("https://a.example:8443");
  });

  it("refuses unknown-looking regions with a clear message", () => {
    expect(() => resolveEndpoint({ region: "hangzhou" }, {})).to.throw(
      RdsValidationError,
      /region "hangzhou" is not a region id; use a region id such as cn-hangzhou/,
    );
    expect(() => resolveEndpoint({ region: "CN-Hangzhou" }, {})).to.throw(/did you mean "cn-hangzhou"/);
    expect(() => resolveEndpoint({}, { ALIBABA_CLOUD_REGION_ID: "cn_hangzhou" })).to.throw(
      /ALIBABA_CLOUD_REGION_ID "cn_hangzhou"/,
    );
  });

  it("refuses invalid endpoints naming the field", () => {
    const cases: Array<[string, RegExp]> = [
      ["ftp://x.example", /protocol ftp:/],
      ["http://x.example/path", /path, query or user/],
      ["http://u:p@x.example", /path, query or user/],
      ["not a host", /is not a host name or URL/],
      ["http://", /not a valid URL/],
    ];
    for (const [endpoint, re] of cases) {
      try {
        resolveEndpoint({ endpoint }, {});
        expect.fail(endpoint);
      } catch (e) {
        expect((e as RdsValidationError).field, endpoint).to.equal("endpoint");
        expect((e as Error).message).to.match(re);
      }
    }
    expect(() => resolveEndpoint({}, { ALIBABA_CLOUD_RDS_ENDPOINT: "bad host" })).to.throw(
      /^ALIBABA_CLOUD_RDS_ENDPOINT "bad host"/,
    );
  });
});
