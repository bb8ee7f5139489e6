/**
 * Messages on a resource, through the engine's Log service (the address the engine starts the
 * plugin with). A provider's stderr reaches the engine only as text on the stack, if at all; a
 * warning logged here is shown and counted under the gate itself, in preview and in up, as the
 * TypeScript gate's program-side warning is.
 */
import { engineProto, engineRpc, grpc, parseArgs } from "./pulumi-modules";

/** A log call never holds up a deployment for long: past this it is given up, and the line goes to stderr. */
const LOG_DEADLINE_MS = 5_000;

type Severity = "info" | "warning";
export type EngineLog = (severity: Severity, urn: string, message: string) => Promise<void>;

/** A logger to the engine named in the plugin's arguments, or to stderr when there is none (tests, a bare start). */
export function engineLog(args: string[]): EngineLog {
  const address = parseArgs(args)?.engineAddress;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  let client: any;
  return async (severity, urn, message) => {
    if (address === undefined) {
      console.error(message);
      return;
    }
    client ??= new engineRpc.EngineClient(address, grpc.credentials.createInsecure());
    const request = new engineProto.LogRequest();
    request.setSeverity(severity === "warning" ? engineProto.LogSeverity.WARNING : engineProto.LogSeverity.INFO);
    request.setMessage(message);
    request.setUrn(urn);
    await new Promise<void>((resolve) => {
      client.log(request, { deadline: Date.now() + LOG_DEADLINE_MS }, (err: Error | null) => {
        if (err) console.error(message);
        resolve();
      });
    });
  };
}
