CREATE TABLE "network_datasets" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"weighted" boolean DEFAULT false NOT NULL,
	"imported_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "network_datasets_name_unique" UNIQUE("name")
);
--> statement-breakpoint
CREATE TABLE "network_edges" (
	"dataset_id" uuid NOT NULL,
	"source" text NOT NULL,
	"target" text NOT NULL,
	"weight" double precision DEFAULT 1 NOT NULL,
	CONSTRAINT "network_edges_dataset_id_source_target_pk" PRIMARY KEY("dataset_id","source","target")
);
--> statement-breakpoint
CREATE TABLE "network_nodes" (
	"dataset_id" uuid NOT NULL,
	"external_id" text NOT NULL,
	"department" text DEFAULT '' NOT NULL,
	CONSTRAINT "network_nodes_dataset_id_external_id_pk" PRIMARY KEY("dataset_id","external_id")
);
--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "knowledge_manager" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "network_datasets" ADD CONSTRAINT "network_datasets_imported_by_users_id_fk" FOREIGN KEY ("imported_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "network_edges" ADD CONSTRAINT "network_edges_dataset_id_network_datasets_id_fk" FOREIGN KEY ("dataset_id") REFERENCES "public"."network_datasets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "network_nodes" ADD CONSTRAINT "network_nodes_dataset_id_network_datasets_id_fk" FOREIGN KEY ("dataset_id") REFERENCES "public"."network_datasets"("id") ON DELETE cascade ON UPDATE no action;