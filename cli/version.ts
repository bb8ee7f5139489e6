/** The package version, read from the package.json above this file (source or dist/). */
import { readFileSync } from "node:fs";
import * as path from "node:path";

export function version(): string {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    try {
      const pkg = JSON.parse(readFileSync(path.join(dir, "package.json"), "utf8")) as { name?: string; version?: string };
      if (pkg.name === "pulumi-alicloud-rds-backups" && pkg.version) return pkg.version;
    } catch {
      // not here: look one level up
    }
    if (path.dirname(dir) === dir) return "unknown";
  }
}
