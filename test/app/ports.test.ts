/**
 * A port another program holds stops `npm start` at once, naming the setting to change
 * (app/ports.ts) — before Postgres, the dev server or the worker is started.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../app/config.js';
import { startPlatform } from '../../app/platform.js';
import { portIsFree } from '../../app/ports.js';

let held: net.Server;
let port: number;
const dataDir = mkdtempSync(path.join(tmpdir(), 'ports-'));

beforeAll(async () => {
  held = net.createServer();
  await new Promise<void>((resolve) => held.listen({ host: '127.0.0.1', port: 0 }, resolve));
  port = (held.address() as net.AddressInfo).port;
});

afterAll(async () => {
  await new Promise((resolve) => held.close(resolve));
  rmSync(dataDir, { recursive: true, force: true });
});

describe('ports checked before the platform starts', () => {
  it('says which ports are taken and which setting to change, and starts nothing', async () => {
    // A database URL nothing listens on: the check must come before anything connects to it.
    const config = loadConfig({ PORT: String(port), TEMPORAL_PORT: String(port), TEMPORAL_UI_PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, DATABASE_URL: 'postgresql://nobody@127.0.0.1:1/none' });
    const started = startPlatform(config);
    await expect(started).rejects.toThrow(ConfigError);
    await expect(started).rejects.toThrow(`127.0.0.1:${port} is in use by another program: set PORT to another port (0 = any free one)`);
    await expect(started).rejects.toThrow('set TEMPORAL_PORT to another port');
    await expect(started).rejects.not.toThrow('TEMPORAL_UI_PORT');
  });

  it('a free port is free, a held one is not, port 0 always is', async () => {
    expect(await portIsFree('127.0.0.1', port)).toBe(false);
    expect(await portIsFree('127.0.0.1', 0)).toBe(true);
  });
});
