/**
 * The package's own files the plugin reads at run time: its schema and its version. Found from
 * this module's directory upwards, so it works from the sources (ts-node), from dist/, from
 * node_modules and from a plugin directory made by `pulumi plugin install`.
 */
import * as fs from "fs";
import * as path from "path";

const PACKAGE_NAME = "pulumi-alicloud-rds-backups";
/** plugin/ or dist/plugin/: the root is one or two levels up; a few more is a mistake, not a layout. */
const MAX_LEVELS = 4;

function packageRoot(): string {
  let dir = __dirname;
  for (let level = 0; level <= MAX_LEVELS; level++) {
    const manifest = path.join(dir, "package.json");
    if (
      fs.existsSync(manifest) &&
      (JSON.parse(fs.readFileSync(manifest, "utf8")) as { name?: string }).name === PACKAGE_NAME
    )
      return dir;
    dir = path.dirname(dir);
  }
  throw new Error(`alicloud-rds-backups plugin: no package.json of ${PACKAGE_NAME} above ${__dirname}`);
}

const ROOT = packageRoot();

/**
 * Where schema.json is below the root: plugin/ in a checkout and in the npm package (beside its
 * source, plugin/schema-base.json); the root of a packed plugin (npm run pack:plugin).
 */
const SCHEMA_PLACES = [path.join("plugin", "schema.json"), "schema.json"];

/** schema.json as text, exactly as shipped (GetSchema returns it unchanged). */
export function schemaText(): string {
  const file = SCHEMA_PLACES.map((place) => path.join(ROOT, place)).find((candidate) => fs.existsSync(candidate));
  if (file === undefined)
    throw new Error(`alicloud-rds-backups plugin: no schema.json in ${ROOT} (${SCHEMA_PLACES.join(", ")})`);
  return fs.readFileSync(file, "utf8");
}

export function packageVersion(): string {
  return (JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { version: string }).version;
}
