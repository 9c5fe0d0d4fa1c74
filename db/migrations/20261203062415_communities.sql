-- Communities of practice: communities, their members (lead, member, pending request) and pins; questions and
-- posts addressed to a community.
CREATE TABLE "communities" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"slug" text NOT NULL,
	"purpose" text DEFAULT '' NOT NULL,
	"topics" text[] DEFAULT '{}'::text[] NOT NULL,
	"joining" text DEFAULT 'open' NOT NULL,
	"visibility" text DEFAULT 'everyone' NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "communities_slug_unique" UNIQUE("slug")
);
--> statement-breakpoint
CREATE TABLE "community_members" (
	"community_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"role" text NOT NULL,
	"follow_questions" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "community_members_community_id_user_id_pk" PRIMARY KEY("community_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "community_pins" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"community_id" uuid NOT NULL,
	"item_type" text NOT NULL,
	"item_id" uuid NOT NULL,
	"pinned_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "posts" ADD COLUMN "community_id" uuid;--> statement-breakpoint
ALTER TABLE "questions" ADD COLUMN "community_id" uuid;--> statement-breakpoint
-- The audience becomes coalesce(community, space, organisation): a generated expression cannot be altered, so
-- the column is re-created (nothing indexes it).
ALTER TABLE "posts" drop column "audience_id";--> statement-breakpoint
ALTER TABLE "posts" ADD COLUMN "audience_id" uuid GENERATED ALWAYS AS (coalesce(community_id, space_id, '00000000-0000-0000-0000-000000000000'::uuid)) STORED NOT NULL;--> statement-breakpoint
ALTER TABLE "questions" drop column "audience_id";--> statement-breakpoint
ALTER TABLE "questions" ADD COLUMN "audience_id" uuid GENERATED ALWAYS AS (coalesce(community_id, space_id, '00000000-0000-0000-0000-000000000000'::uuid)) STORED NOT NULL;--> statement-breakpoint
ALTER TABLE "communities" ADD CONSTRAINT "communities_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "community_members" ADD CONSTRAINT "community_members_community_id_communities_id_fk" FOREIGN KEY ("community_id") REFERENCES "public"."communities"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "community_members" ADD CONSTRAINT "community_members_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "community_pins" ADD CONSTRAINT "community_pins_community_id_communities_id_fk" FOREIGN KEY ("community_id") REFERENCES "public"."communities"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "community_pins" ADD CONSTRAINT "community_pins_pinned_by_users_id_fk" FOREIGN KEY ("pinned_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "community_members_user_idx" ON "community_members" USING btree ("user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "community_pins_unique" ON "community_pins" USING btree ("community_id","item_type","item_id");--> statement-breakpoint
ALTER TABLE "posts" ADD CONSTRAINT "posts_community_id_communities_id_fk" FOREIGN KEY ("community_id") REFERENCES "public"."communities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "questions" ADD CONSTRAINT "questions_community_id_communities_id_fk" FOREIGN KEY ("community_id") REFERENCES "public"."communities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "posts_community_idx" ON "posts" USING btree ("community_id");--> statement-breakpoint
CREATE INDEX "questions_community_idx" ON "questions" USING btree ("community_id");--> statement-breakpoint
ALTER TABLE "posts" ADD CONSTRAINT "posts_one_container" CHECK (community_id is null or space_id is null);--> statement-breakpoint
ALTER TABLE "questions" ADD CONSTRAINT "questions_one_container" CHECK (community_id is null or space_id is null);--> statement-breakpoint
-- Community membership decides who reads a members-only community: its changes move the access epoch.
CREATE TRIGGER "communities_access_epoch" AFTER INSERT OR UPDATE OR DELETE ON "communities"
  FOR EACH STATEMENT EXECUTE FUNCTION "knowhow_bump_access_epoch"();--> statement-breakpoint
CREATE TRIGGER "community_members_access_epoch" AFTER INSERT OR UPDATE OR DELETE ON "community_members"
  FOR EACH STATEMENT EXECUTE FUNCTION "knowhow_bump_access_epoch"();
