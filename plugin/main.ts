/**
 * Entry point of `pulumi-resource-alicloud-rds-backups`: serves ./provider.ts over gRPC with
 * `@pulumi/pulumi/provider`'s server, which the engine starts with its address as the argument.
 *
 * That server answers CheckConfig with "not implemented" and Configure without looking at the
 * request (its `Provider` interface has no configuration), so those two calls are answered
 * here (./config.ts) and everything else stays the server's. It builds its gRPC service in one
 * synchronous step of `main`; the hook below replaces the two handlers on that service object
 * and removes itself at once.
 */
import * as provider from "@pulumi/pulumi/provider";
import { checkConfig, settingsFrom, withSecretCredentials } from "./config";
import { engineLog } from "./engine-log";
import { RdsBackupsProvider } from "./provider";
import { grpc, providerProto, providerRpc, structProto } from "./pulumi-modules";

/* eslint-disable @typescript-eslint/no-explicit-any */
type Callback = (err: unknown, value?: unknown) => void;

const argv = process.argv.slice(2);
const rdsBackups = new RdsBackupsProvider(engineLog(argv));

const configHandlers = {
  checkConfig(call: { request: any }, callback: Callback): void {
    const news = (call.request.getNews()?.toJavaScript() ?? {}) as Record<string, unknown>;
    const response = new providerProto.CheckResponse();
    response.setInputs(structProto.Struct.fromJavaScript(withSecretCredentials(news)));
    response.setFailuresList(
      checkConfig(news).map(({ field, reason }) => {
        const failure = new providerProto.CheckFailure();
        failure.setProperty(field);
        failure.setReason(reason);
        return failure;
      }),
    );
    callback(null, response);
  },
  configure(call: { request: any }, callback: Callback): void {
    const request = call.request;
    const args = request.hasArgs() ? (request.getArgs().toJavaScript() as Record<string, unknown>) : undefined;
    const variables = new Map<string, string>(request.getVariablesMap().toArray());
    rdsBackups.configure(settingsFrom(args, variables));
    const response = new providerProto.ConfigureResponse();
    response.setAcceptsecrets(true);
    response.setAcceptresources(false);
    response.setAcceptoutputs(false);
    callback(null, response);
  },
};

const addService = grpc.Server.prototype.addService;
grpc.Server.prototype.addService = function (
  this: InstanceType<typeof grpc.Server>,
  service: any,
  implementation: any,
) {
  grpc.Server.prototype.addService = addService;
  if (service === providerRpc.ResourceProviderService) Object.assign(implementation, configHandlers);
  return addService.call(this, service, implementation);
};
/* eslint-enable @typescript-eslint/no-explicit-any */

void provider.main(rdsBackups, argv);
