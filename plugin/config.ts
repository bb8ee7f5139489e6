/**
 * The plugin's configuration: `alicloud-rds-backups:region`, `:endpoint`, `:accessKeyId`,
 * `:accessKeySecret`, `:securityToken`, `:profile`, `:gateOverrides` (the schema's `config`), or the same keys on an
 * explicit provider resource. The engine checks them with CheckConfig and hands them over with
 * Configure; they are kept in this process's memory (the provider runtime's stack settings), never
 * in a resource's inputs or outputs. CheckConfig returns the keys as secrets, so the provider
 * resource's own entry in the state holds them encrypted even when they were set in plain text.
 */
import {
  DEFAULT_REGION,
  failure,
  RdsValidationError,
  resolveEndpoint,
  showField,
  type ValidationFailure,
} from "../sdk/internal";
import { parseGateOverrides } from "../provider/overrides";
import type { StackSettings } from "../provider/settings";
import { isUnknown, openSecrets, secret } from "./wire-values";

/** The text settings; `gateOverrides` is structured (an object keyed by instance id). */
const TEXT_KEYS = ["region", "endpoint", "accessKeyId", "accessKeySecret", "securityToken", "profile"] as const;
export const CONFIG_KEYS = [...TEXT_KEYS, "gateOverrides"] as const;
/** The gate's overrides, as ../provider/overrides.ts explains them, under this package's namespace. */
export const PLUGIN_GATE_OVERRIDES_KEY = "alicloud-rds-backups:gateOverrides";
const SECRET_CONFIG_KEYS: readonly string[] = ["accessKeyId", "accessKeySecret", "securityToken"];
/** What the engine itself adds to a provider's inputs. */
const ENGINE_KEYS = ["version", "pluginDownloadURL"];

type PluginConfig = { [K in (typeof TEXT_KEYS)[number]]?: string };

/** Failures for CheckConfig: unknown keys, values that are not non-empty strings, a bad region or endpoint. */
export function checkConfig(news: Record<string, unknown>): ValidationFailure[] {
  const { plain } = openSecrets(news);
  const failures: ValidationFailure[] = [];
  for (const [key, value] of Object.entries(plain)) {
    if (ENGINE_KEYS.includes(key) || key.startsWith("__") || value === undefined || value === null || isUnknown(value))
      continue;
    if (!(CONFIG_KEYS as readonly string[]).includes(key)) {
      const near = CONFIG_KEYS.find((k) => k.toLowerCase() === key.toLowerCase());
      // The value of an unknown key is not echoed: it may be a key meant for a secret setting.
      const allowed = `${near ? `"${near}" (did you mean "${near}"?); ` : ""}one of the settings ${CONFIG_KEYS.join(", ")}`;
      failures.push({
        field: key,
        value: "(not shown)",
        allowed,
        reason: `alicloud-rds-backups:${showField(key)} is not a setting of this provider; use ${allowed}`,
      });
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
  if (failures.length > 0) return failures;
  const { region, endpoint } = plain as PluginConfig;
  if ((region !== undefined && !isUnknown(region)) || (endpoint !== undefined && !isUnknown(endpoint))) {
    try {
      resolveEndpoint({ region: region ?? DEFAULT_REGION, endpoint }, {});
    } catch (err) {
      if (!(err instanceof RdsValidationError)) throw err;
      failures.push(...err.failures);
    }
  }
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
  const text = (key: (typeof TEXT_KEYS)[number]): string | undefined => {
    const value = given[key];
    return typeof value === "string" && value !== "" && !isUnknown(value) ? value : undefined;
  };
  return dropUndefined({
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

function dropUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
