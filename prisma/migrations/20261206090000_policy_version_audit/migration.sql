-- Who published a policy version and why: a merchant's managers asked who changed the return
-- window to 15 days, and the versions said only when. Null for versions from before (and for the
-- defaults a merchant starts with).
ALTER TABLE "PolicyVersion" ADD COLUMN "publishedBy" TEXT, ADD COLUMN "note" TEXT;
