import type { ParsedRequest } from "../parse-request";

/**
 * What an authenticator reads off a request it recognises. The authenticator knows its
 * algorithm's wire format; the checks shared by both algorithms (key, date, token, nonce)
 * live once in authenticate.ts.
 */
export interface SignatureClaim {
  /** `ACS3-HMAC-SHA256`, `ACS3-HMAC-SM3` or `HMAC-SHA1`. */
  readonly algorithm: string;
  readonly accessKeyId: string;
  /** `x-acs-date` or `Timestamp`, as sent. */
  readonly timestamp: string;
  readonly nonce: string;
  /** `x-acs-security-token` or `SecurityToken`; undefined when absent. */
  readonly securityToken: string | undefined;
  /** The server's string to sign (not secret: the real service echoes it in SignatureDoesNotMatch). */
  readonly stringToSign: string;
  /** Recomputes the signature with `secret` and compares it in constant time. */
  verify(secret: string): boolean;
}

/**
 * One signature algorithm. Three outcomes, as in Azurite: `undefined` = not my format,
 * a claim = my format (still to be verified), a thrown ApiError = my format but broken.
 */
export interface Authenticator {
  claim(req: ParsedRequest): SignatureClaim | undefined;
}
