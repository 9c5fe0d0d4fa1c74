-- The access epoch: a counter that moves whenever something a cached session or permission depends
-- on changes (a session opened or ended, a user's role, name, knowledge-manager flag or
-- deactivation, a space or its members). Caches keep the epoch they were filled at and are refilled
-- when it moves; triggers, not application code, move it, so no write path can forget to.
CREATE TABLE "access_epoch" ("id" integer PRIMARY KEY CHECK ("id" = 1), "n" bigint NOT NULL);--> statement-breakpoint
INSERT INTO "access_epoch" ("id", "n") VALUES (1, 0);--> statement-breakpoint
CREATE FUNCTION "knowhow_bump_access_epoch"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "access_epoch" SET "n" = "n" + 1 WHERE "id" = 1;
  PERFORM pg_notify('knowhow_access', '');
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE TRIGGER "sessions_access_epoch" AFTER INSERT OR UPDATE OR DELETE ON "sessions"
  FOR EACH STATEMENT EXECUTE FUNCTION "knowhow_bump_access_epoch"();--> statement-breakpoint
CREATE TRIGGER "users_access_epoch" AFTER UPDATE OF "role", "name", "knowledge_manager", "deactivated_at" OR DELETE ON "users"
  FOR EACH STATEMENT EXECUTE FUNCTION "knowhow_bump_access_epoch"();--> statement-breakpoint
CREATE TRIGGER "spaces_access_epoch" AFTER INSERT OR UPDATE OR DELETE ON "spaces"
  FOR EACH STATEMENT EXECUTE FUNCTION "knowhow_bump_access_epoch"();--> statement-breakpoint
CREATE TRIGGER "space_members_access_epoch" AFTER INSERT OR UPDATE OR DELETE ON "space_members"
  FOR EACH STATEMENT EXECUTE FUNCTION "knowhow_bump_access_epoch"();
