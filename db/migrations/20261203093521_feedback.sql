CREATE TABLE "feedback_answers" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"request_id" uuid NOT NULL,
	"answer" jsonb NOT NULL,
	"round" integer
);
--> statement-breakpoint
CREATE TABLE "feedback_recipients" (
	"request_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"answered" boolean DEFAULT false NOT NULL,
	"ever_answered" boolean DEFAULT false NOT NULL,
	"token_hash" text,
	"answer" jsonb,
	"answered_at" timestamp with time zone,
	CONSTRAINT "feedback_recipients_request_id_user_id_pk" PRIMARY KEY("request_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "feedback_requests" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"asker_id" uuid NOT NULL,
	"subject_kind" text NOT NULL,
	"article_id" uuid,
	"title" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"questions" jsonb NOT NULL,
	"scope" text NOT NULL,
	"scope_department" text DEFAULT '' NOT NULL,
	"anonymous" boolean NOT NULL,
	"standing" boolean DEFAULT false NOT NULL,
	"deadline" timestamp with time zone,
	"released_count" integer DEFAULT 0 NOT NULL,
	"round" integer DEFAULT 0 NOT NULL,
	"thanks" text DEFAULT '' NOT NULL,
	"thanked_at" timestamp with time zone,
	"closed_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "feedback_answers" ADD CONSTRAINT "feedback_answers_request_id_feedback_requests_id_fk" FOREIGN KEY ("request_id") REFERENCES "public"."feedback_requests"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "feedback_recipients" ADD CONSTRAINT "feedback_recipients_request_id_feedback_requests_id_fk" FOREIGN KEY ("request_id") REFERENCES "public"."feedback_requests"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "feedback_recipients" ADD CONSTRAINT "feedback_recipients_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "feedback_requests" ADD CONSTRAINT "feedback_requests_asker_id_users_id_fk" FOREIGN KEY ("asker_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "feedback_requests" ADD CONSTRAINT "feedback_requests_article_id_articles_id_fk" FOREIGN KEY ("article_id") REFERENCES "public"."articles"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "feedback_answers_request_idx" ON "feedback_answers" USING btree ("request_id");--> statement-breakpoint
CREATE INDEX "feedback_recipients_user_idx" ON "feedback_recipients" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "feedback_requests_asker_idx" ON "feedback_requests" USING btree ("asker_id");