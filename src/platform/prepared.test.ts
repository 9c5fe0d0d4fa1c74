import { PGlite } from "@electric-sql/pglite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inRequestOrder, pglitePreparedQuery } from "./prepared";

describe("prepared statements on PGlite", () => {
  let db: PGlite;
  beforeAll(async () => {
    db = await PGlite.create();
    await db.exec("create table t (id int primary key, at timestamptz, tags text[], doc json)");
  });
  afterAll(async () => db.close());

  it("return what PGlite's own query returns, rows and types alike, the second time too", async () => {
    await db.query("insert into t values (1, '2026-12-02T09:00:00Z', '{a,b}', '{\"x\":1}')");
    const text = "select id, at, tags, doc from t where id = $1";
    const own = await db.query(text, [1]);
    for (let i = 0; i < 2; i++) {
      const prepared = await pglitePreparedQuery(db, text, [1]);
      expect(prepared.rows).toEqual(own.rows);
      expect(prepared.fields).toEqual(own.fields);
    }
    const arrays = await pglitePreparedQuery(db, text, [1], { rowMode: "array" });
    expect(arrays.rows).toEqual([[1, new Date("2026-12-02T09:00:00Z"), ["a", "b"], { x: 1 }]]);
    const written = await pglitePreparedQuery(db, "update t set tags = $1 where id = $2", [["c"], 1]);
    expect(written.affectedRows).toBe(1);
    expect((await db.query("select tags from t")).rows).toEqual([{ tags: ["c"] }]);
  });

  it("report a failing statement and keep working", async () => {
    await expect(pglitePreparedQuery(db, "select 1 / $1::int", [0])).rejects.toThrow(/division by zero/);
    expect((await pglitePreparedQuery<{ n: number }>(db, "select 2 / $1::int as n", [1])).rows).toEqual([{ n: 2 }]);
  });

  it("serve the oldest request first when statements wait", async () => {
    const served: number[] = [];
    // Hold the engine with a slow statement, then queue statements of requests 3, 1 and 2.
    const slow = pglitePreparedQuery(db, "select pg_sleep(0.2)");
    const queued = [3, 1, 2].map(
      (order) =>
        new Promise<void>((resolve, reject) =>
          inRequestOrder(order, () => {
            pglitePreparedQuery(db, "select $1::int as n", [order])
              .then(() => {
                served.push(order);
              })
              .then(resolve, reject);
          }),
        ),
    );
    await Promise.all([slow, ...queued]);
    expect(served).toEqual([1, 2, 3]);
  });
});
