/** What every repository module shares: the client type it accepts and Prisma's error codes it relies on. */
import { Prisma } from '../../generated/prisma/client.js';

/**
 * A Prisma client or the client of an interactive transaction (`prisma.$transaction(async (tx) => …)`),
 * so that callers can combine repositories in one transaction. Idempotent inserts use
 * `ON CONFLICT DO NOTHING` (never a caught unique violation), which keeps such a transaction usable.
 */
export type Db = Prisma.TransactionClient;

export type Json = Prisma.InputJsonValue;

export const isUniqueViolation = (err: unknown): boolean => err instanceof Prisma.PrismaClientKnownRequestError && err.code === 'P2002';
