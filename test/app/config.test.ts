import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../app/config.js';

describe('configuration from the environment', () => {
  it('defaults to embedded Postgres, the dev server and simulators', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({ port: 3000, databaseUrl: undefined, temporalAddress: undefined, temporalNamespace: 'default' });
    expect(c.adapters).toEqual({ payment: { kind: 'simulator' }, courier: { kind: 'simulator' }, notifier: { kind: 'simulator' }, warehouse: { kind: 'simulator' } });
  });

  it('uses an HTTP provider where its URL and secret are set', () => {
    const c = loadConfig({ PAYMENT_URL: 'https://pay.example.com/v1', PAYMENT_SECRET: 'a-very-long-secret-123', ADAPTER_TIMEOUT_MS: '5000' });
    expect(c.adapters.payment).toEqual({ kind: 'http', baseUrl: 'https://pay.example.com/v1', secret: 'a-very-long-secret-123', timeoutMs: 5000 });
    expect(c.adapters.courier).toEqual({ kind: 'simulator' });
  });

  it('lists every wrong value in one clear error', () => {
    const env = { PORT: '70000', DATABASE_URL: 'mysql://x', TEMPORAL_ADDRESS: 'nohost', COURIER_URL: 'ftp://c', NOTIFIER_URL: 'https://n.example.com', NOTIFIER_SECRET: 'short', ADAPTER_TIMEOUT_MS: '5' };
    expect(() => loadConfig(env)).toThrow(ConfigError);
    const message = (() => {
      try {
        loadConfig(env);
        return '';
      } catch (err) {
        return (err as Error).message;
      }
    })();
    for (const name of ['PORT', 'DATABASE_URL', 'TEMPORAL_ADDRESS', 'COURIER_URL', 'COURIER_SECRET', 'NOTIFIER_SECRET', 'ADAPTER_TIMEOUT_MS']) expect(message).toContain(name);
  });
});
