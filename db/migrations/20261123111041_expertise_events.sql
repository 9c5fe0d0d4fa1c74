CREATE TABLE "expertise_events" (
	"seq" bigint PRIMARY KEY DEFAULT nextval('expertise_seq') NOT NULL,
	"kind" text NOT NULL,
	"ref" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
