/**
 * The server's methods for a caller in its own process (DevServer.call): the request's protobuf
 * bytes in, the response's out, through the same handlers and statuses as gRPC (grpc.ts
 * `addService` fills `methods`), with the caller's deadline and cancellation kept as a gRPC client
 * keeps them, and no socket, HTTP/2 or gRPC framing in between.
 */
import grpc from '@grpc/grpc-js';
import { statusError } from './errors.js';
import { cancellation, handlerDeadlineMs, type InProcessMethod } from './grpc.js';

export interface InProcessCallOptions {
  metadata?: grpc.Metadata;
  /** Epoch ms by which the caller stops waiting: long polls answer before it, as over gRPC. */
  deadline?: number;
  /** Aborting it cancels the call (the handler's cancel callbacks run; the call fails with CANCELLED). */
  signal?: AbortSignal;
}

/** Longest timer Node keeps (about 24.8 days); a later deadline is as good as none, as in grpc-js. */
const MAX_TIMER_MS = 2 ** 31 - 1;

export class InProcessCalls {
  /** By gRPC path (`/temporal.api.workflowservice.v1.WorkflowService/StartWorkflowExecution`). */
  readonly methods = new Map<string, InProcessMethod>();
  private stopped = false;
  /** Calls under way, each failed by `stop()`. */
  private readonly pending = new Set<() => void>();

  call(path: string, request: Uint8Array, { metadata, deadline, signal }: InProcessCallOptions = {}): Promise<Uint8Array> {
    const method = this.methods.get(path);
    if (this.stopped) return Promise.reject(statusError(grpc.status.UNAVAILABLE, 'the server has stopped'));
    if (!method) return Promise.reject(statusError(grpc.status.UNIMPLEMENTED, `unknown method ${path}`));
    if (signal?.aborted) return Promise.reject(statusError(grpc.status.CANCELLED, 'Cancelled on client'));
    const { onCancel, cancel } = cancellation();
    return new Promise<Uint8Array>((resolve, reject) => {
      /** Tells the handler its caller is gone, and fails the call with `status`. */
      const abandon = (status: grpc.status, details: string) => {
        cancel();
        reject(statusError(status, details));
      };
      const onAbort = () => abandon(grpc.status.CANCELLED, 'Cancelled on client');
      const onStop = () => abandon(grpc.status.UNAVAILABLE, 'the server has stopped');
      signal?.addEventListener('abort', onAbort, { once: true });
      this.pending.add(onStop);
      let left = deadline !== undefined && Number.isFinite(deadline) ? deadline - Date.now() : undefined;
      if (left !== undefined && left > MAX_TIMER_MS) left = undefined;
      // As a gRPC client would: past its deadline the call fails, and the handler hears it was cancelled.
      const expiry = left !== undefined ? setTimeout(() => abandon(grpc.status.DEADLINE_EXCEEDED, 'Deadline exceeded'), Math.max(0, left)) : undefined;
      method(request, { onCancel, deadlineMs: handlerDeadlineMs(left), metadata: metadata ?? new grpc.Metadata() })
        .then(resolve, reject)
        .finally(() => {
          clearTimeout(expiry);
          this.pending.delete(onStop);
          signal?.removeEventListener('abort', onAbort);
        });
    });
  }

  /** As forceShutdown does to gRPC calls: calls under way fail, later ones are refused. */
  stop(): void {
    this.stopped = true;
    for (const abandon of this.pending) abandon();
  }
}
