#!/usr/bin/env node
// The executable the Temporal SDK spawns (`existing-path`): it must be the server process itself
// (no child process), because the SDK tears it down with SIGKILL to this PID only.
import { main } from '../dist/cli.js';

main(process.argv.slice(2)).catch((err) => {
  process.stderr.write(`temporal-dev: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
