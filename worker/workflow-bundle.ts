/** The case workflows as the platform's worker runs them, bundled once per worker at start. */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { bundleWorkflowCode, DefaultLogger, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { cachedWorkflowBundle } from './bundle-cache.js';

const module = (file: string) => fileURLToPath(new URL(file, import.meta.url));

/**
 * The installed packages, as npm records them (node_modules/.package-lock.json, else the lockfile):
 * the bundler itself (webpack, swc, the SDK's worker) and every package's own dependencies, which a
 * bundled package's version alone does not pin.
 */
function installedPackages(): string {
  for (const lock of ['../node_modules/.package-lock.json', '../package-lock.json']) {
    try {
      return createHash('sha256').update(readFileSync(module(lock))).digest('hex');
    } catch {
      // not there: the next, or none
    }
  }
  return 'unknown';
}

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
  const key = JSON.stringify({ ...bundle, node: process.versions.node.split('.')[0], installed: installedPackages() });
  const file = module(`../node_modules/.cache/aftersales/workflow-bundle-${createHash('sha256').update(key).digest('hex').slice(0, 16)}.json`);
  return cachedWorkflowBundle(file, key, () => bundleWorkflowCode({ ...bundle, logger: new DefaultLogger('WARN') }));
}
