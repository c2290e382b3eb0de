/**
 * Who pays the postage of goods a customer sends back, as the message asking for them says it
 * (docs/customer-messages.md): the shop when the goods come back through its fault or the
 * carrier's — a defective, damaged, wrong or not-as-described item, a quality problem it takes back
 * free of charge both ways, a parcel damaged on the way —, the customer when they send back goods
 * they changed their mind about (a no-reason return, or one for a reason of their own). The shop
 * pays by taking the parcel freight collect (到付): the warehouse reports what it paid at the
 * inspection (`returnShippingPaidMinor`), booked as an expense note. An exchange says nothing:
 * its reason is the customer's own words, which say neither.
 */
import { isShopFault, type ReturnReason } from './return-refund.js';

export type ReturnPostage = 'SHOP' | 'CUSTOMER';

/** A return's postage: the shop's when any line comes back through its fault (one parcel carries them all). */
export const returnPostage = (lines: ReadonlyArray<{ reason: ReturnReason }>): ReturnPostage => (lines.some((l) => isShopFault(l.reason)) ? 'SHOP' : 'CUSTOMER');
