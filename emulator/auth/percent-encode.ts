/**
 * The encoding both Alibaba Cloud signatures use: `encodeURIComponent` plus `!'()*`, which
 * it leaves alone but RFC 3986 reserves. One copy for ACS3 and HMAC-SHA1.
 */
export function percentEncode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}
