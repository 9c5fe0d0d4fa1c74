CREATE TABLE "mentorship_reflections" (
	"mentorship_id" uuid NOT NULL,
	"journal_entry_id" uuid NOT NULL,
	"shared_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "mentorship_reflections_mentorship_id_journal_entry_id_pk" PRIMARY KEY("mentorship_id","journal_entry_id")
);
--> statement-breakpoint
ALTER TABLE "mentorship_reflections" ADD CONSTRAINT "mentorship_reflections_mentorship_id_mentorships_id_fk" FOREIGN KEY ("mentorship_id") REFERENCES "public"."mentorships"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mentorship_reflections" ADD CONSTRAINT "mentorship_reflections_journal_entry_id_journal_entries_id_fk" FOREIGN KEY ("journal_entry_id") REFERENCES "public"."journal_entries"("id") ON DELETE cascade ON UPDATE no action;