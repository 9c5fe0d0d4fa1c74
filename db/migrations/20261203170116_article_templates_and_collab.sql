CREATE TABLE "article_collab" (
	"article_id" uuid PRIMARY KEY NOT NULL,
	"state" "bytea" NOT NULL,
	"base_version" integer NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "article_collab_updates" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "article_collab_updates_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"article_id" uuid NOT NULL,
	"update" "bytea" NOT NULL,
	"user_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "article_templates" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"key" text,
	"name" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"body" text NOT NULL,
	"archived" boolean DEFAULT false NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_by" uuid,
	"updated_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "article_templates_key_unique" UNIQUE("key")
);
--> statement-breakpoint
ALTER TABLE "article_revisions" ADD COLUMN "contributors" uuid[] DEFAULT '{}'::uuid[] NOT NULL;--> statement-breakpoint
ALTER TABLE "spaces" ADD COLUMN "default_template_id" uuid;--> statement-breakpoint
ALTER TABLE "article_collab" ADD CONSTRAINT "article_collab_article_id_articles_id_fk" FOREIGN KEY ("article_id") REFERENCES "public"."articles"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "article_collab_updates" ADD CONSTRAINT "article_collab_updates_article_id_articles_id_fk" FOREIGN KEY ("article_id") REFERENCES "public"."articles"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "article_collab_updates" ADD CONSTRAINT "article_collab_updates_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "article_templates" ADD CONSTRAINT "article_templates_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "article_templates" ADD CONSTRAINT "article_templates_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "article_collab_updates_article_idx" ON "article_collab_updates" USING btree ("article_id","id");--> statement-breakpoint
ALTER TABLE "spaces" ADD CONSTRAINT "spaces_default_template_id_article_templates_id_fk" FOREIGN KEY ("default_template_id") REFERENCES "public"."article_templates"("id") ON DELETE set null ON UPDATE no action;
--> statement-breakpoint
INSERT INTO "article_templates" ("key", "name", "description", "body") VALUES
('how-to', 'How-to', 'Steps for a task someone does on the job: one step, one photo or clip, one line.', 'One sentence: what this gets done, and when you need it.

> [!NOTE]
> Before you start: what you need (tools, access, safety gear) and how long it takes.

## Steps

1. **First step.** One line of what to do. Add a photo or a short clip of it.
2. **Second step.** One line. What it looks like when it is right.
3. **Check.** How you know it worked.

## If something goes wrong

- What you see: what to do, or who to ask.

## Who to ask

The person or role who knows this best.
'),
('troubleshooting', 'Troubleshooting', 'A symptom, its likely causes and the fix for each, most likely first.', '## Symptom

What people see, in their words (error messages exactly as shown).

## Quick checks

- [ ] Is it only you, or everyone?
- [ ] Did it work before? What changed?

## Causes and fixes

| Cause | How to tell | Fix |
| --- | --- | --- |
| Most likely cause | What you see | What to do |
| Next cause | What you see | What to do |

> [!WARNING]
> What not to do while fixing it, and why.

## Still stuck?

Who to ask, and what to tell them (the checks above and their results).
'),
('decision-record', 'Decision record', 'A decision, the options weighed and why: so nobody has to guess later.', '## Decision

What we decided, in one or two sentences.

- **Status:** proposed / decided / superseded
- **Decided by:** names and roles
- **Date:** when

## Context

The problem, the constraints and what forced a decision now.

## Options considered

| Option | For | Against |
| --- | --- | --- |
| Option A | | |
| Option B | | |

## Why this option

The reasons, and what we gave up.

## Consequences

What changes now, who is affected, and when we will look at this again.
'),
('onboarding', 'Onboarding', 'A newcomer''s first weeks in a team or role: people, tools, first tasks.', 'Welcome! This page gets you going in your first weeks.

## Your first day

- [ ] Meet your buddy:
- [ ] Accounts and equipment:
- [ ] Safety induction:

## People to know

| Who | What they help with |
| --- | --- |
| Name | Topic |

## Your first week

1. First task, with a link to how it is done.
2. Second task.

## Good to know

The unwritten rules: where things are, who decides what, what to do when stuck (ask in Knowhow).
'),
('meeting-notes', 'Meeting notes', 'Who met, what was decided and who does what by when.', '- **Date:**
- **Attendees:**
- **Purpose:**

## Agenda

1. Topic

## Notes

What was said that matters later.

## Decisions

- Decision, and why.

## Actions

- [ ] Action, owner, by when
'),
('lesson', 'Lesson learned', 'What happened, what we learned and what we will do differently.', '## What happened

The facts, in order, without blame.

## What went well

- Something to keep doing.

## What did not go well

- Something that cost time, money or safety.

## What we learned

> [!TIP]
> The lesson in one sentence, written for the next person in the same situation.

## What we will do differently

- [ ] Action, owner, by when
')
ON CONFLICT ("key") DO NOTHING;
