import { articles, spaces, users } from "../../../db/schema";
import { migrate, openPglite, openPostgres, type Database } from "../../platform/db";
import { createSearchService, type SearchService } from "./search.service";
import type { Actor } from "../../authz/policy";

export type HarnessDoc = { id: string; title: string; body: string; tags?: string[] };

/**
 * A fresh database holding `docs` as published articles of one space, indexed by the app's own
 * search service — for `knowhow eval search` and the search benchmark.
 */
export async function buildSearchHarness(
  docs: AsyncIterable<HarnessDoc> | Iterable<HarnessDoc>,
  options: { databaseUrl?: string; onProgress?: (n: number) => void } = {},
): Promise<{
  database: Database;
  search: SearchService;
  actor: Actor;
  externalId: (id: string) => string;
  close: () => Promise<void>;
}> {
  const database = options.databaseUrl ? await openPostgres(options.databaseUrl) : await openPglite();
  await migrate(database);
  const [user] = await database.db
    .insert(users)
    .values({ email: "eval@knowhow.invalid", name: "Evaluator", role: "admin" })
    .returning();
  const [space] = await database.db
    .insert(spaces)
    .values({ name: "Evaluation", slug: "evaluation", createdBy: user.id })
    .returning();
  const toExternal = new Map<string, string>();
  let batch: (typeof articles.$inferInsert)[] = [];
  let n = 0;
  const flush = async () => {
    if (batch.length === 0) return;
    const inserted = await database.db
      .insert(articles)
      .values(batch)
      .returning({ id: articles.id, key: articles.importKey });
    for (const r of inserted) toExternal.set(r.id, r.key!.slice(5));
    batch = [];
    options.onProgress?.(n);
  };
  for await (const d of docs as AsyncIterable<HarnessDoc>) {
    batch.push({
      spaceId: space.id,
      title: d.title || "",
      body: d.body || "",
      tags: d.tags ?? [],
      ownerId: user.id,
      updatedBy: user.id,
      importKey: `eval:${d.id}`,
    });
    n++;
    if (batch.length >= 500) await flush();
  }
  await flush();
  const search = createSearchService(database.db);
  await search.catchUp();
  return {
    database,
    search,
    actor: { id: user.id, role: "admin", name: user.name },
    externalId: (id) => toExternal.get(id) ?? id,
    close: () => database.close(),
  };
}
