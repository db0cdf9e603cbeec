/**
 * `@loglens/nest-common/nats`: the NATS helpers without Nest — connection options, the RPC client and scatter-gather.
 * For long-running processes that are no Nest service (the `npm start` launcher): the package index would load Nest,
 * rxjs and the rest of a service (~30 MB) into them.
 */
export { natsServers } from './lib/nats-servers';
export { PATIENT_FIRST_CONNECT, natsConnectOptions } from './lib/nats-connection';
export { RpcClient } from './lib/rpc-client';
export { scatterGather } from './lib/scatter-gather';
