-- A customer's tokens, listed and revoked together (api/routes/storefront.ts): the storefront signs a
-- customer out everywhere (a lost phone, an account taken over) without keeping every token id.
-- CreateIndex
CREATE INDEX "ApiCredential_merchantId_customerId_idx" ON "ApiCredential"("merchantId", "customerId");
