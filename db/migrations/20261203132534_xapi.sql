CREATE TABLE "lrs_clients" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"key" text NOT NULL,
	"secret_hash" text NOT NULL,
	"scopes" text[] DEFAULT '{}'::text[] NOT NULL,
	"created_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_used_at" timestamp with time zone,
	"revoked_at" timestamp with time zone,
	CONSTRAINT "lrs_clients_key_unique" UNIQUE("key")
);
--> statement-breakpoint
CREATE TABLE "xapi_attachments" (
	"sha2" text PRIMARY KEY NOT NULL,
	"content_type" text NOT NULL,
	"length" integer NOT NULL,
	"content_base64" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "xapi_documents" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"kind" text NOT NULL,
	"activity_id" text DEFAULT '' NOT NULL,
	"agent_ifi" text DEFAULT '' NOT NULL,
	"registration" text DEFAULT '' NOT NULL,
	"doc_id" text NOT NULL,
	"content_type" text NOT NULL,
	"content_base64" text NOT NULL,
	"etag" text NOT NULL,
	"updated" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "xapi_statements" (
	"id" uuid PRIMARY KEY NOT NULL,
	"seq" bigint GENERATED ALWAYS AS IDENTITY (sequence name "xapi_statements_seq_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"stored" timestamp with time zone NOT NULL,
	"timestamp" timestamp with time zone NOT NULL,
	"actor_ifi" text NOT NULL,
	"verb_id" text NOT NULL,
	"activity_id" text,
	"ref_id" uuid,
	"registration" uuid,
	"related_agents" text[] DEFAULT '{}'::text[] NOT NULL,
	"related_activities" text[] DEFAULT '{}'::text[] NOT NULL,
	"voided" boolean DEFAULT false NOT NULL,
	"user_id" uuid,
	"client_id" uuid,
	"statement" jsonb NOT NULL
);
--> statement-breakpoint
ALTER TABLE "lrs_clients" ADD CONSTRAINT "lrs_clients_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "xapi_statements" ADD CONSTRAINT "xapi_statements_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "xapi_statements" ADD CONSTRAINT "xapi_statements_client_id_lrs_clients_id_fk" FOREIGN KEY ("client_id") REFERENCES "public"."lrs_clients"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "xapi_documents_key" ON "xapi_documents" USING btree ("kind","activity_id","agent_ifi","registration","doc_id");--> statement-breakpoint
CREATE INDEX "xapi_documents_updated_idx" ON "xapi_documents" USING btree ("kind","activity_id","agent_ifi","updated");--> statement-breakpoint
CREATE UNIQUE INDEX "xapi_statements_seq_key" ON "xapi_statements" USING btree ("seq");--> statement-breakpoint
CREATE INDEX "xapi_statements_actor_idx" ON "xapi_statements" USING btree ("actor_ifi","seq");--> statement-breakpoint
CREATE INDEX "xapi_statements_verb_idx" ON "xapi_statements" USING btree ("verb_id","seq");--> statement-breakpoint
CREATE INDEX "xapi_statements_activity_idx" ON "xapi_statements" USING btree ("activity_id","seq");--> statement-breakpoint
CREATE INDEX "xapi_statements_registration_idx" ON "xapi_statements" USING btree ("registration","seq");--> statement-breakpoint
CREATE INDEX "xapi_statements_ref_idx" ON "xapi_statements" USING btree ("ref_id");--> statement-breakpoint
CREATE INDEX "xapi_statements_user_idx" ON "xapi_statements" USING btree ("user_id","seq");--> statement-breakpoint
CREATE INDEX "xapi_statements_stored_idx" ON "xapi_statements" USING btree ("stored");--> statement-breakpoint
CREATE INDEX "xapi_statements_related_agents_idx" ON "xapi_statements" USING gin ("related_agents");--> statement-breakpoint
CREATE INDEX "xapi_statements_related_activities_idx" ON "xapi_statements" USING gin ("related_activities");