import { createHash, createHmac } from "node:crypto";
import { Errors } from "../errors";
import { header, type ParsedRequest } from "../parse-request";
import type { Authenticator, SignatureClaim } from "./claim";
import { percentEncode } from "./percent-encode";
import { safeEqual } from "./safe-equal";

const ALGORITHM = "ACS3-HMAC-SHA256";

/**
 * Headers that must be covered by the signature when present: without them a captured request
 * could be replayed with another date or nonce, or retargeted to another action or token.
 */
const MUST_SIGN = ["host", "x-acs-date", "x-acs-signature-nonce", "x-acs-content-sha256", "x-acs-action", "x-acs-version", "x-acs-security-token"];

/** `Credential=AK,SignedHeaders=a;b,Signature=hex` → its three parts (undefined when one is missing). */
function parseAuthorization(value: string): { credential?: string; signedHeaders?: string; signature?: string } {
  const parts: Record<string, string> = {};
  for (const piece of value.slice(ALGORITHM.length).split(",")) {
    const eq = piece.indexOf("=");
    if (eq > 0) parts[piece.slice(0, eq).trim()] = piece.slice(eq + 1).trim();
  }
  return { credential: parts.Credential, signedHeaders: parts.SignedHeaders, signature: parts.Signature };
}

/** Canonical query: keys sorted, keys and values re-encoded from their decoded form. */
function canonicalQuery(req: ParsedRequest): string {
  const first = new Map<string, string>();
  for (const [k, v] of req.queryPairs) if (!first.has(k)) first.set(k, v);
  return [...first.keys()].sort().map((k) => `${percentEncode(k)}=${percentEncode(first.get(k) ?? "")}`).join("&");
}

/** Signature v3, the official SDK's default: everything it needs is in the headers. */
export const acs3Authenticator: Authenticator = {
  claim(req: ParsedRequest): SignatureClaim | undefined {
    const authorization = header(req.headers, "authorization");
    if (authorization === undefined || !authorization.startsWith(`${ALGORITHM} `)) return undefined;
    const { credential, signedHeaders, signature } = parseAuthorization(authorization);
    if (!credential || !signedHeaders || !signature) {
      throw Errors.incompleteSignature("Authorization needs Credential, SignedHeaders and Signature.");
    }
    const timestamp = header(req.headers, "x-acs-date");
    const nonce = header(req.headers, "x-acs-signature-nonce");
    const contentSha256 = header(req.headers, "x-acs-content-sha256");
    if (!timestamp || !nonce || !contentSha256) {
      throw Errors.incompleteSignature("x-acs-date, x-acs-signature-nonce and x-acs-content-sha256 are required.");
    }
    const signed = signedHeaders.split(";").map((h) => h.trim().toLowerCase());
    for (const name of MUST_SIGN) {
      if (header(req.headers, name) !== undefined && !signed.includes(name)) {
        throw Errors.incompleteSignature(`Header ${name} must be signed.`);
      }
    }
    const lines = signed.slice().sort().map((name) => {
      const value = header(req.headers, name);
      if (value === undefined) throw Errors.incompleteSignature(`Signed header ${name} is missing.`);
      return `${name}:${value.trim()}\n`;
    });
    // The payload hash is the server's own: a body changed in flight cannot match the signature.
    const payloadHash = createHash("sha256").update(req.body).digest("hex");
    const canonicalRequest = [req.method, req.path, canonicalQuery(req), lines.join(""), signed.slice().sort().join(";"), payloadHash].join("\n");
    const stringToSign = `${ALGORITHM}\n${createHash("sha256").update(canonicalRequest).digest("hex")}`;
    const presented = /^[0-9a-fA-F]{64}$/.test(signature) ? Buffer.from(signature, "hex") : Buffer.alloc(0);
    return {
      algorithm: ALGORITHM,
      accessKeyId: credential,
      timestamp,
      nonce,
      securityToken: header(req.headers, "x-acs-security-token"),
      stringToSign,
      verify(secret: string): boolean {
        if (contentSha256.toLowerCase() !== payloadHash) return false;
        return safeEqual(createHmac("sha256", secret).update(stringToSign).digest(), presented);
      },
    };
  },
};
