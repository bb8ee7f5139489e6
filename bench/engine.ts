/**
 * The real Pulumi CLI (built offline) previewing bench/fixtures/<name> from a temporary copy, with
 * a user's node_modules (this package linked to the checkout, so dist/ must be built), against an
 * emulator in this process (so every CLI run is asynchronous). No stack file lands in the tree.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { configSetAll, copyProject, initStack, newBackend, pulumi, type Backend } from "../support/pulumi-driver";

export interface Project {
  cwd: string;
  backend: Backend;
  preview(
    config: Record<string, string>,
    env: Record<string, string>,
    args?: string[],
  ): Promise<{ ms: number; ok: boolean; out: string; cpu: CpuSplit }>;
}

/** CPU seconds used by the processes of one CLI run, by role (sampled from /proc every 200 ms: a lower bound). */
export interface CpuSplit {
  engine: number;
  program: number;
  provider: number;
  other: number;
}

/** Samples /proc for processes whose working directory is `cwd` (the CLI, its language host, the program, the provider). */
function cpuSampler(cwd: string): { stop: () => CpuSplit } {
  const seen = new Map<number, { role: keyof CpuSplit; ticks: number }>();
  const sample = (): void => {
    for (const entry of fs.readdirSync("/proc")) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        if (fs.readlinkSync(`/proc/${entry}/cwd`) !== cwd) continue;
        const cmd = fs.readFileSync(`/proc/${entry}/cmdline`, "utf8").replace(/\0/g, " ");
        const stat = fs.readFileSync(`/proc/${entry}/stat`, "utf8");
        const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
        const ticks = Number(fields[11]) + Number(fields[12]); // utime + stime
        const role = /dynamic-provider/.test(cmd)
          ? "provider"
          : /cmd\/run/.test(cmd)
            ? "program"
            : /pulumi(\s|$)/.test(cmd.split(" ")[0]!)
              ? "engine"
              : "other";
        seen.set(Number(entry), { role, ticks });
      } catch {
        // gone, or not ours to read
      }
    }
  };
  const timer = setInterval(sample, 200);
  return {
    stop: () => {
      clearInterval(timer);
      const split: CpuSplit = { engine: 0, program: 0, provider: 0, other: 0 };
      for (const { role, ticks } of seen.values()) split[role] += ticks / 100;
      return split;
    },
  };
}

export async function benchProject(name: string, secrets: Record<string, string>): Promise<Project> {
  const backend = newBackend("rds-bench-");
  const cwd = copyProject(path.join(__dirname, "fixtures", name), backend.dir);
  await initStack("bench", { cwd, backend });
  await configSetAll({}, { cwd, backend, stack: "bench" }, secrets);
  return {
    cwd,
    backend,
    async preview(config, env, args = []) {
      await configSetAll(config, { cwd, backend, stack: "bench" });
      const cpu = cpuSampler(fs.realpathSync(cwd));
      const t0 = process.hrtime.bigint();
      // As users run it: the driver's network guard (a test hook loaded into every Node.js process
      // the CLI starts) is left out, so the figures measure the package, not the harness.
      const r = await pulumi(["preview", ...args], {
        cwd,
        backend,
        stack: "bench",
        env: { ...env, NODE_OPTIONS: process.env["NODE_OPTIONS"] },
      });
      return {
        ms: Number(process.hrtime.bigint() - t0) / 1e6,
        ok: r.code === 0,
        out: r.stdout + r.stderr,
        cpu: cpu.stop(),
      };
    },
  };
}
