/**
 * What backup hooks share within one deployment, and where they leave their record.
 *
 * One deployment is one run of the program (a preview or an update): the hooks run in the
 * program's process, called back by the engine. Several resources of one instance changing in
 * one deployment share one judgement and at most one backup (`once`, keyed per instance); the
 * state is kept per run of the program (keyed by its root stack resource), so an Automation API
 * process that runs the program twice starts each run afresh.
 *
 * The record. A hook cannot write the state, so the program keeps one component resource,
 * `rds-backup-hooks` (type `rds-backups:index:BackupHookRecord`), whose output `backups` lists
 * what the hooks did in this update: per resource changed, the instance, the backup that vouched
 * for it or was taken for it (job id, backup id, end time), or the override used. Its outputs
 * are registered once every resource the hooks protect has been registered, that is once the
 * engine has run their steps and so their hooks; `pulumi stack export` shows it, and every
 * checkpoint of the stack's history keeps it. The protected resources are observed when they are
 * constructed (a stack transformation that only looks), so the record knows what to wait for.
 *
 * Its limit: steps that the engine runs after the program has registered everything cannot be
 * in it: deletes of resources removed from the program, the delete of the old resource in a
 * replace that creates the new one first, and `pulumi destroy --run-program` (which empties the
 * stack, this record included). A hook that runs once the record is written logs its record as a
 * warning on the resource instead (the update's output, `--event-log`, Pulumi Cloud's update
 * page; not the state); docs/hooks.md says so.
 */
import * as pulumi from "@pulumi/pulumi";
import type { GateOverrideRecord } from "./types";
import type { HookBinding, NamedHook } from "./hook-types";

/** One resource's change, as the hook saw it. */
export interface HookBackupRecord {
  /** The URN of the resource whose change was guarded. */
  readonly resource: string;
  readonly change: "update" | "delete";
  readonly dbInstanceId: string;
  readonly mode: "ensure" | "require";
  /** none: a fresh backup vouched for it; created/joined: the hook took (or waited for) one; overridden: the override let it through. */
  readonly action: "none" | "created" | "joined" | "overridden";
  /** The backup task, when the hook took or joined one. */
  readonly jobId?: string;
  /** The usable backup that vouched for the change (absent when overridden with none). */
  readonly backupId?: string;
  /** ISO-8601 UTC. */
  readonly backupEndTime?: string;
  /** The verdict, in the gate's words. */
  readonly verdict: string;
  /** With `recoverableWithin`: whether a point-in-time restore was possible (false when the override let it through). */
  readonly recoverable?: boolean;
  /** ISO-8601 UTC: when the hook decided. */
  readonly at: string;
  /** The override that let the change through: a stale backup (action overridden), or a restore that is not possible (any action). */
  readonly override?: GateOverrideRecord;
}

/** Rounds of "wait for what was observed, then look for more": programs that build resources in applies. */
const MAX_SETTLE_ROUNDS = 1000;

export class Deployment {
  private readonly outcomes = new Map<string, Promise<unknown>>();
  readonly records: HookBackupRecord[] = [];
  /** Resources whose registration the record waits for. */
  readonly observed: pulumi.Resource[] = [];
  /** Types the one-line protection covers: observed on construction. */
  readonly observedTypes = new Set<string>();
  /** The hooks made in this run, by name, with the options that made them. */
  readonly hooks = new Map<string, { readonly key: string; readonly hook: NamedHook }>();
  /** The CLI's version checks, once per minimum version and run; the record and the hooks wait for them. */
  readonly cliChecks = new Map<string, Promise<void>>();
  record?: BackupHookRecord;
  /** Set when the record's outputs are taken: an entry pushed after that is not in the state. */
  recordWritten = false;

  /** `check(minimum)` once per minimum version in this run. */
  requireCli(minimum: string, check: (minimum: string) => Promise<void>): Promise<void> {
    let done = this.cliChecks.get(minimum);
    if (done === undefined) {
      done = check(minimum);
      // Also awaited by the record, which fails the program: no unhandled rejection here.
      done.catch(() => undefined);
      this.cliChecks.set(minimum, done);
    }
    return done;
  }

  /** `run` once per key in this deployment; every caller gets its outcome (or its error). */
  once<T>(key: string, run: () => Promise<T>): Promise<T> {
    let outcome = this.outcomes.get(key) as Promise<T> | undefined;
    if (outcome === undefined) {
      outcome = run();
      this.outcomes.set(key, outcome);
    }
    return outcome;
  }

  /** Whether a resource's hooks include one made here. */
  usesOurHooks(binding: HookBinding | undefined): boolean {
    const ours = new Set([...this.hooks.values()].map((h) => h.hook));
    return [...(binding?.beforeUpdate ?? []), ...(binding?.beforeDelete ?? [])].some(
      (h) => pulumi.ResourceHook.isInstance(h) && ours.has(h),
    );
  }

  /** Resolves once every observed resource is registered and no more are coming. */
  async settled(): Promise<void> {
    let waited = 0;
    for (let round = 0; round < MAX_SETTLE_ROUNDS; round++) {
      const batch = this.observed.slice(waited);
      waited += batch.length;
      await Promise.all(batch.map(registered));
      // Let applies that build more resources run before deciding that none are coming.
      await new Promise((resolve) => setImmediate(resolve));
      if (this.observed.length === waited) return;
    }
  }
}

/** Resolves when the engine has answered the resource's registration (its steps, hooks included, are done). */
function registered(resource: pulumi.Resource): Promise<void> {
  return new Promise((resolve) => {
    resource.urn.apply(() => resolve());
  });
}

const deployments = new WeakMap<object, Deployment>();
/** Outside a program run (unit tests): one deployment for the process. */
const NO_STACK = {};

/** This run's deployment, and its record resource and observer the first time it is asked for. */
export function currentDeployment(): Deployment {
  const stack: object = pulumi.runtime.getStackResource() ?? NO_STACK;
  let deployment = deployments.get(stack);
  if (deployment === undefined) {
    deployment = new Deployment();
    deployments.set(stack, deployment);
  }
  return deployment;
}

/**
 * The record resource of this run, made once: an observer of protected resources first (so
 * every later resource is seen), then the component. The version checks gate its outputs: a
 * failed one fails the program there even when no hook ever runs.
 */
export function ensureRecord(deployment: Deployment): BackupHookRecord {
  if (deployment.record === undefined) {
    pulumi.runtime.registerStackTransformation((args) => {
      if (deployment.observedTypes.has(args.type) || deployment.usesOurHooks(args.opts.hooks)) {
        deployment.observed.push(args.resource);
      }
      return undefined;
    });
    deployment.record = new BackupHookRecord("rds-backup-hooks", deployment);
  }
  return deployment.record;
}

/**
 * What the backup hooks did in this update (see the header): export `backups` to see it in the
 * stack's outputs too.
 */
export class BackupHookRecord extends pulumi.ComponentResource {
  readonly backups: pulumi.Output<HookBackupRecord[]>;

  constructor(name: string, deployment: Deployment) {
    super("rds-backups:index:BackupHookRecord", name, {}, {});
    const records = async () => {
      await deployment.settled();
      await Promise.all(deployment.cliChecks.values());
      deployment.recordWritten = true;
      return [...deployment.records];
    };
    this.backups = pulumi.output(records());
    this.registerOutputs({ backups: this.backups });
  }
}
