CREATE TABLE "xapi_statement_refs" (
	"seq" bigint PRIMARY KEY NOT NULL,
	"ref_id" uuid NOT NULL
);
--> statement-breakpoint
INSERT INTO "xapi_statement_refs" ("seq", "ref_id") SELECT "seq", "ref_id" FROM "xapi_statements" WHERE "ref_id" IS NOT NULL;
