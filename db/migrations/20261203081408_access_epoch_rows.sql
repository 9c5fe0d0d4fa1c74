-- The access epoch moves at commit, and only for rows that changed. Statement-level triggers fired
-- at the statement, even when it changed nothing (an INSERT … ON CONFLICT DO NOTHING that lost a
-- race), so a transaction could hold the epoch row while it waited on another's unique key — which
-- was waiting for the epoch: a deadlock (10 spaces created at once with the same name). Deferred
-- constraint triggers run just before the commit, for changed rows only, so the epoch row is held
-- for the commit itself; repeated notifications in a transaction are folded into one.
DROP TRIGGER "sessions_access_epoch" ON "sessions";--> statement-breakpoint
DROP TRIGGER "users_access_epoch" ON "users";--> statement-breakpoint
DROP TRIGGER "spaces_access_epoch" ON "spaces";--> statement-breakpoint
DROP TRIGGER "space_members_access_epoch" ON "space_members";--> statement-breakpoint
DROP TRIGGER "communities_access_epoch" ON "communities";--> statement-breakpoint
DROP TRIGGER "community_members_access_epoch" ON "community_members";--> statement-breakpoint
CREATE CONSTRAINT TRIGGER "sessions_access_epoch" AFTER INSERT OR UPDATE OR DELETE ON "sessions"
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION "knowhow_bump_access_epoch"();--> statement-breakpoint
CREATE CONSTRAINT TRIGGER "users_access_epoch" AFTER UPDATE OF "role", "name", "knowledge_manager", "deactivated_at" OR DELETE ON "users"
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION "knowhow_bump_access_epoch"();--> statement-breakpoint
CREATE CONSTRAINT TRIGGER "spaces_access_epoch" AFTER INSERT OR UPDATE OR DELETE ON "spaces"
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION "knowhow_bump_access_epoch"();--> statement-breakpoint
CREATE CONSTRAINT TRIGGER "space_members_access_epoch" AFTER INSERT OR UPDATE OR DELETE ON "space_members"
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION "knowhow_bump_access_epoch"();--> statement-breakpoint
CREATE CONSTRAINT TRIGGER "communities_access_epoch" AFTER INSERT OR UPDATE OR DELETE ON "communities"
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION "knowhow_bump_access_epoch"();--> statement-breakpoint
CREATE CONSTRAINT TRIGGER "community_members_access_epoch" AFTER INSERT OR UPDATE OR DELETE ON "community_members"
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION "knowhow_bump_access_epoch"();
