/**
 * A carrier's callback secret by the carrier a URL names: its code in any case ("sf" is SF), as
 * COURIER_SECRETS names it in any case (app/config.ts refuses one carrier named twice). Own entries
 * only: "__proto__" or "constructor" find nothing unless configured.
 */
import { carrierCodeOf } from '../domain/carriers.js';

export function courierSecretOf(secrets: Readonly<Record<string, string>>, carrier: string): string | undefined {
  const code = carrierCodeOf(carrier);
  return Object.entries(secrets).find(([named]) => carrierCodeOf(named) === code)?.[1];
}
