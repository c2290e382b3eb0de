/** Configuration from the environment, validated at start: a wrong value stops the process with a clear message. */
import { parseCorsOrigins, type CorsOrigins } from '../api/cors.js';
import type { CourierSecret } from '../api/courier-secrets.js';
import type { AdapterConfig, AdaptersConfig } from '../adapters/index.js';
import { DEFAULT_STUCK_LIMITS, type StuckLimits } from '../activities/stuck-watch.js';
import { carrierCodeOf, KNOWN_CARRIERS } from '../domain/carriers.js';

export interface Config {
  /** production: nothing development-only is filled in or made (secrets, simulators, the demo shop and its keys). */
  mode: ConfigMode;
  port: number;
  host: string;
  databaseUrl?: string;
  dataDir: string;
  temporalAddress?: string;
  temporalNamespace: string;
  /**
   * The embedded dev server's ports (only without TEMPORAL_ADDRESS): gRPC (TEMPORAL_PORT, default
   * 7233) and the Web UI with Temporal's HTTP API (TEMPORAL_UI_PORT, default 8233) — the ports of
   * `temporal server start-dev`, so ops and tools find the same address every time. 0 = any free port.
   */
  temporalPort: number;
  temporalUiPort: number;
  /**
   * Where people open the Temporal Web UI when it is not the embedded one (TEMPORAL_UI_URL, e.g.
   * docker-compose's http://localhost:8080): the console links each case's workflow there.
   */
  temporalUiUrl?: string;
  /** Per carrier: its callback secret, or its secrets while one replaces the other (the carrier named twice). */
  courierSecrets: Record<string, CourierSecret>;
  /** How long a customer token lives when the storefront asks for no other lifetime. */
  customerTokenTtlSeconds: number;
  /** What the daily housekeeping keeps (app/schedules.ts): Idempotency-Key answers, dead customer tokens. */
  retention: { idempotencyRetentionDays: number; customerTokenRetentionDays: number };
  /** pino level of the API's and the worker's logs. */
  logLevel: LogLevelName;
  /** Pretty lines instead of JSON; undefined = pretty when the output is a terminal. */
  logPretty?: boolean;
  /** When a case whose side effect keeps failing is marked stuck (activities/stuck-watch.ts). */
  stuckLimits: StuckLimits;
  /** Payment, courier, notification and warehouse systems: HTTP when PAYMENT_URL / COURIER_URL / NOTIFIER_URL / WAREHOUSE_URL is set, else the simulators (in production only those named in SIMULATORS). */
  adapters: AdaptersConfig;
  /** Requests per minute: per API key (and per carrier + IP for courier callbacks), and per IP without a valid key. */
  rateLimits: RateLimits;
  /** Origins whose pages may call the API from a browser (CORS_ORIGINS; api/cors.ts): `*` in development, none in production unless listed. */
  corsOrigins: CorsOrigins;
  /** host:port of the worker's Prometheus endpoint (the Temporal SDK's metrics at /metrics); undefined = none. */
  workerMetricsAddress?: string;
  /** WORKFLOW_STACK_TRACES=on: the worker captures stacks in case workflows for the Temporal UI's Call Stack tab (worker/workflow-bundle.ts); off by default. */
  workflowStackTraces: boolean;
}

/**
 * 'development' (`npm start`, tests): development defaults fill what is missing. 'production'
 * (`npm run api`, `npm run worker`): nothing secret has a default, and a provider without its URL
 * is an error unless SIMULATORS names it.
 */
export type ConfigMode = 'development' | 'production';

export interface RateLimits {
  perKeyPerMinute: number;
  anonymousPerMinute: number;
}
export const RATE_LIMITS: RateLimits = { perKeyPerMinute: 1200, anonymousPerMinute: 60 };

/** The adapters SIMULATORS may name (`all`: every one of them). */
export const SIMULATOR_NAMES = ['payment', 'courier', 'notifier', 'warehouse'] as const;
/** What a carrier code in COURIER_SECRETS may be: the same as in `/v1/couriers/:carrier/…`. */
const CARRIER_CODE = /^[A-Za-z0-9_-]{1,32}$/;
/**
 * Development courier secrets, printed in the README: never used in production mode. One for every
 * carrier the platform names (domain/carriers.ts), `dev-<code in lower case>-secret`: a trial that
 * shipped a parcel by ZTO could not deliver it (no secret, no callback).
 */
