/** The case workflows as the platform's worker runs them, bundled once per worker at start. */
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { bundleWorkflowCode, DefaultLogger, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { cachedWorkflowBundle } from './bundle-cache.js';

const module = (file: string) => fileURLToPath(new URL(file, import.meta.url));

/**
 * `stackTraces: false` (the default, WORKFLOW_STACK_TRACES) preloads worker/no-stack-traces.ts into
 * the sandbox: no stack per promise. The SDK's stack-trace query (the Temporal UI's Call Stack tab)
 * then answers a bare "Error" per waiting promise; it skips workflow interceptors, so it cannot be
 * made to say why. `interceptorModules`: workflow interceptors to bundle (the policy simulator's).
 * The bundler's INFO report stays out of the worker's output. The bundle is kept in
 * node_modules/.cache/aftersales/ and made again only when a file it was made from changed
 * (worker/bundle-cache.ts); delete the folder to force it.
 */
export function caseWorkflowBundle(options: { stackTraces?: boolean; interceptorModules?: string[] } = {}): Promise<WorkflowBundleWithSourceMap> {
  const bundle = {
    workflowsPath: module('../workflows/index.ts'),
    preloadModules: options.stackTraces ? [] : [module('./no-stack-traces.ts')],
    workflowInterceptorModules: options.interceptorModules ?? [],
  };
  const key = JSON.stringify(bundle);
  const file = module(`../node_modules/.cache/aftersales/workflow-bundle-${createHash('sha256').update(key).digest('hex').slice(0, 16)}.json`);
  return cachedWorkflowBundle(file, key, () => bundleWorkflowCode({ ...bundle, logger: new DefaultLogger('WARN') }));
}
