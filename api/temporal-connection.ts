/**
 * The API's connection to Temporal. The SDK retries a call Temporal does not answer (UNAVAILABLE)
 * ten times, about 19 s in all: with Temporal away, an opening took that long to be answered 202
 * (api/open-case.ts) and every command as long to be answered 503, longer than many storefronts
 * wait for an answer. Seven attempts (about 5 s) still ride out a dropped connection or a server
 * restarting; past them the client is told to come back (503 with Retry-After) or, for an opening,
 * the API starts the workflow itself later (api/unstarted-openings.ts). A Temporal that answers
 * slowly is not cut short: only calls that fail are retried, and no deadline is set.
 */
import { Connection, defaultGrpcRetryOptions, makeGrpcRetryInterceptor, type ConnectionOptions } from '@temporalio/client';

/** Attempts of one call Temporal did not answer (the SDK's default is 10). */
export const API_TEMPORAL_ATTEMPTS = 7;

export function apiTemporalConnection(address: string): ConnectionOptions {
  return { address, interceptors: [makeGrpcRetryInterceptor(defaultGrpcRetryOptions({ maxAttempts: API_TEMPORAL_ATTEMPTS }))] };
}

export function connectApiToTemporal(address: string): Promise<Connection> {
  return Connection.connect(apiTemporalConnection(address));
}
