/** Configuration from the environment, validated at start: a wrong value stops the process with a clear message. */
import type { AdapterConfig, AdaptersConfig } from '../adapters/index.js';

export interface Config {
  port: number;
  host: string;
  databaseUrl?: string;
  dataDir: string;
  temporalAddress?: string;
  temporalNamespace: string;
  courierSecrets: Record<string, string>;
  /** How long a customer token lives when the storefront asks for no other lifetime. */
  customerTokenTtlSeconds: number;
  /** pino level of the API's and the worker's logs. */
  logLevel: LogLevelName;
  /** Pretty lines instead of JSON; undefined = pretty when the output is a terminal. */
  logPretty?: boolean;
  /** Payment, courier, notification and warehouse systems: HTTP when PAYMENT_URL / COURIER_URL / NOTIFIER_URL / WAREHOUSE_URL is set, else the simulators. */
  adapters: AdaptersConfig;
}

export class ConfigError extends Error {}

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevelName = (typeof LOG_LEVELS)[number];

/** Customer tokens: one day unless configured; at most 30 days, so a leaked token does not live on. */
export const CUSTOMER_TOKEN_TTL = { default: 86_400, min: 60, max: 30 * 86_400 } as const;

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const problems: string[] = [];
  const port = Number(env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) problems.push(`PORT must be a port number, got ${JSON.stringify(env.PORT)}`);
  const databaseUrl = env.DATABASE_URL || undefined;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) problems.push('DATABASE_URL must be a postgresql:// URL');
  const temporalAddress = env.TEMPORAL_ADDRESS || undefined;
  if (temporalAddress && !/^[\w.-]+:\d+$/.test(temporalAddress)) problems.push(`TEMPORAL_ADDRESS must be host:port, got ${JSON.stringify(temporalAddress)}`);
  const courierSecrets: Record<string, string> = {};
  for (const pair of (env.COURIER_SECRETS ?? 'SF=dev-sf-secret,YTO=dev-yto-secret').split(',').filter(Boolean)) {
    const [carrier, secret] = pair.split('=');
    if (!carrier || !secret || secret.length < 8) problems.push(`COURIER_SECRETS must be CARRIER=secret(≥8 chars),… got ${JSON.stringify(pair)}`);
    else courierSecrets[carrier] = secret;
  }
  const customerTokenTtlSeconds = Number(env.CUSTOMER_TOKEN_TTL_SECONDS ?? CUSTOMER_TOKEN_TTL.default);
  if (!Number.isInteger(customerTokenTtlSeconds) || customerTokenTtlSeconds < CUSTOMER_TOKEN_TTL.min || customerTokenTtlSeconds > CUSTOMER_TOKEN_TTL.max) {
    problems.push(`CUSTOMER_TOKEN_TTL_SECONDS must be ${CUSTOMER_TOKEN_TTL.min}…${CUSTOMER_TOKEN_TTL.max} (30 days), got ${JSON.stringify(env.CUSTOMER_TOKEN_TTL_SECONDS)}`);
  }
  const logLevel = (env.LOG_LEVEL ?? 'info') as LogLevelName;
  if (!LOG_LEVELS.includes(logLevel)) problems.push(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got ${JSON.stringify(env.LOG_LEVEL)}`);
  const logFormat = env.LOG_FORMAT || undefined;
  if (logFormat && logFormat !== 'json' && logFormat !== 'pretty') problems.push(`LOG_FORMAT must be json or pretty, got ${JSON.stringify(logFormat)}`);
  const timeoutMs = Number(env.ADAPTER_TIMEOUT_MS ?? 10_000);
  if (!Number.isInteger(timeoutMs) || timeoutMs < 100 || timeoutMs > 120_000) problems.push(`ADAPTER_TIMEOUT_MS must be 100…120000, got ${JSON.stringify(env.ADAPTER_TIMEOUT_MS)}`);
  const adapter = (name: 'PAYMENT' | 'COURIER' | 'NOTIFIER' | 'WAREHOUSE'): AdapterConfig => {
    const baseUrl = env[`${name}_URL`] || undefined;
    if (!baseUrl) return { kind: 'simulator' };
    const secret = env[`${name}_SECRET`] ?? '';
    if (!/^https?:\/\/[^\s/]+/.test(baseUrl)) problems.push(`${name}_URL must be an http(s) URL, got ${JSON.stringify(baseUrl)}`);
    // Requests are signed with the secret (HMAC): a short one is guessable.
    if (secret.length < 16) problems.push(`${name}_SECRET must be set (≥ 16 characters) when ${name}_URL is`);
    return { kind: 'http', baseUrl, secret, timeoutMs };
  };
  const adapters: AdaptersConfig = { payment: adapter('PAYMENT'), courier: adapter('COURIER'), notifier: adapter('NOTIFIER'), warehouse: adapter('WAREHOUSE') };
  if (problems.length) throw new ConfigError(`invalid configuration:\n  - ${problems.join('\n  - ')}`);
  return {
    port,
    host: env.HOST ?? '127.0.0.1',
    databaseUrl,
    dataDir: env.DATA_DIR ?? '.data',
    temporalAddress,
    temporalNamespace: env.TEMPORAL_NAMESPACE ?? 'default',
    courierSecrets,
    customerTokenTtlSeconds,
    logLevel,
    logPretty: logFormat === undefined ? undefined : logFormat === 'pretty',
    adapters,
  };
}
