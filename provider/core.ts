/**
 * The contract of the provider core: what the two Pulumi front doors (the dynamic providers,
 * through ./runtime.ts, and the provider plugin, plugin/provider.ts) call, for each resource
 * (./core-backups.ts, ./core-gate.ts, ./core-ensure.ts), always in the same shape:
 *
 *   core.inputs(props)                      → the arguments, checked (or failures, or unknowns)
 *   core.run(mode, context, previous?)      → the outputs (or a thrown verdict)
 *   core.changed(state, judged)             → whether an update must run (a custom resource's diff)
 *
 * The mode says what the engine asked for, so no core guesses it from its props:
 * - "preview": what an update would do, changing nothing (a stale gate still stops it);
 * - "judge":   the update itself (the gate enforces and records, ensure takes a backup);
 * - "refresh": report, never fail on a verdict (`previous` is the state being refreshed).
 * The context is one object: the settings, the subject (what the user wrote, e.g.
 * `requireFreshBackup` or `FreshBackupGate`, which starts every message) and the checked request.
 */
import { unknownValue } from "@pulumi/pulumi/runtime/rpc";
import { RdsValidationError, stableJson, type ValidationFailure } from "../sdk/internal";
import type { Checked } from "./args";
import { dynamicOutputKeys, outputNames, type OutputDecl } from "./outputs";
import type { StackSettings } from "./settings";

export type Mode = "preview" | "judge" | "refresh";

export type Props = Record<string, unknown>;

export interface CallContext<R> {
  readonly settings: StackSettings;
  /** What the user wrote; every message starts with it. */
  readonly subject: string;
  /** The arguments, checked once by the caller (`core.inputs`). */
  readonly request: R;
  /** The moment judged at; tests pass one, the engine never does. */
  readonly now?: Date;
}

/** A resource's arguments read out of its props: checked, or the failures, or the keys not known yet (a preview). */
export interface Inputs<R> extends Checked<R> {
  /** The arguments as given (no engine key, no output, no null). */
  readonly args: Props;
  /** Arguments whose value the engine does not know yet; their failures are left out of `failures`. */
  readonly unknownKeys: readonly string[];
}

export interface ResourceCore<R> {
  readonly outputs: readonly OutputDecl[];
  /** What a check returns among the inputs while an argument is not known (a preview): nothing judged. */
  readonly pending: Props;
  inputs(props: Props): Inputs<R>;
  run(mode: Mode, context: CallContext<R>, previous?: Props): Promise<Props>;
  /**
   * A diff: `state` is the outputs, `judged` what check returned (on refresh, the engine passes
   * the state just read and the inputs of the last check). True when an argument changed or
   * check decided something the state does not hold.
   */
  changed(state: Props, judged: Props): boolean;
}

/** Whether the arguments among two sets of props differ. */
export function argumentsChanged(state: Props, judged: Props, outputs: readonly OutputDecl[]): boolean {
  return stableJson(argumentsOf(state, outputs)) !== stableJson(argumentsOf(judged, outputs));
}

/** Each previewed output (`inPreview`) not known yet, but for the ones `known` gives. */
export function pendingOutputs(outputs: readonly OutputDecl[], known: Props = {}): Props {
  return Object.fromEntries(outputs.filter((d) => d.inPreview).map((d) => [d.name, known[d.name] ?? unknownValue]));
}

/** The value the engine sends for one not known in a preview (both the dynamic host and the plugin get this string). */
export function isUnknown(value: unknown): boolean {
  return value === unknownValue;
}

/**
 * The arguments among a resource's props: everything but the engine's `__provider`, the
 * resource's declared outputs (the engine passes them back on refresh, and a plugin's check
 * adds some to the inputs) and absent values.
 */
export function argumentsOf(props: Props, outputs: readonly OutputDecl[]): Props {
  const outputKeys = [...outputNames(outputs), ...dynamicOutputKeys(outputs)];
  return Object.fromEntries(
    Object.entries(props ?? {}).filter(
      ([key, value]) => key !== "__provider" && !outputKeys.includes(key) && value !== undefined && value !== null,
    ),
  );
}

/** The one reading of arguments every core uses: `check` is the resource's argument check (./args.ts). */
export function readInputs<R>(
  props: Props,
  outputs: readonly OutputDecl[],
  check: (args: Props) => Checked<R>,
): Inputs<R> {
  const args = argumentsOf(props, outputs);
  const unknownKeys = Object.keys(args).filter((key) => isUnknown(args[key]));
  const { failures, request } = check(args);
  const known = failures.filter((f: ValidationFailure) => !unknownKeys.includes(f.field));
  return unknownKeys.length > 0 ? { args, unknownKeys, failures: known } : { args, unknownKeys, failures, request };
}

/** The checked request, or a refusal naming every bad field (the dynamic read, which the engine gives no check). */
export function requestOf<R>(inputs: Inputs<R>, subject: string): R {
  if (inputs.request !== undefined) return inputs.request;
  if (inputs.failures.length === 0)
    throw verdictError(`${subject}: ${inputs.unknownKeys.join(", ")} not known yet, so nothing can be judged`);
  throw verdictError(`${subject}: ${new RdsValidationError(inputs.failures).message}`);
}

/**
 * An expected refusal (a stale backup, bad input, an API error already explained), not a crash:
 * no stack trace, which Pulumi's dynamic-provider host would print under the message.
 */
export function verdictError(message: string): Error {
  const error = new Error(message);
  error.stack = "";
  return error;
}

/** Pulumi's property structs take no `undefined`: JSON is exactly the shape they accept. */
export function plain<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

/**
 * A line for the person running Pulumi. The engine shows a dynamic provider's stderr as an info
 * message on the stack; the plugin's are not shown, so it logs what matters through the engine.
 */
export function notice(message: string): void {
  console.error(message);
}
