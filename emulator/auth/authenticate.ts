import { Errors } from "../errors";
import { header, type ParsedRequest } from "../parse-request";
import { acs3Authenticator } from "./acs3";
import type { Authenticator, SignatureClaim } from "./claim";
import { hmacSha1Authenticator } from "./hmac-sha1";
import type { KeyInfo, KeyRing } from "./key-ring";
import type { NonceCache } from "./nonce-cache";

/** The service's window for both the request date and nonce reuse. */
export const SIGNATURE_WINDOW_MS = 15 * 60 * 1000;

const AUTHENTICATORS: readonly Authenticator[] = [acs3Authenticator, hmacSha1Authenticator];

/** `yyyy-MM-ddTHH:mm:ssZ` (what both SDKs send); milliseconds tolerated. */
const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d{1,3})?Z$/;

function parseTimestamp(value: string): number | undefined {
  const m = TIMESTAMP.exec(value);
  if (!m) return undefined;
  const ms = Date.parse(value);
  // Date.parse rolls 2026-02-30 over to March: a round trip catches it.
  return Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 19) !== value.slice(0, 19) ? undefined : ms;
}

/** Token rules, in the order the checks run. "Malformed" = not token-shaped at all. */
function checkSecurityToken(key: KeyInfo, token: string | undefined, nowMs: number): void {
  if (key.securityToken === undefined) {
    if (token !== undefined && token !== "") throw Errors.invalidSecurityTokenMismatch();
    return;
  }
  if (token === undefined || token === "") throw Errors.missingSecurityToken();
  if (!/^[A-Za-z0-9+/=._-]{8,}$/.test(token)) throw Errors.invalidSecurityTokenMalformed();
  if (token !== key.securityToken) throw Errors.invalidSecurityTokenMismatch();
  if (key.expiresAtMs !== undefined && nowMs > key.expiresAtMs) throw Errors.invalidSecurityTokenExpired();
}

/**
 * The "authenticate" stage. Order: find the algorithm (none or unsupported → IncompleteSignature naming it), key,
 * date format, date window, signature, STS token, nonce. The nonce is recorded only once the
 * signature holds, so forged requests cannot burn a client's nonces.
 */
export function authenticate(req: ParsedRequest, keys: KeyRing, nonces: NonceCache, nowMs: number): KeyInfo {
  let claim: SignatureClaim | undefined;
  for (const authenticator of AUTHENTICATORS) {
    claim = authenticator.claim(req);
    if (claim) break;
  }
  if (!claim) {
    const scheme = header(req.headers, "authorization")?.split(" ")[0];
    // A header in a scheme nobody here speaks: say which, not "no signature".
    if (scheme)
      throw Errors.incompleteSignature(
        `Authorization scheme ${JSON.stringify(scheme.slice(0, 40))} is not supported; use ACS3-HMAC-SHA256, ACS3-HMAC-SM3 or HMAC-SHA1 (signature v1).`,
      );
    throw Errors.incompleteSignature(
      "No signature found (ACS3-HMAC-SHA256 or ACS3-HMAC-SM3 header, or HMAC-SHA1 parameters).",
    );
  }
  const key = keys.get(claim.accessKeyId);
  if (!key) throw Errors.invalidAccessKeyIdNotFound();
  const at = parseTimestamp(claim.timestamp);
  if (at === undefined) throw Errors.invalidTimeStampFormat();
  if (Math.abs(nowMs - at) > SIGNATURE_WINDOW_MS) throw Errors.invalidTimeStampExpired();
  if (!claim.verify(key.secret)) throw Errors.signatureDoesNotMatch(claim.stringToSign);
  checkSecurityToken(key, claim.securityToken, nowMs);
  if (!nonces.use(key.accessKeyId, claim.nonce, nowMs)) throw Errors.signatureNonceUsed();
  return key;
}