const DEV_COURIER_SECRETS = Object.keys(KNOWN_CARRIERS)
  .map((code) => `${code}=dev-${code.toLowerCase()}-secret`)
  .join(',');

export class ConfigError extends Error {}

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevelName = (typeof LOG_LEVELS)[number];

/**
 * Where the worker serves the Temporal SDK's metrics when WORKER_METRICS_ADDRESS is not set:
 * `npm run worker` (production) on every interface for Prometheus in its network, `npm start` on
 * the loopback only, tests (NODE_ENV=test, set by vitest) nowhere so that parallel files never
 * compete for the port. `off` turns it off anywhere. A default address that is taken is skipped
 * with a warning (app/logging.ts): metrics never stop a process.
 */
export const WORKER_METRICS_DEFAULTS = { production: '0.0.0.0:9464', development: '127.0.0.1:9464' } as const;
/** host:port with an IPv4 address, a host name or a bracketed IPv6 address. */
const BIND_ADDRESS = /^(\[[0-9A-Fa-f:.]+\]|[\w.-]+):(\d{1,5})$/;

/** WORKER_METRICS_ADDRESS, or the default of the mode; undefined = no metrics endpoint. */
export function workerMetricsAddressOf(env: NodeJS.ProcessEnv, mode: ConfigMode, problems: string[] = []): string | undefined {
  const given = env.WORKER_METRICS_ADDRESS?.trim();
  if (given === 'off') return undefined;
  if (!given) return env.NODE_ENV === 'test' ? undefined : WORKER_METRICS_DEFAULTS[mode];
  const port = Number(BIND_ADDRESS.exec(given)?.[2]);
  if (!(port >= 1 && port <= 65535)) {
    problems.push(`WORKER_METRICS_ADDRESS must be host:port (e.g. 0.0.0.0:9464) or off, got ${JSON.stringify(given)}`);
    return undefined;
  }
  return given;
}

/** Customer tokens: one day unless configured; at most 30 days, so a leaked token does not live on. */
export const CUSTOMER_TOKEN_TTL = { default: 86_400, min: 60, max: 30 * 86_400 } as const;

/** Days the daily housekeeping keeps an Idempotency-Key answer (configurable) and a dead customer token. */
export const RETENTION = { idempotencyDays: 7, customerTokenDays: 30 } as const;

/**
 * What to say at start when a carrier has two callback secrets (a rotation under way): both are
 * taken until the old one is removed, so it must not stay by oversight. '' when none has.
 */
