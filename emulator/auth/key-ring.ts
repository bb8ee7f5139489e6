import type { AccessKeyEntry } from "../types";

/** A configured access key, normalised: plain-string entries become `{ secret }`. */
export interface KeyInfo {
  readonly accessKeyId: string;
  readonly secret: string;
  /** Instances this key may read; undefined = all. */
  readonly instances: ReadonlySet<string> | undefined;
  readonly securityToken: string | undefined;
  /** Epoch ms after which the STS token is expired. */
  readonly expiresAtMs: number | undefined;
}

/** The configured keys. Secrets stay in here: nothing prints a KeyInfo. */
export class KeyRing {
  private readonly keys = new Map<string, KeyInfo>();

  constructor(accessKeys: { [id: string]: string | AccessKeyEntry }) {
    for (const [accessKeyId, raw] of Object.entries(accessKeys)) {
      const entry: AccessKeyEntry = typeof raw === "string" ? { secret: raw } : raw;
      this.keys.set(accessKeyId, {
        accessKeyId,
        secret: entry.secret,
        instances: entry.instances ? new Set(entry.instances) : undefined,
        securityToken: entry.securityToken,
        expiresAtMs: entry.expiresAt === undefined ? undefined : Date.parse(entry.expiresAt),
      });
    }
  }

  get(accessKeyId: string): KeyInfo | undefined {
    return this.keys.get(accessKeyId);
  }
}
