/** The warehouse area of the API: the work list (the scans and inspections are case commands, services/cases.ts). */
import { get } from '../api';
import type { WarehouseTasks } from '../api/types';

export const warehouseTasks = (limit = 100) => get<WarehouseTasks>('/v1/warehouse/tasks', { limit });
