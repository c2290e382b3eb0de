// Flat config. The rule that matters most: workflow code runs in Temporal's deterministic sandbox,
// so `workflows/` may not import Node built-ins or activity implementations (types only), and
// may not reach for I/O or non-deterministic globals.
import tseslint from 'typescript-eslint';

const nodeBuiltins = [
  'assert', 'buffer', 'child_process', 'cluster', 'crypto', 'dgram', 'dns', 'events', 'fs', 'fs/promises', 'http', 'http2',
  'https', 'net', 'os', 'path', 'perf_hooks', 'process', 'readline', 'stream', 'timers', 'tls', 'url', 'util', 'v8', 'vm',
  'worker_threads', 'zlib',
];

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'devserver/dist/**', 'generated/**', '.data/**', 'coverage/**', '.tmp-*/**', 'ui/**', 'console/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['workflows/**/*.ts', 'domain/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: nodeBuiltins.flatMap((m) => [
            { name: m, message: 'Workflow code runs in a sandbox: no Node built-ins.' },
            { name: `node:${m}`, message: 'Workflow code runs in a sandbox: no Node built-ins.' },
          ]),
          patterns: [
            { group: ['**/activities', '**/activities/**'], allowTypeImports: true, message: 'Import activity types only (import type).' },
            { group: ['@prisma/*', 'pg', 'fastify', '**/db/**', '**/adapters/**'], message: 'No I/O in workflow code.' },
          ],
        },
      ],
      'no-restricted-globals': [
        'error',
        { name: 'process', message: 'No process.env in workflows: configuration arrives as workflow input.' },
        { name: 'setTimeout', message: 'Use sleep() / condition() from @temporalio/workflow.' },
        { name: 'fetch', message: 'No I/O in workflow code: call an activity.' },
      ],
      'no-restricted-properties': ['error', { object: 'Math', property: 'random', message: "Use the SDK's deterministic helpers (uuid4) instead." }],
    },
  },
  {
    // The dev server is a package of its own (devserver/README.md): the platform uses it through its
    // entry point only, so its internals can change without the platform noticing. (Tests and
    // benchmarks may look inside: they test it.)
    files: ['activities/**/*.ts', 'adapters/**/*.ts', 'api/**/*.ts', 'app/**/*.ts', 'db/**/*.ts', 'reports/**/*.ts', 'scripts/**/*.ts', 'simulation/**/*.ts', 'worker/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { regex: 'devserver/(src/(?!index\\.js$)|test/)', message: 'Use the dev server through devserver/src/index.js, its entry point.' },
          ],
        },
      ],
    },
  },
  {
    // Pure rules take the time as an argument (inside a workflow Date.now() is workflow time; elsewhere it is not).
    files: ['domain/**/*.ts'],
    rules: {
      'no-restricted-properties': [
        'error',
        { object: 'Date', property: 'now', message: 'Pass the time in: domain rules are pure.' },
        { object: 'Math', property: 'random', message: 'Domain rules are deterministic.' },
      ],
    },
  },
);
