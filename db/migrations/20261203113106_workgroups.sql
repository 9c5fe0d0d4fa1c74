CREATE TABLE "workgroups" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"title" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"skills" text[] DEFAULT '{}'::text[] NOT NULL,
	"leader_id" uuid NOT NULL,
	"member_ids" uuid[] DEFAULT '{}'::uuid[] NOT NULL,
	"space_id" uuid NOT NULL,
	"kickoff_post_id" uuid,
	"retrospective_id" uuid,
	"status" text DEFAULT 'active' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"closed_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "workgroups" ADD CONSTRAINT "workgroups_leader_id_users_id_fk" FOREIGN KEY ("leader_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "workgroups" ADD CONSTRAINT "workgroups_space_id_spaces_id_fk" FOREIGN KEY ("space_id") REFERENCES "public"."spaces"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "workgroups" ADD CONSTRAINT "workgroups_kickoff_post_id_posts_id_fk" FOREIGN KEY ("kickoff_post_id") REFERENCES "public"."posts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "workgroups" ADD CONSTRAINT "workgroups_retrospective_id_retrospectives_id_fk" FOREIGN KEY ("retrospective_id") REFERENCES "public"."retrospectives"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "workgroups_leader_idx" ON "workgroups" USING btree ("leader_id");--> statement-breakpoint
CREATE INDEX "workgroups_space_idx" ON "workgroups" USING btree ("space_id");