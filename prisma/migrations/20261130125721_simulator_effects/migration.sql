-- CreateTable
CREATE TABLE "SimulatorEffect" (
    "provider" TEXT NOT NULL,
    "method" TEXT NOT NULL,
    "idempotencyKey" TEXT NOT NULL,
    "fingerprint" TEXT NOT NULL,
    "result" JSONB NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SimulatorEffect_pkey" PRIMARY KEY ("provider","method","idempotencyKey")
);
