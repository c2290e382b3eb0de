/** The warehouse area of the API: the work list and the hold shelf (the scans and inspections are case commands, services/cases.ts). */
import { get, post } from '../api';
import type { HeldParcel, HeldParcels, WarehouseTasks } from '../api/types';

export const warehouseTasks = (limit = 100) => get<WarehouseTasks>('/v1/warehouse/tasks', { limit });

/** The parcels on the hold shelf: scanned while their case did not take them; what each waits for first. */
export const heldParcels = () => get<HeldParcels>('/v1/warehouse/held-parcels');

/** A held parcel whose case ended without it went back to the customer. */
export const sentBack = (heldParcelId: string, body: { by: string; trackingNumber?: string; note?: string }) => post<HeldParcel>(`/v1/warehouse/held-parcels/${encodeURIComponent(heldParcelId)}/sent-back`, body);

/** A held parcel the shop keeps (an agent decided: the goods were refunded or replaced already). */
export const keptByShop = (heldParcelId: string, body: { by: string; note: string }) => post<HeldParcel>(`/v1/warehouse/held-parcels/${encodeURIComponent(heldParcelId)}/kept`, body);
