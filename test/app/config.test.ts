import { describe, expect, it } from 'vitest';
import { ConfigError, courierSecretRotationNote, loadConfig } from '../../app/config.js';

describe('configuration from the environment', () => {
  it('defaults to embedded Postgres, the dev server and simulators', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({ port: 3000, databaseUrl: undefined, temporalAddress: undefined, temporalNamespace: 'default' });
    expect(c.adapters).toEqual({ payment: { kind: 'simulator' }, courier: { kind: 'simulator' }, notifier: { kind: 'simulator' }, warehouse: { kind: 'simulator' } });
  });

  it('captures workflow stack traces only when WORKFLOW_STACK_TRACES=on, and says what else it takes', () => {
    expect(loadConfig({}).workflowStackTraces).toBe(false);
    expect(loadConfig({ WORKFLOW_STACK_TRACES: 'off' }).workflowStackTraces).toBe(false);
    expect(loadConfig({ WORKFLOW_STACK_TRACES: ' ON ' }).workflowStackTraces).toBe(true);
    expect(() => loadConfig({ WORKFLOW_STACK_TRACES: 'yes' })).toThrow(/WORKFLOW_STACK_TRACES must be on or off, got "yes"/);
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

  it('looks a carrier secret up by own property only, whatever the carrier is called', () => {
    const c = loadConfig({ COURIER_SECRETS: '__proto__=proto-secret-123,SF=sf-secret-123' });
    expect(Object.hasOwn(c.courierSecrets, '__proto__')).toBe(true);
    expect(Object.getPrototypeOf(c.courierSecrets)).toBe(Object.prototype);
    expect(Object.keys(c.courierSecrets).sort()).toEqual(['SF', '__proto__']);
    // A secret may hold '=' (base64); a carrier code is what the courier URL can carry.
    expect(loadConfig({ COURIER_SECRETS: 'SF=abc=def=ghi' }).courierSecrets).toEqual({ SF: 'abc=def=ghi' });
    expect(messageOf({ COURIER_SECRETS: 'S F=long-enough-secret' })).toContain('COURIER_SECRETS');
    // Callback URLs take the code in any case: sf and SF are one carrier. Named twice, it has both
    // secrets while it moves from one to the other (a rotation); a third is refused.
    expect(loadConfig({ COURIER_SECRETS: 'SF=sf-secret-123,sf=other-secret-456' }).courierSecrets).toEqual({ SF: ['sf-secret-123', 'other-secret-456'] });
    expect(loadConfig({ COURIER_SECRETS: 'SF=sf-secret-123,SF=sf-secret-123' }).courierSecrets).toEqual({ SF: 'sf-secret-123' });
    expect(messageOf({ COURIER_SECRETS: 'SF=sf-secret-123,sf=other-secret-456,SF=third-secret-789' })).toContain('COURIER_SECRETS names the carrier SF more than twice');
    // Said at start, so the old secret does not stay by oversight.
    expect(courierSecretRotationNote(loadConfig({ COURIER_SECRETS: 'SF=sf-secret-123,sf=other-secret-456,YTO=yto-secret-123' }).courierSecrets)).toBe('COURIER_SECRETS: SF has two callback secrets (a rotation): remove the old one once the carrier signs with the new');
    expect(courierSecretRotationNote(loadConfig({ COURIER_SECRETS: 'SF=sf-secret-123' }).courierSecrets)).toBe('');
  });

  it('has request limits per key and per anonymous caller, validated', () => {
    expect(loadConfig({}).rateLimits).toEqual({ perKeyPerMinute: 1200, anonymousPerMinute: 60 });
    expect(loadConfig({ RATE_LIMIT_PER_KEY_PER_MINUTE: '5000', RATE_LIMIT_ANONYMOUS_PER_MINUTE: '10' }).rateLimits).toEqual({ perKeyPerMinute: 5000, anonymousPerMinute: 10 });
    const message = messageOf({ RATE_LIMIT_PER_KEY_PER_MINUTE: 'lots', RATE_LIMIT_ANONYMOUS_PER_MINUTE: '0' });
    for (const name of ['RATE_LIMIT_PER_KEY_PER_MINUTE', 'RATE_LIMIT_ANONYMOUS_PER_MINUTE']) expect(message).toContain(name);
  });
});

/** The ConfigError's message ('' when the configuration loads). */
function messageOf(env: NodeJS.ProcessEnv, mode?: 'development' | 'production'): string {
  try {
    loadConfig(env, mode ? { mode } : undefined);
    return '';
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
}

/** What a production deployment sets: real providers, courier secrets of ≥ 16 characters. */
const PRODUCTION = {
  DATABASE_URL: 'postgresql://u:p@db:5432/aftersales',
  TEMPORAL_ADDRESS: 'temporal:7233',
  COURIER_SECRETS: 'SF=sf-secret-of-32-characters-xx,YTO=yto-secret-of-sixteen',
  PAYMENT_URL: 'https://pay.example.com/v1',
  PAYMENT_SECRET: 'payment-secret-123456',
  COURIER_URL: 'https://courier.example.com',
  COURIER_SECRET: 'courier-secret-123456',
  NOTIFIER_URL: 'https://notify.example.com',
  NOTIFIER_SECRET: 'notifier-secret-12345',
  WAREHOUSE_URL: 'https://wms.example.com',
  WAREHOUSE_SECRET: 'warehouse-secret-1234',
};
const WITHOUT_PROVIDERS = { DATABASE_URL: PRODUCTION.DATABASE_URL, TEMPORAL_ADDRESS: PRODUCTION.TEMPORAL_ADDRESS, COURIER_SECRETS: PRODUCTION.COURIER_SECRETS };

describe('production mode: no development defaults', () => {
  it('is the mode under NODE_ENV=production; development elsewhere, with the development secrets and simulators', () => {
    expect(messageOf({ NODE_ENV: 'production' })).toMatch(/COURIER_SECRETS/);
    expect(loadConfig({ NODE_ENV: 'test' }).courierSecrets).toMatchObject({ SF: 'dev-sf-secret', YTO: 'dev-yto-secret', ZTO: 'dev-zto-secret', JTEXPRESS: 'dev-jtexpress-secret' });
    expect(Object.keys(loadConfig({ NODE_ENV: 'test' }).courierSecrets).sort()).toEqual(['DEPPON', 'EMS', 'JD', 'JTEXPRESS', 'SF', 'STO', 'YTO', 'YUNDA', 'ZTO']);
    expect(loadConfig({}, { mode: 'development' }).adapters.payment).toEqual({ kind: 'simulator' });
    // The explicit mode wins over NODE_ENV.
    expect(loadConfig({ NODE_ENV: 'production' }, { mode: 'development' }).courierSecrets).toHaveProperty('SF');
    expect(messageOf({}, 'production')).toMatch(/COURIER_SECRETS/);
  });

  it('loads a complete production configuration', () => {
    const c = loadConfig(PRODUCTION, { mode: 'production' });
    expect(c.courierSecrets).toEqual({ SF: 'sf-secret-of-32-characters-xx', YTO: 'yto-secret-of-sixteen' });
    for (const a of [c.adapters.payment, c.adapters.courier, c.adapters.notifier, c.adapters.warehouse]) expect(a?.kind).toBe('http');
  });

  it('names every missing piece at once: COURIER_SECRETS and each provider without URL and secret', () => {
    const message = messageOf({ DATABASE_URL: PRODUCTION.DATABASE_URL, TEMPORAL_ADDRESS: PRODUCTION.TEMPORAL_ADDRESS }, 'production');
    for (const name of ['COURIER_SECRETS', 'PAYMENT_URL', 'COURIER_URL', 'NOTIFIER_URL', 'WAREHOUSE_URL', 'SIMULATORS=payment', 'SIMULATORS=warehouse']) expect(message).toContain(name);
    // The README's development secrets are public: too short for production.
    expect(messageOf({ ...PRODUCTION, COURIER_SECRETS: 'SF=dev-sf-secret,YTO=dev-yto-secret' }, 'production')).toMatch(/COURIER_SECRETS must be CARRIER=secret\(≥16 chars\)/);
    expect(messageOf({ ...PRODUCTION, COURIER_SECRETS: '' }, 'production')).toMatch(/COURIER_SECRETS must be set/);
    // A secret is never echoed in the message.
    expect(messageOf({ ...PRODUCTION, COURIER_SECRETS: 'SF=short-secret' }, 'production')).not.toContain('short-secret');
  });

  it('runs a simulator only where SIMULATORS names it', () => {
    const all = loadConfig({ ...WITHOUT_PROVIDERS, SIMULATORS: 'all' }, { mode: 'production' });
    expect(all.adapters).toEqual({ payment: { kind: 'simulator' }, courier: { kind: 'simulator' }, notifier: { kind: 'simulator' }, warehouse: { kind: 'simulator' } });
    const some = messageOf({ ...WITHOUT_PROVIDERS, SIMULATORS: 'payment, Courier' }, 'production');
    expect(some).not.toContain('PAYMENT_URL');
    expect(some).not.toContain('COURIER_URL');
    for (const name of ['NOTIFIER_URL', 'WAREHOUSE_URL']) expect(some).toContain(name);
    const mixed = loadConfig({ ...PRODUCTION, NOTIFIER_URL: '', NOTIFIER_SECRET: '', SIMULATORS: 'notifier' }, { mode: 'production' });
    expect(mixed.adapters.notifier).toEqual({ kind: 'simulator' });
    expect(mixed.adapters.payment.kind).toBe('http');
  });

  it('refuses unknown simulator names and a provider both simulated and configured', () => {
    expect(messageOf({ ...WITHOUT_PROVIDERS, SIMULATORS: 'all,paymnet' }, 'production')).toMatch(/SIMULATORS must list payment, courier, notifier, warehouse or all, got "paymnet"/);
    expect(messageOf({ SIMULATORS: 'everything' })).toMatch(/SIMULATORS/);
    expect(messageOf({ ...PRODUCTION, SIMULATORS: 'payment' }, 'production')).toMatch(/PAYMENT_URL is set and SIMULATORS names payment/);
  });
});
