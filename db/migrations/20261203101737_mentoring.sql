CREATE TABLE "mentor_programmes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"purpose" text DEFAULT '' NOT NULL,
	"starts_on" text NOT NULL,
	"ends_on" text NOT NULL,
	"mode" text DEFAULT 'matched' NOT NULL,
	"default_capacity" integer DEFAULT 2 NOT NULL,
	"cross_department_weight" double precision DEFAULT 0.5 NOT NULL,
	"max_time_zone_hours" integer,
	"accept_days" integer DEFAULT 7 NOT NULL,
	"created_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_matched_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "mentorship_meetings" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"mentorship_id" uuid NOT NULL,
	"held_on" text NOT NULL,
	"minutes" integer NOT NULL,
	"summary" text DEFAULT '' NOT NULL,
	"logged_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "mentorships" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"programme_id" uuid NOT NULL,
	"mentor_id" uuid NOT NULL,
	"mentee_id" uuid NOT NULL,
	"status" text DEFAULT 'proposed' NOT NULL,
	"origin" text NOT NULL,
	"quality" double precision DEFAULT 0 NOT NULL,
	"reasons" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"mentor_accepted_at" timestamp with time zone,
	"mentee_accepted_at" timestamp with time zone,
	"declined_by" uuid,
	"expires_at" timestamp with time zone NOT NULL,
	"goals" text DEFAULT '' NOT NULL,
	"notes" text DEFAULT '' NOT NULL,
	"goal_reached" boolean,
	"evaluation" text DEFAULT '' NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"started_at" timestamp with time zone,
	"closed_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "programme_pair_rules" (
	"programme_id" uuid NOT NULL,
	"mentor_id" uuid NOT NULL,
	"mentee_id" uuid NOT NULL,
	"rule" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "programme_pair_rules_programme_id_mentor_id_mentee_id_pk" PRIMARY KEY("programme_id","mentor_id","mentee_id")
);
--> statement-breakpoint
CREATE TABLE "programme_participants" (
	"programme_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"role" text NOT NULL,
	"capacity" integer,
	"topics" text[] DEFAULT '{}'::text[] NOT NULL,
	"goal_text" text DEFAULT '' NOT NULL,
	"preferences" uuid[] DEFAULT '{}'::uuid[] NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "programme_participants_programme_id_user_id_role_pk" PRIMARY KEY("programme_id","user_id","role")
);
--> statement-breakpoint
ALTER TABLE "mentor_programmes" ADD CONSTRAINT "mentor_programmes_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mentorship_meetings" ADD CONSTRAINT "mentorship_meetings_mentorship_id_mentorships_id_fk" FOREIGN KEY ("mentorship_id") REFERENCES "public"."mentorships"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mentorship_meetings" ADD CONSTRAINT "mentorship_meetings_logged_by_users_id_fk" FOREIGN KEY ("logged_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mentorships" ADD CONSTRAINT "mentorships_programme_id_mentor_programmes_id_fk" FOREIGN KEY ("programme_id") REFERENCES "public"."mentor_programmes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mentorships" ADD CONSTRAINT "mentorships_mentor_id_users_id_fk" FOREIGN KEY ("mentor_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mentorships" ADD CONSTRAINT "mentorships_mentee_id_users_id_fk" FOREIGN KEY ("mentee_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "programme_pair_rules" ADD CONSTRAINT "programme_pair_rules_programme_id_mentor_programmes_id_fk" FOREIGN KEY ("programme_id") REFERENCES "public"."mentor_programmes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "programme_pair_rules" ADD CONSTRAINT "programme_pair_rules_mentor_id_users_id_fk" FOREIGN KEY ("mentor_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "programme_pair_rules" ADD CONSTRAINT "programme_pair_rules_mentee_id_users_id_fk" FOREIGN KEY ("mentee_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "programme_participants" ADD CONSTRAINT "programme_participants_programme_id_mentor_programmes_id_fk" FOREIGN KEY ("programme_id") REFERENCES "public"."mentor_programmes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "programme_participants" ADD CONSTRAINT "programme_participants_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "mentorship_meetings_idx" ON "mentorship_meetings" USING btree ("mentorship_id");--> statement-breakpoint
CREATE INDEX "mentorships_programme_idx" ON "mentorships" USING btree ("programme_id");--> statement-breakpoint
CREATE INDEX "mentorships_mentor_idx" ON "mentorships" USING btree ("mentor_id");--> statement-breakpoint
CREATE INDEX "mentorships_mentee_idx" ON "mentorships" USING btree ("mentee_id");--> statement-breakpoint
CREATE UNIQUE INDEX "mentorships_one_open_per_mentee" ON "mentorships" USING btree ("programme_id","mentee_id") WHERE status in ('proposed', 'active');--> statement-breakpoint
CREATE INDEX "programme_participants_user_idx" ON "programme_participants" USING btree ("user_id");