import { createHmac } from "node:crypto";
import { Errors } from "../errors";
import type { ParsedRequest } from "../parse-request";
import type { Authenticator, SignatureClaim } from "./claim";
import { percentEncode } from "./percent-encode";
import { safeEqual } from "./safe-equal";

/** Parameters a v1 request must carry besides `Signature`. */
const REQUIRED = ["AccessKeyId", "SignatureMethod", "SignatureVersion", "SignatureNonce", "Timestamp"] as const;

/**
 * Signature v1 (legacy HMAC-SHA1), as `@alicloud/pop-core` and `signatureAlgorithm: 'v2'` send
 * it: every parameter (query and form body) except `Signature` is signed, so a GET with the
 * query and a POST with a form body verify alike.
 */
export const hmacSha1Authenticator: Authenticator = {
  claim(req: ParsedRequest): SignatureClaim | undefined {
    const p = req.params;
    if (p.Signature === undefined && p.AccessKeyId === undefined && p.SignatureMethod === undefined) return undefined;
    const missing: string[] = [...REQUIRED, "Signature"].filter((name) => !p[name]);
    if (missing.length > 0) throw Errors.incompleteSignature(`Missing ${missing.join(", ")}.`);
    if (p.SignatureMethod !== "HMAC-SHA1" || p.SignatureVersion !== "1.0") {
      throw Errors.incompleteSignature(
        `SignatureMethod ${JSON.stringify(p.SignatureMethod?.slice(0, 40))} with SignatureVersion ${JSON.stringify(p.SignatureVersion?.slice(0, 10))} is not supported; v1 requests use HMAC-SHA1 and 1.0.`,
      );
    }
    const canonical = Object.keys(p)
      .filter((k) => k !== "Signature")
      .sort()
      .map((k) => `${percentEncode(k)}=${percentEncode(p[k] ?? "")}`)
      .join("&");
    const stringToSign = `${req.method}&${percentEncode("/")}&${percentEncode(canonical)}`;
    const presented = Buffer.from(p.Signature ?? "", "base64");
    return {
      algorithm: "HMAC-SHA1",
      accessKeyId: p.AccessKeyId ?? "",
      timestamp: p.Timestamp ?? "",
      nonce: p.SignatureNonce ?? "",
      securityToken: p.SecurityToken,
      stringToSign,
      verify(secret: string): boolean {
        return safeEqual(createHmac("sha1", `${secret}&`).update(stringToSign).digest(), presented);
      },
    };
  },
};
