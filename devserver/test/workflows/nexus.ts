/** Nexus: caller workflows (createNexusServiceClient) and the workflow behind the `hello` operation. */
import {
  CancellationScope,
  condition,
  createNexusServiceClient,
  isCancellation,
  sleep,
  workflowInfo,
} from '@temporalio/workflow';
import { NexusOperationFailure } from '@temporalio/common';
import { greetingService, type HelloInput } from './nexus-service.js';

/** What a caller saw of a failed operation (errors do not cross the workflow boundary as they are). */
export interface NexusErrorView {
  name: string;
  message: string;
  isNexusOperationFailure: boolean;
  isCancellation: boolean;
  operation?: string;
  causeName?: string;
  causeMessage?: string;
  rootName?: string;
  rootMessage?: string;
}

function view(err: unknown): NexusErrorView {
  type Chain = { name: string; message: string; cause?: unknown };
  const e = err as Chain;
  const causeOf = (x: Chain | undefined) => x?.cause as Chain | undefined;
  let root = causeOf(e);
  while (causeOf(root)) root = causeOf(root);
  return {
    name: e.name,
    message: e.message,
    isNexusOperationFailure: err instanceof NexusOperationFailure,
    isCancellation: isCancellation(err),
    operation: err instanceof NexusOperationFailure ? err.operation : undefined,
    causeName: causeOf(e)?.name,
    causeMessage: causeOf(e)?.message,
    rootName: root?.name,
    rootMessage: root?.message,
  };
}

function client(endpoint: string) {
  return createNexusServiceClient({ endpoint, service: greetingService });
}

/** The workflow a `hello` operation starts. */
export async function nexusHelloWorkflow(input: HelloInput): Promise<string> {
  if (input.sleepMs) await sleep(input.sleepMs);
  if (input.waitForCancel) await condition(() => false);
  return `Hello, ${input.name} (from ${workflowInfo().workflowType})`;
}

/** Calls the synchronous and the workflow-run operation; returns both results and the async token. */
export async function nexusCallerWorkflow(endpoint: string, name: string): Promise<{ echo: string; hello: string; token?: string }> {
  const c = client(endpoint);
  const echo = await c.executeOperation('echo', name);
  const handle = await c.startOperation('hello', { name });
  const hello = await handle.result();
  return { echo, hello, token: handle.token };
}

/** Calls an operation expected to fail; returns what the failure looked like. */
export async function nexusFailingCallerWorkflow(endpoint: string, operation: 'fail' | 'crash'): Promise<NexusErrorView | string> {
  try {
    return await client(endpoint).executeOperation(operation, 'boom');
  } catch (err) {
    return view(err);
  }
}

/** Starts a `hello` operation whose workflow waits forever, then cancels it once started. */
export async function nexusCancelCallerWorkflow(endpoint: string, name: string): Promise<{ token?: string; error?: NexusErrorView; result?: string }> {
  let token: string | undefined;
  let started = false;
  const scope = new CancellationScope();
  const result = scope.run(async () => {
    const handle = await client(endpoint).startOperation('hello', { name, waitForCancel: true });
    token = handle.token;
    started = true;
    return handle.result();
  });
  await condition(() => started);
  scope.cancel();
  try {
    return { token, result: await result };
  } catch (err) {
    return { token, error: view(err) };
  }
}

/** A `hello` operation whose workflow outlives the operation's schedule-to-close timeout. */
export async function nexusTimeoutCallerWorkflow(endpoint: string, name: string): Promise<NexusErrorView | string> {
  try {
    return await client(endpoint).executeOperation('hello', { name, sleepMs: 3_600_000 }, { scheduleToCloseTimeout: '2s' });
  } catch (err) {
    return view(err);
  }
}
