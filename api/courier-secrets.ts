/**
 * A carrier's callback secrets by the carrier a URL names: its code in any case ("sf" is SF), as
 * COURIER_SECRETS names it in any case. A carrier named twice there has two secrets while one
 * replaces the other (a rotation): a callback signed with either is taken. Own entries only:
 * "__proto__" or "constructor" find nothing unless configured.
 */
import { carrierCodeOf } from '../domain/carriers.js';

/** One secret, or several while a carrier's secret is rotated. */
export type CourierSecret = string | readonly string[];

export function courierSecretsOf(secrets: Readonly<Record<string, CourierSecret>>, carrier: string): readonly string[] | undefined {
  const code = carrierCodeOf(carrier);
  const found = Object.entries(secrets).find(([named]) => carrierCodeOf(named) === code)?.[1];
  return found === undefined ? undefined : typeof found === 'string' ? [found] : found;
}
