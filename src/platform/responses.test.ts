import { describe, expect, it } from "vitest";
import Fastify from "fastify";
import { z } from "zod";
import { droppedKeys, responseSerializer } from "./responses";

const Out = z.object({ id: z.string(), tags: z.array(z.object({ name: z.string() })), note: z.string().optional() });

async function answer(strict: boolean, body: unknown) {
  const app = Fastify();
  app.setSerializerCompiler(responseSerializer({ strict }));
  app.get("/x", { schema: { response: { 200: Out } } }, async () => body);
  const res = await app.inject({ url: "/x" });
  await app.close();
  return res;
}

describe("response serialisation through the route's zod schema", () => {
  it("finds keys a schema drops, at any depth, ignoring undefined values", () => {
    expect(
      droppedKeys(
        { id: "1", extra: 1, tags: [{ name: "a", colour: "red" }], note: undefined },
        { id: "1", tags: [{ name: "a" }] },
      ),
    ).toEqual(["extra", "tags[0].colour"]);
    expect(droppedKeys({ id: "1", tags: [] }, { id: "1", tags: [] })).toEqual([]);
  });

  it("strips a field the schema does not name (production), and fails the request instead in strict mode (tests)", async () => {
    const body = { id: "1", tags: [{ name: "a", colour: "red" }] };
    const lenient = await answer(false, body);
    expect(lenient.statusCode).toBe(200);
    expect(lenient.json()).toEqual({ id: "1", tags: [{ name: "a" }] });
    const original = console.error;
    console.error = () => undefined;
    try {
      expect((await answer(true, body)).statusCode).toBe(500);
      // A body that does not match the schema is a 500 either way.
      expect((await answer(false, { id: 1, tags: [] })).statusCode).toBe(500);
    } finally {
      console.error = original;
    }
    expect((await answer(true, { id: "1", tags: [{ name: "a" }], note: "n" })).json()).toEqual({
      id: "1",
      tags: [{ name: "a" }],
      note: "n",
    });
  });
});
