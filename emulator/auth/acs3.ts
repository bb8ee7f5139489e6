import { createHash, createHmac, getHashes } from "node:crypto";
import { Errors } from "../errors";
import { header, type ParsedRequest } from "../parse-request";
import type { Authenticator, SignatureClaim } from "./claim";
import { percentEncode } from "./percent-encode";
import { safeEqual } from "./safe-equal";

/**
 * The v3 algorithms and the digest each uses for the payload, the canonical request and the
 * HMAC. SM3 is offered only where Node's OpenSSL has it. `ACS3-RSA-SHA256` (a key pair, not a
 * secret) is not emulated: it is refused by name.
 */
const ALGORITHMS: ReadonlyMap<string, string> = new Map([
  ["ACS3-HMAC-SHA256", "sha256"],
  ...(getHashes().includes("sm3") ? [["ACS3-HMAC-SM3", "sm3"] as const] : []),
]);

/**
 * Headers that must be covered by the signature when present: without them a captured request
 * could be replayed with another date or nonce, or retargeted to another action or token.
 */
const MUST_SIGN = [
  "host",
  "x-acs-date",
  "x-acs-signature-nonce",
  "x-acs-content-sha256",
  "x-acs-action",
  "x-acs-version",
  "x-acs-security-token",
];

/** `Credential=AK,SignedHeaders=a;b,Signature=hex` → its three parts (undefined when one is missing). */
function parseAuthorization(value: string): { credential?: string; signedHeaders?: string; signature?: string } {
  const parts: Record<string, string> = {};
  for (const piece of value.split(",")) {
    const eq = piece.indexOf("=");
    if (eq > 0) parts[piece.slice(0, eq).trim()] = piece.slice(eq + 1).trim();
  }
  return { credential: parts.Credential, signedHeaders: parts.SignedHeaders, signature: parts.Signature };
}

/** Canonical query: keys sorted, keys and values re-encoded from their decoded form. */
function canonicalQuery(req: ParsedRequest): string {
  const first = new Map<string, string>();
  for (const [k, v] of req.queryPairs) if (!first.has(k)) first.set(k, v);
  return [...first.keys()]
    .sort()
    .map((k) => `${percentEncode(k)}=${percentEncode(first.get(k) ?? "")}`)
    .join("&");
}

/**
 * Signature v3, the official SDK's default (`ACS3-HMAC-SHA256`, or `ACS3-HMAC-SM3` with
 * `signatureAlgorithm`): everything it needs is in the headers. Any other `ACS3-*` scheme is
 * refused naming it, rather than reported as no signature at all.
 */
export const acs3Authenticator: Authenticator = {
  claim(req: ParsedRequest): SignatureClaim | undefined {
    const authorization = header(req.headers, "authorization");
    if (authorization === undefined || !authorization.startsWith("ACS3-")) return undefined;
    const space = authorization.indexOf(" ");
    const algorithm = space < 0 ? authorization : authorization.slice(0, space);
    const digest = ALGORITHMS.get(algorithm);
    if (digest === undefined) {
      throw Errors.incompleteSignature(
        `Signature algorithm ${JSON.stringify(algorithm.slice(0, 40))} is not supported; use ${[...ALGORITHMS.keys()].join(", ")} or HMAC-SHA1 (signature v1).`,
      );
    }
    const { credential, signedHeaders, signature } = parseAuthorization(authorization.slice(space + 1));
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
    const lines = signed
      .slice()
      .sort()
      .map((name) => {
        const value = header(req.headers, name);
        if (value === undefined) throw Errors.incompleteSignature(`Signed header ${name} is missing.`);
        return `${name}:${value.trim()}\n`;
      });
    // The payload hash is the server's own: a body changed in flight cannot match the signature.
    const payloadHash = createHash(digest).update(req.body).digest("hex");
    const canonicalRequest = [
      req.method,
      req.path,
      canonicalQuery(req),
      lines.join(""),
      signed.slice().sort().join(";"),
      payloadHash,
    ].join("\n");
    const stringToSign = `${algorithm}\n${createHash(digest).update(canonicalRequest).digest("hex")}`;
    const presented = /^[0-9a-fA-F]{64}$/.test(signature) ? Buffer.from(signature, "hex") : Buffer.alloc(0);
    return {
      algorithm,
      accessKeyId: credential,
      timestamp,
      nonce,
      securityToken: header(req.headers, "x-acs-security-token"),
      stringToSign,
      verify(secret: string): boolean {
        if (contentSha256.toLowerCase() !== payloadHash) return false;
        return safeEqual(createHmac(digest, secret).update(stringToSign).digest(), presented);
      },
    };
  },
};
