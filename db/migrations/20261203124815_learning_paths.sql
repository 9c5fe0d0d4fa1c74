CREATE TABLE "learning_paths" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"title" text NOT NULL,
	"goal" text DEFAULT '' NOT NULL,
	"audience" text DEFAULT '' NOT NULL,
	"topics" text[] DEFAULT '{}'::text[] NOT NULL,
	"owner_id" uuid NOT NULL,
	"status" text DEFAULT 'draft' NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"from_space_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "path_enrolments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"path_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"assigned_by" uuid,
	"due_on" text,
	"enrolled_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_step_id" uuid,
	"completed_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "path_progress" (
	"enrolment_id" uuid NOT NULL,
	"step_id" uuid NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"first_passed" boolean,
	"answer" jsonb,
	"completed_at" timestamp with time zone,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "path_progress_enrolment_id_step_id_pk" PRIMARY KEY("enrolment_id","step_id")
);
--> statement-breakpoint
CREATE TABLE "path_steps" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"path_id" uuid NOT NULL,
	"position" integer NOT NULL,
	"kind" text NOT NULL,
	"target_id" uuid,
	"url" text,
	"title" text DEFAULT '' NOT NULL,
	"note" text DEFAULT '' NOT NULL,
	"check" jsonb,
	"reflection_prompt" text DEFAULT '' NOT NULL,
	"reviewed_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "learning_paths" ADD CONSTRAINT "learning_paths_owner_id_users_id_fk" FOREIGN KEY ("owner_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "learning_paths" ADD CONSTRAINT "learning_paths_from_space_id_spaces_id_fk" FOREIGN KEY ("from_space_id") REFERENCES "public"."spaces"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "path_enrolments" ADD CONSTRAINT "path_enrolments_path_id_learning_paths_id_fk" FOREIGN KEY ("path_id") REFERENCES "public"."learning_paths"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "path_enrolments" ADD CONSTRAINT "path_enrolments_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "path_enrolments" ADD CONSTRAINT "path_enrolments_assigned_by_users_id_fk" FOREIGN KEY ("assigned_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "path_progress" ADD CONSTRAINT "path_progress_enrolment_id_path_enrolments_id_fk" FOREIGN KEY ("enrolment_id") REFERENCES "public"."path_enrolments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "path_progress" ADD CONSTRAINT "path_progress_step_id_path_steps_id_fk" FOREIGN KEY ("step_id") REFERENCES "public"."path_steps"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "path_steps" ADD CONSTRAINT "path_steps_path_id_learning_paths_id_fk" FOREIGN KEY ("path_id") REFERENCES "public"."learning_paths"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "learning_paths_owner_idx" ON "learning_paths" USING btree ("owner_id");--> statement-breakpoint
CREATE INDEX "learning_paths_status_idx" ON "learning_paths" USING btree ("status");--> statement-breakpoint
CREATE UNIQUE INDEX "path_enrolments_key" ON "path_enrolments" USING btree ("path_id","user_id");--> statement-breakpoint
CREATE INDEX "path_enrolments_user_idx" ON "path_enrolments" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "path_progress_step_idx" ON "path_progress" USING btree ("step_id");--> statement-breakpoint
CREATE INDEX "path_steps_path_idx" ON "path_steps" USING btree ("path_id","position");--> statement-breakpoint
CREATE INDEX "path_steps_target_idx" ON "path_steps" USING btree ("target_id");