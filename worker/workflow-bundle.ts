/** The case workflows as the platform's worker runs them, bundled once per worker at start. */
import { fileURLToPath } from 'node:url';
import { bundleWorkflowCode, DefaultLogger, type WorkflowBundleWithSourceMap } from '@temporalio/worker';

const module = (file: string) => fileURLToPath(new URL(file, import.meta.url));

/**
 * `stackTraces: false` (the default, WORKFLOW_STACK_TRACES) preloads worker/no-stack-traces.ts into
 * the sandbox: no stack per promise. The SDK's stack-trace query (the Temporal UI's Call Stack tab)
 * then answers a bare "Error" per waiting promise; it skips workflow interceptors, so it cannot be
 * made to say why. `interceptorModules`: workflow interceptors to bundle (the policy simulator's).
 * The bundler's INFO report stays out of the worker's output.
 */
export function caseWorkflowBundle(options: { stackTraces?: boolean; interceptorModules?: string[] } = {}): Promise<WorkflowBundleWithSourceMap> {
  const off = !options.stackTraces;
  return bundleWorkflowCode({
    workflowsPath: module('../workflows/index.ts'),
    preloadModules: off ? [module('./no-stack-traces.ts')] : [],
    workflowInterceptorModules: options.interceptorModules ?? [],
    logger: new DefaultLogger('WARN'),
  });
}
