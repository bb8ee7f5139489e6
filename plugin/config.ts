/**
 * The plugin's configuration: `alicloud-rds-backups:region`, `:endpoint`, `:accessKeyId`,
 * `:accessKeySecret`, `:securityToken`, `:profile`, `:gateOverrides` (the schema's `config`), or the same keys on an
 * explicit provider resource. The engine checks them with CheckConfig and hands them over with
 * Configure; they are kept in this process's memory (the provider runtime's stack settings), never
 * in a resource's inputs or outputs. CheckConfig returns the keys as secrets, so the provider
 * resource's own entry in the state holds them encrypted even when they were set in plain text.
 */
import {
  checkArguments,
  CONNECTION_ARGUMENTS,
  failure,
  RdsValidationError,
  unknownKey,
  type ValidationFailure,
  withoutUndefined,
} from "../sdk/internal";
import { parseGateOverrides } from "../provider/overrides";
import type { StackSettings } from "../provider/settings";
import { isUnknown, openSecrets, secret } from "./wire-values";

/** The credentials: text, always secret. Not an argument of any call, so not in sdk/arguments.ts. */
const CREDENTIAL_KEYS = ["accessKeyId", "accessKeySecret", "securityToken"] as const;
/** Region, endpoint and profile: the connection's declared arguments, checked by their rules. */
type ConnectionKey = (typeof CONNECTION_ARGUMENTS)[number]["name"];
const CONNECTION_KEYS: readonly ConnectionKey[] = CONNECTION_ARGUMENTS.map((decl) => decl.name);
/** The text settings; `gateOverrides` is structured (an object keyed by instance id). */
type TextKey = ConnectionKey | (typeof CREDENTIAL_KEYS)[number];
export const CONFIG_KEYS: readonly string[] = [...CONNECTION_KEYS, ...CREDENTIAL_KEYS, "gateOverrides"];
/** The gate's overrides, as ../provider/overrides.ts explains them, under this package's namespace. */
export const PLUGIN_GATE_OVERRIDES_KEY = "alicloud-rds-backups:gateOverrides";
export const SECRET_CONFIG_KEYS: readonly string[] = CREDENTIAL_KEYS;
/** What the engine itself adds to a provider's inputs. */
const ENGINE_KEYS = ["version", "pluginDownloadURL"];

export type PluginConfig = { [K in TextKey]?: string };

/** Failures for CheckConfig, all at once: unknown keys, credentials that are not text, a bad region, endpoint, profile or override. */
export function checkConfig(news: Record<string, unknown>): ValidationFailure[] {
  const { plain } = openSecrets(news);
  const failures: ValidationFailure[] = [];
  const connection: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(plain)) {
    if (ENGINE_KEYS.includes(key) || key.startsWith("__") || value === undefined || value === null || isUnknown(value))
      continue;
    if (!CONFIG_KEYS.includes(key)) {
      // The value of an unknown key is not echoed: it may be a key meant for a secret setting.
      failures.push(unknownKey(key, "(not shown)", key, CONFIG_KEYS));
    } else if ((CONNECTION_KEYS as readonly string[]).includes(key)) {
      connection[key] = value;
    } else if (key === "gateOverrides") {
      try {
        parseGateOverrides(overridesText(value), PLUGIN_GATE_OVERRIDES_KEY);
      } catch (err) {
        if (!(err instanceof RdsValidationError)) throw err;
        failures.push(...err.failures);
      }
    } else if (typeof value !== "string" || value.trim() === "") {
      const shown = SECRET_CONFIG_KEYS.includes(key) ? "(secret, not shown)" : value;
      failures.push(failure(key, shown, "a non-empty string"));
    }
  }
  failures.push(...checkArguments(connection, CONNECTION_ARGUMENTS, "config").failures);
  return failures;
}

/** The checked inputs: the credentials as secrets, everything else as it came. */
export function withSecretCredentials(news: Record<string, unknown>): Record<string, unknown> {
  const { plain } = openSecrets(news);
  return Object.fromEntries(
    Object.entries(news).map(([key, value]) => [
      key,
      SECRET_CONFIG_KEYS.includes(key) && value !== null && value !== undefined ? secret(plain[key]) : value,
    ]),
  );
}

/**
 * The provider runtime's settings from Configure's arguments. Newer engines send `args` (a
 * property map, secrets marked); older ones only `variables` (`alicloud-rds-backups:region` →
 * text). Unknown values (a provider configured from outputs in a preview) count as unset.
 */
export function settingsFrom(
  args: Record<string, unknown> | undefined,
  variables: ReadonlyMap<string, string>,
): StackSettings {
  const given =
    args !== undefined
      ? openSecrets(args).plain
      : Object.fromEntries([...variables].map(([k, v]) => [k.replace(/^alicloud-rds-backups:/, ""), v]));
  const text = (key: TextKey): string | undefined => {
    const value = given[key];
    return typeof value === "string" && value !== "" && !isUnknown(value) ? value : undefined;
  };
  return withoutUndefined({
    region: text("region"),
    rdsEndpoint: text("endpoint"),
    accessKey: text("accessKeyId"),
    secretKey: text("accessKeySecret"),
    securityToken: text("securityToken"),
    profile: text("profile"),
    gateOverrides:
      given.gateOverrides === undefined || isUnknown(given.gateOverrides)
        ? undefined
        : overridesText(given.gateOverrides),
    gateOverridesKey: PLUGIN_GATE_OVERRIDES_KEY,
  });
}

/** The engine passes a structured setting as an object, or (from `variables`) as JSON text: the overrides parser takes text. */
function overridesText(value: unknown): string {
  return typeof value === "string" ? value : JSON.stringify(value);
}
