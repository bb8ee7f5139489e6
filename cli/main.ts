#!/usr/bin/env node
/**
 * The `rds-backups` binary. The only place that reads process.argv or calls process.exit;
 * everything else is in run.ts and the commands, which tests call directly.
 */
import { processIo } from "./io";
import { run } from "./run";

void run(process.argv.slice(2), processIo()).then((code) => {
  // Exit once stdout is flushed: keep-alive sockets would otherwise hold the process open.
  process.stdout.write("", () => process.exit(code));
});