export function courierSecretRotationNote(secrets: Readonly<Record<string, CourierSecret>>): string {
  const rotating = Object.entries(secrets).filter(([, s]) => typeof s !== 'string' && s.length > 1).map(([carrier]) => carrier);
  return rotating.length ? `COURIER_SECRETS: ${rotating.join(', ')} ${rotating.length === 1 ? 'has' : 'have'} two callback secrets (a rotation): remove the old one once the carrier signs with the new` : '';
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, options: { mode?: ConfigMode } = {}): Config {
  const mode: ConfigMode = options.mode ?? (env.NODE_ENV === 'production' ? 'production' : 'development');
  const production = mode === 'production';
  const problems: string[] = [];
  const port = Number(env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) problems.push(`PORT must be a port number, got ${JSON.stringify(env.PORT)}`);
  const databaseUrl = env.DATABASE_URL || undefined;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) problems.push('DATABASE_URL must be a postgresql:// URL');
  const temporalAddress = env.TEMPORAL_ADDRESS || undefined;
  if (temporalAddress && !/^[\w.-]+:\d+$/.test(temporalAddress)) problems.push(`TEMPORAL_ADDRESS must be host:port, got ${JSON.stringify(temporalAddress)}`);
  const portOf = (name: string, fallback: number) => {
    const value = Number(env[name] || fallback);
    if (!Number.isInteger(value) || value < 0 || value > 65535) problems.push(`${name} must be a port number 0…65535 (0 = any free port), got ${JSON.stringify(env[name])}`);
    return value;
  };
  const temporalPort = portOf('TEMPORAL_PORT', 7233);
  const temporalUiPort = portOf('TEMPORAL_UI_PORT', 8233);
  // A carrier code from the URL selects a secret: an own-property map (Object.fromEntries, never
  // `map[carrier] = …`, which for `__proto__` would set the prototype instead).
  const secretPairs: Array<[string, string[]]> = [];
  const minSecret = production ? 16 : 8;
  const courierSecretsText = env.COURIER_SECRETS ?? (production ? undefined : DEV_COURIER_SECRETS);
  if (production && (courierSecretsText === undefined || !courierSecretsText.split(',').some(Boolean))) {
    problems.push('COURIER_SECRETS must be set in production: CARRIER=secret,… (each secret ≥ 16 characters; the development secrets are public)');
  }
  for (const pair of (courierSecretsText ?? '').split(',').filter(Boolean)) {
    const at = pair.indexOf('=');
    const carrier = at < 0 ? pair : pair.slice(0, at);
    const secret = at < 0 ? '' : pair.slice(at + 1);
    if (!CARRIER_CODE.test(carrier) || secret.length < minSecret) problems.push(`COURIER_SECRETS must be CARRIER=secret(≥${minSecret} chars),… with carrier codes of 1–32 of A–Z, a–z, 0–9, _ and -, got ${JSON.stringify(`${carrier}=${secret ? '…' : ''}`)}`);
    else {
      // Callback URLs find a carrier's secret by its code in any case (api/auth.ts): sf and SF are one
      // carrier. Named again, it has both secrets while the carrier moves from one to the other.
      const named = secretPairs.find(([c]) => carrierCodeOf(c) === carrierCodeOf(carrier));
      if (!named) secretPairs.push([carrier, [secret]]);
      else if (named[1].length >= 2) problems.push(`COURIER_SECRETS names the carrier ${carrierCodeOf(carrier)} more than twice: two secrets at most, the new one and the one it replaces`);
      else if (!named[1].includes(secret)) named[1].push(secret);
    }
  }
  const courierSecrets: Record<string, CourierSecret> = Object.fromEntries(secretPairs.map(([c, secrets]) => [c, secrets.length === 1 ? secrets[0]! : secrets]));
  const idempotencyRetentionDays = Number(env.IDEMPOTENCY_RETENTION_DAYS ?? RETENTION.idempotencyDays);
  if (!Number.isInteger(idempotencyRetentionDays) || idempotencyRetentionDays < 1 || idempotencyRetentionDays > 365) problems.push(`IDEMPOTENCY_RETENTION_DAYS must be a whole number of days, 1…365, got ${JSON.stringify(env.IDEMPOTENCY_RETENTION_DAYS)}`);
  const customerTokenTtlSeconds = Number(env.CUSTOMER_TOKEN_TTL_SECONDS ?? CUSTOMER_TOKEN_TTL.default);
  if (!Number.isInteger(customerTokenTtlSeconds) || customerTokenTtlSeconds < CUSTOMER_TOKEN_TTL.min || customerTokenTtlSeconds > CUSTOMER_TOKEN_TTL.max) {
    problems.push(`CUSTOMER_TOKEN_TTL_SECONDS must be ${CUSTOMER_TOKEN_TTL.min}…${CUSTOMER_TOKEN_TTL.max} (30 days), got ${JSON.stringify(env.CUSTOMER_TOKEN_TTL_SECONDS)}`);
  }
  const stuckAttempts = Number(env.STUCK_AFTER_ATTEMPTS ?? DEFAULT_STUCK_LIMITS.attempts);
  if (!Number.isInteger(stuckAttempts) || stuckAttempts < 1 || stuckAttempts > 1000) problems.push(`STUCK_AFTER_ATTEMPTS must be 1…1000, got ${JSON.stringify(env.STUCK_AFTER_ATTEMPTS)}`);
  const stuckMinutes = Number(env.STUCK_AFTER_MINUTES ?? DEFAULT_STUCK_LIMITS.afterMs / 60_000);
  if (!(stuckMinutes > 0 && stuckMinutes <= 7 * 24 * 60)) problems.push(`STUCK_AFTER_MINUTES must be more than 0 and at most a week, got ${JSON.stringify(env.STUCK_AFTER_MINUTES)}`);
  const logLevel = (env.LOG_LEVEL ?? 'info') as LogLevelName;
  if (!LOG_LEVELS.includes(logLevel)) problems.push(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got ${JSON.stringify(env.LOG_LEVEL)}`);
  const logFormat = env.LOG_FORMAT || undefined;
  if (logFormat && logFormat !== 'json' && logFormat !== 'pretty') problems.push(`LOG_FORMAT must be json or pretty, got ${JSON.stringify(logFormat)}`);
  const stackTraces = env.WORKFLOW_STACK_TRACES?.trim().toLowerCase() || 'off';
  if (stackTraces !== 'on' && stackTraces !== 'off') problems.push(`WORKFLOW_STACK_TRACES must be on or off, got ${JSON.stringify(env.WORKFLOW_STACK_TRACES)}`);
  const timeoutMs = Number(env.ADAPTER_TIMEOUT_MS ?? 10_000);
  if (!Number.isInteger(timeoutMs) || timeoutMs < 100 || timeoutMs > 120_000) problems.push(`ADAPTER_TIMEOUT_MS must be 100…120000, got ${JSON.stringify(env.ADAPTER_TIMEOUT_MS)}`);
  // SIMULATORS=payment,courier,… (or all): the providers that run simulated even in production.
  const simulated = new Set<string>();
  for (const raw of (env.SIMULATORS ?? '').split(',')) {
    const name = raw.trim().toLowerCase();
    if (!name) continue;
    if (name === 'all') SIMULATOR_NAMES.forEach((n) => simulated.add(n));
    else if ((SIMULATOR_NAMES as readonly string[]).includes(name)) simulated.add(name);
    else problems.push(`SIMULATORS must list ${SIMULATOR_NAMES.join(', ')} or all, got ${JSON.stringify(raw.trim())}`);
  }
  const adapter = (name: 'PAYMENT' | 'COURIER' | 'NOTIFIER' | 'WAREHOUSE'): AdapterConfig => {
    const baseUrl = env[`${name}_URL`] || undefined;
    const simulator = name.toLowerCase();
    if (baseUrl && simulated.has(simulator)) problems.push(`${name}_URL is set and SIMULATORS names ${simulator}: choose one`);
    if (!baseUrl) {
      if (production && !simulated.has(simulator)) problems.push(`${name}_URL and ${name}_SECRET must be set in production (or SIMULATORS=${simulator} to run the ${simulator} simulator)`);
      return { kind: 'simulator' };
    }
    const secret = env[`${name}_SECRET`] ?? '';
    if (!/^https?:\/\/[^\s/]+/.test(baseUrl)) problems.push(`${name}_URL must be an http(s) URL, got ${JSON.stringify(baseUrl)}`);
    // Requests are signed with the secret (HMAC): a short one is guessable.
    if (secret.length < 16) problems.push(`${name}_SECRET must be set (≥ 16 characters) when ${name}_URL is`);
    return { kind: 'http', baseUrl, secret, timeoutMs };
  };
  const adapters: AdaptersConfig = { payment: adapter('PAYMENT'), courier: adapter('COURIER'), notifier: adapter('NOTIFIER'), warehouse: adapter('WAREHOUSE') };
  const perMinute = (name: string, fallback: number) => {
    const value = Number(env[name] ?? fallback);
    if (!Number.isInteger(value) || value < 1 || value > 1_000_000) problems.push(`${name} must be a whole number of requests per minute, 1…1000000, got ${JSON.stringify(env[name])}`);
    return value;
  };
  const rateLimits: RateLimits = {
    perKeyPerMinute: perMinute('RATE_LIMIT_PER_KEY_PER_MINUTE', RATE_LIMITS.perKeyPerMinute),
    anonymousPerMinute: perMinute('RATE_LIMIT_ANONYMOUS_PER_MINUTE', RATE_LIMITS.anonymousPerMinute),
  };
  const workerMetricsAddress = workerMetricsAddressOf(env, mode, problems);
  const corsOrigins = parseCorsOrigins(env.CORS_ORIGINS ?? (production ? '' : '*'), problems);
  if (problems.length) throw new ConfigError(`invalid configuration:\n  - ${problems.join('\n  - ')}`);
  return {
    mode,
    port,
    host: env.HOST ?? '127.0.0.1',
    databaseUrl,
    dataDir: env.DATA_DIR ?? '.data',
    temporalAddress,
    temporalNamespace: env.TEMPORAL_NAMESPACE ?? 'default',
    temporalPort,
    temporalUiPort,
    temporalUiUrl: env.TEMPORAL_UI_URL || undefined,
    retention: { idempotencyRetentionDays, customerTokenRetentionDays: RETENTION.customerTokenDays },
    courierSecrets,
    customerTokenTtlSeconds,
    logLevel,
    stuckLimits: { attempts: stuckAttempts, afterMs: stuckMinutes * 60_000 },
    logPretty: logFormat === undefined ? undefined : logFormat === 'pretty',
    adapters,
    rateLimits,
    corsOrigins,
    workerMetricsAddress,
    workflowStackTraces: stackTraces === 'on',
  };
}
