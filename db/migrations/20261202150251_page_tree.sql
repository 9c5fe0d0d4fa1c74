ALTER TABLE "articles" ADD COLUMN "position" text;--> statement-breakpoint
CREATE INDEX "articles_parent_idx" ON "articles" USING btree ("parent_id");