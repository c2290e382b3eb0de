/**
 * Builds the three outside-world adapters from configuration: the in-process simulator (default
 * in development and tests) or the HTTP client, chosen per adapter. Reading the environment is
 * done elsewhere; this takes a validated object.
 */
import type { CourierGateway } from './courier.js';
import type { HttpAdapterConfig } from './http/client.js';
import { HttpCourierGateway } from './http/courier.js';
import { HttpNotifier } from './http/notifier.js';
import { HttpPaymentGateway } from './http/payment.js';
import { HttpWarehouseGateway } from './http/warehouse.js';
import type { Notifier } from './notifier.js';
import type { PaymentGateway } from './payment.js';
import type { SimulatorJournal } from './simulators/base.js';
import { CourierSimulator, NotifierSimulator, PaymentSimulator, WarehouseSimulator, type NotifierSimulatorOptions } from './simulators/index.js';
import type { WarehouseGateway } from './warehouse.js';
import type { RenderOptions } from './templates.js';

export type AdapterConfig = { kind: 'simulator' } | ({ kind: 'http' } & Pick<HttpAdapterConfig, 'baseUrl' | 'secret' | 'timeoutMs'>);

export interface AdaptersConfig {
  payment: AdapterConfig;
  courier: AdapterConfig;
  notifier: AdapterConfig & { render?: RenderOptions; strictTemplates?: NotifierSimulatorOptions['strictTemplates'] };
  /** Absent: the simulator (configurations written before the warehouse adapter existed). */
  warehouse?: AdapterConfig;
}

export interface Adapters {
  payment: PaymentGateway;
  courier: CourierGateway;
  notifier: Notifier;
  warehouse: WarehouseGateway;
  /** The simulators in use, so development tools and tests can drive them; absent for HTTP adapters. */
  simulators: { payment?: PaymentSimulator; courier?: CourierSimulator; notifier?: NotifierSimulator; warehouse?: WarehouseSimulator };
}

export const SIMULATED: AdaptersConfig = { payment: { kind: 'simulator' }, courier: { kind: 'simulator' }, notifier: { kind: 'simulator' }, warehouse: { kind: 'simulator' } };

/** `journal`: where the simulators keep their effects (Postgres in the platform; memory when absent). */
export function createAdapters(config: AdaptersConfig = SIMULATED, options: { journal?: SimulatorJournal } = {}): Adapters {
  const simulators: Adapters['simulators'] = {};
  const { journal } = options;
  const payment = config.payment.kind === 'http' ? new HttpPaymentGateway(http(config.payment)) : (simulators.payment = new PaymentSimulator({ journal }));
  const courier = config.courier.kind === 'http' ? new HttpCourierGateway(http(config.courier)) : (simulators.courier = new CourierSimulator({ journal }));
  const n = config.notifier;
  const notifier =
    n.kind === 'http'
      ? new HttpNotifier(http(n), n.render)
      : (simulators.notifier = new NotifierSimulator({ strictTemplates: n.strictTemplates, renderOptions: n.render, journal }));
  const w = config.warehouse ?? { kind: 'simulator' };
  const warehouse = w.kind === 'http' ? new HttpWarehouseGateway(http(w)) : (simulators.warehouse = new WarehouseSimulator({ journal }));
  return { payment, courier, notifier, warehouse, simulators };
}

/** Only the three documented fields reach the client (a config object may carry more). */
function http(c: { baseUrl: string; secret: string; timeoutMs: number }): HttpAdapterConfig {
  return { baseUrl: c.baseUrl, secret: c.secret, timeoutMs: c.timeoutMs };
}

export { AdapterError, isAdapterError, NON_RETRYABLE_ERROR_TYPES, type AdapterErrorType } from './errors.js';
export type * from './payment.js';
export type * from './courier.js';
export type * from './warehouse.js';
export type { Channel, NotificationRequest, NotificationResult, Notifier, Recipient } from './notifier.js';
export { render, TEMPLATE_NAMES, type TemplateName } from './templates.js';
export { formatMoney, type Locale, type Money } from './money.js';
