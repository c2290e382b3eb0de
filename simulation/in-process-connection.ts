/**
 * A Temporal client connection to a dev server in the same process (the simulator's shards,
 * simulation/engine.ts): every call goes to the server's handlers as protobuf bytes
 * (`DevServer.call`), not through a socket, HTTP/2 and gRPC at both ends, which cost about as much
 * CPU as the server's own work on a simulated case's updates, signals and clock moves.
 *
 * The client above it is the SDK's own: `Connection` builds its services on an RPC function,
 * which this subclass supplies; metadata (the namespace header among it), deadlines and
 * cancellation are passed on as the gRPC one passes them.
 */
import grpc from '@grpc/grpc-js';
import { Connection } from '@temporalio/client';
import { InternalConnectionOptionsSymbol, type RPCImplOptions } from '@temporalio/client/lib/connection.js';
import type { DevServer } from '../devserver/src/index.js';

export function inProcessConnection(server: DevServer): Connection {
  class InProcessConnection extends Connection {
    protected static override generateRPCImplementation({ serviceName, callContextStorage, staticMetadata }: RPCImplOptions) {
      return (method: { name: string }, requestData: Uint8Array, callback: (err: Error | null, response?: Uint8Array) => void) => {
        const { metadata, deadline, abortSignal } = callContextStorage.getStore() ?? {};
        const md = new grpc.Metadata();
        for (const [k, v] of Object.entries({ ...staticMetadata, ...metadata })) md.set(k, v);
        server
          .call(`/${serviceName}/${method.name}`, requestData, {
            metadata: md,
            ...(deadline !== undefined ? { deadline: deadline instanceof Date ? deadline.getTime() : deadline } : {}),
            ...(abortSignal ? { signal: abortSignal } : {}),
          })
          .then(
            (response) => callback(null, response),
            (err: Error) => callback(err),
          );
      };
    }
  }
  // Not connected to anything over the network: the address only names the server in messages.
  const internal = { [InternalConnectionOptionsSymbol]: { supportsTestService: true } };
  return InProcessConnection.lazy({ address: server.address, ...internal });
}
