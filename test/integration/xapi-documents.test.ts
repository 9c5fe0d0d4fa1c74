import { createHash, randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LightMyRequestResponse } from "fastify";
import { createTestApp, type TestApp } from "../support/app";
import { closeTemplates, testBackends } from "../support/databases";
import { lrsClients, xapiStatements } from "../../db/schema";
import { sha256 } from "../../src/modules/xapi/xapi-http";

afterAll(closeTemplates);

const ACTIVITY = "http://example.com/activities/course-1";
const AGENT = { objectType: "Agent", mbox: "mailto:learner@example.com" };
const REG = "ec531277-b57b-4c15-8d91-d292c5b2b8f7";

type Req = {
  method: string;
  path: string;
  query?: Record<string, string | object>;
  headers?: Record<string, string>;
  payload?: string | Buffer | object;
  auth?: string | null;
  version?: string | null;
};

const qs = (q: Record<string, string | object>) =>
  Object.entries(q)
    .map(([k, v]) => `${k}=${encodeURIComponent(typeof v === "string" ? v : JSON.stringify(v))}`)
    .join("&");

describe.each(testBackends())("xAPI documents on %s", (backend) => {
  let t: TestApp;
  let auth: string;
  let stateOnly: string;

  const client = async (scopes: string[]) => {
    const user = await t.newUser();
    const key = `key-${randomUUID()}`;
    const secret = `secret-${randomUUID()}`;
    await t.ctx.db
      .insert(lrsClients)
      .values({ name: "Test LMS", key, secretHash: sha256(secret), scopes, createdBy: user.id });
    return "Basic " + Buffer.from(`${key}:${secret}`).toString("base64");
  };

  const send = (r: Req): Promise<LightMyRequestResponse> => {
    const headers: Record<string, string> = { ...(r.headers ?? {}) };
    const a = r.auth === undefined ? auth : r.auth;
    if (a) headers.authorization = a;
    const v = r.version === undefined ? "1.0.3" : r.version;
    if (v) headers["x-experience-api-version"] = v;
    let payload = r.payload;
    if (payload !== undefined && typeof payload === "object" && !Buffer.isBuffer(payload)) {
      payload = JSON.stringify(payload);
      headers["content-type"] ??= "application/json";
    }
    return t.app.inject({
      method: r.method as "GET",
      url: `/xapi${r.path}${r.query ? "?" + qs(r.query) : ""}`,
      headers,
      payload,
    });
  };

  const state = (extra: Record<string, string | object> = {}) => ({ activityId: ACTIVITY, agent: AGENT, ...extra });

  beforeAll(async () => {
    t = await createTestApp(backend);
    auth = await client(["all"]);
    stateOnly = await client(["state"]);
  });
  afterAll(async () => {
    await t?.close();
  });

  describe("State Resource", () => {
    it("stores a non-JSON document and returns it with its content type, ETag and Last-Modified", async () => {
      const put = await send({
        method: "PUT",
        path: "/activities/state",
        query: state({ stateId: "bookmark" }),
        headers: { "content-type": "text/plain" },
        payload: "page 12",
      });
      expect(put.statusCode).toBe(204);
      expect(put.headers["x-experience-api-version"]).toBe("1.0.3");
      const got = await send({ method: "GET", path: "/activities/state", query: state({ stateId: "bookmark" }) });
      expect(got.statusCode).toBe(200);
      expect(got.body).toBe("page 12");
      expect(got.headers["content-type"]).toMatch(/^text\/plain/);
      expect(got.headers.etag).toMatch(/^"[0-9a-f]{40}"$/);
      expect(got.headers.etag).toBe(`"${createHash("sha1").update("page 12").digest("hex")}"`);
      expect(new Date(got.headers["last-modified"] as string).toISOString()).toBe(t.clock.now.toISOString());
    });

    it("binary content round-trips byte for byte", async () => {
      const bytes = Buffer.from([0, 1, 2, 255, 254, 10, 13]);
      const q = state({ stateId: "blob", registration: REG });
      expect(
        (
          await send({
            method: "PUT",
            path: "/activities/state",
            query: q,
            headers: { "content-type": "application/octet-stream" },
            payload: bytes,
          })
        ).statusCode,
      ).toBe(204);
      const got = await send({ method: "GET", path: "/activities/state", query: q });
      expect(got.rawPayload.equals(bytes)).toBe(true);
      // Registration is part of the key: without it, no document.
      expect(
        (await send({ method: "GET", path: "/activities/state", query: state({ stateId: "blob" }) })).statusCode,
      ).toBe(404);
    });

    it("stores a document sent without a content type as application/octet-stream, and HEAD answers", async () => {
      const q = state({ stateId: "untyped" });
      const put = await send({ method: "PUT", path: "/activities/state", query: q, payload: "raw" });
      expect(put.statusCode).toBe(204);
      const got = await send({ method: "GET", path: "/activities/state", query: q });
      expect(got.headers["content-type"]).toBe("application/octet-stream");
      expect(got.body).toBe("raw");
      const head = await send({ method: "HEAD", path: "/activities/state", query: q });
      expect(head.statusCode).toBe(200);
      expect(head.headers.etag).toBe(got.headers.etag);
    });

    it("merges JSON objects on POST, and creates the document on POST when missing", async () => {
      const q = state({ stateId: "progress" });
      expect(
        (await send({ method: "POST", path: "/activities/state", query: q, payload: { a: 1, b: { x: 1 } } }))
          .statusCode,
      ).toBe(204);
      expect(
        (await send({ method: "POST", path: "/activities/state", query: q, payload: { b: 2, c: 3 } })).statusCode,
      ).toBe(204);
      const got = await send({ method: "GET", path: "/activities/state", query: q });
      expect(got.headers["content-type"]).toMatch(/^application\/json/);
      expect(got.json()).toEqual({ a: 1, b: 2, c: 3 });
    });

    it("refuses to merge when either document is not a JSON object", async () => {
      // Existing document is text.
      const tq = state({ stateId: "bookmark" });
      expect((await send({ method: "POST", path: "/activities/state", query: tq, payload: { a: 1 } })).statusCode).toBe(
        400,
      );
      // New document is not JSON.
      const jq = state({ stateId: "progress" });
      const textPost = await send({
        method: "POST",
        path: "/activities/state",
        query: jq,
        headers: { "content-type": "text/plain" },
        payload: "hello",
      });
      expect(textPost.statusCode).toBe(400);
      // New document is JSON but an array.
      expect((await send({ method: "POST", path: "/activities/state", query: jq, payload: [1, 2] })).statusCode).toBe(
        400,
      );
      // Nothing changed.
      expect((await send({ method: "GET", path: "/activities/state", query: jq })).json()).toEqual({
        a: 1,
        b: 2,
        c: 3,
      });
    });

    it("honours If-Match and If-None-Match with 412", async () => {
      const q = state({ stateId: "etagged" });
      expect((await send({ method: "PUT", path: "/activities/state", query: q, payload: { v: 1 } })).statusCode).toBe(
        204,
      );
      const etag = (await send({ method: "GET", path: "/activities/state", query: q })).headers.etag as string;
      const put = (headers: Record<string, string>, v: number) =>
        send({ method: "PUT", path: "/activities/state", query: q, payload: { v }, headers });
      expect((await put({ "if-match": '"0000000000000000000000000000000000000000"' }, 2)).statusCode).toBe(412);
      expect((await put({ "if-none-match": "*" }, 2)).statusCode).toBe(412);
      expect((await put({ "if-match": etag }, 2)).statusCode).toBe(204);
      // The old ETag no longer matches.
      expect((await put({ "if-match": etag }, 3)).statusCode).toBe(412);
      // In 1.0.x the State does not require concurrency headers; in 2.0 a blind PUT over an existing
      // document is a 409 that explains itself and changes nothing (IEEE 9274.1.1 4.1.4).
      expect((await put({}, 4)).statusCode).toBe(204);
      const blind2 = await send({
        method: "PUT",
        path: "/activities/state",
        query: q,
        payload: { v: 5 },
        version: "2.0.0",
      });
      expect(blind2.statusCode).toBe(409);
      expect(blind2.json().error.message).toContain("If-Match");
      expect((await send({ method: "GET", path: "/activities/state", query: q })).json()).toEqual({ v: 4 });
      const new2 = state({ stateId: `new-${randomUUID()}` });
      expect(
        (await send({ method: "PUT", path: "/activities/state", query: new2, payload: { v: 1 }, version: "2.0.0" }))
          .statusCode,
      ).toBe(204);
      // If-Match on a missing document fails; If-None-Match: * on a missing one creates it.
      const missing = state({ stateId: "fresh" });
      expect(
        (
          await send({
            method: "PUT",
            path: "/activities/state",
            query: missing,
            payload: { v: 1 },
            headers: { "if-match": "*" },
          })
        ).statusCode,
      ).toBe(412);
      expect(
        (
          await send({
            method: "PUT",
            path: "/activities/state",
            query: missing,
            payload: { v: 1 },
            headers: { "if-none-match": "*" },
          })
        ).statusCode,
      ).toBe(204);
    });

    it("lists state ids, since a time, and deletes them all", async () => {
      const agent = { mbox: "mailto:lister@example.com" };
      const q = (extra: Record<string, string | object> = {}) => ({ activityId: ACTIVITY, agent, ...extra });
      const before = new Date(t.clock.now);
      await send({ method: "PUT", path: "/activities/state", query: q({ stateId: "s1" }), payload: { n: 1 } });
      t.clock.now = new Date(before.getTime() + 60_000);
      await send({ method: "PUT", path: "/activities/state", query: q({ stateId: "s2" }), payload: { n: 2 } });
      await send({
        method: "PUT",
        path: "/activities/state",
        query: q({ stateId: "s3", registration: REG }),
        payload: { n: 3 },
      });
      const all = await send({ method: "GET", path: "/activities/state", query: q() });
      expect(all.statusCode).toBe(200);
      expect(all.json()).toEqual(["s1", "s2", "s3"]);
      expect(new Date(all.headers["last-modified"] as string).getTime()).toBe(t.clock.now.getTime());
      const since = await send({
        method: "GET",
        path: "/activities/state",
        query: q({ since: new Date(before.getTime() + 1000).toISOString() }),
      });
      expect(since.json()).toEqual(["s2", "s3"]);
      expect(
        (await send({ method: "GET", path: "/activities/state", query: q({ registration: REG }) })).json(),
      ).toEqual(["s3"]);
      expect(
        (await send({ method: "GET", path: "/activities/state", query: q({ since: "yesterday" }) })).statusCode,
      ).toBe(400);

      // Deleting one, then the rest.
      expect(
        (await send({ method: "DELETE", path: "/activities/state", query: q({ stateId: "s1" }) })).statusCode,
      ).toBe(204);
      expect((await send({ method: "GET", path: "/activities/state", query: q({ stateId: "s1" }) })).statusCode).toBe(
        404,
      );
      expect((await send({ method: "DELETE", path: "/activities/state", query: q() })).statusCode).toBe(204);
      expect((await send({ method: "GET", path: "/activities/state", query: q() })).json()).toEqual([]);
      // Other agents' state is untouched.
      expect(
        (await send({ method: "GET", path: "/activities/state", query: state({ stateId: "bookmark" }) })).statusCode,
      ).toBe(200);
    });

    it("answers 400 for missing or invalid parameters, naming them", async () => {
      const cases: [Record<string, string | object>, string][] = [
        [{ agent: AGENT, stateId: "x" }, "activityId"],
        [{ activityId: "not an iri", agent: AGENT, stateId: "x" }, "activityId"],
        [{ activityId: ACTIVITY, stateId: "x" }, "agent"],
        [{ activityId: ACTIVITY, agent: { name: "No IFI" }, stateId: "x" }, "agent"],
        [{ activityId: ACTIVITY, agent: "{not json", stateId: "x" }, "agent"],
        [{ activityId: ACTIVITY, agent: { objectType: "Group", mbox: "mailto:g@example.com" }, stateId: "x" }, "agent"],
        [{ activityId: ACTIVITY, agent: AGENT, stateId: "x", registration: "not-a-uuid" }, "registration"],
        [{ activityId: ACTIVITY, agent: AGENT, stateId: "x", color: "blue" }, "color"],
      ];
      for (const [query, name] of cases) {
        for (const method of ["GET", "PUT", "DELETE"]) {
          const r = await send({
            method,
            path: "/activities/state",
            query,
            payload: method === "PUT" ? { a: 1 } : undefined,
          });
          expect(r.statusCode, `${method} ${JSON.stringify(query)}`).toBe(400);
          expect(r.json().error.message).toContain(name);
        }
      }
      const noId = await send({ method: "PUT", path: "/activities/state", query: state(), payload: { a: 1 } });
      expect(noId.statusCode).toBe(400);
      expect(noId.json().error.message).toContain("stateId");
      const badJson = await send({
        method: "PUT",
        path: "/activities/state",
        query: state({ stateId: "x" }),
        headers: { "content-type": "application/json" },
        payload: "{oops",
      });
      expect(badJson.statusCode).toBe(400);
    });

    it("requires credentials, the scope and the version header", async () => {
      const q = state({ stateId: "bookmark" });
      expect((await send({ method: "GET", path: "/activities/state", query: q, auth: null })).statusCode).toBe(401);
      expect(
        (
          await send({
            method: "GET",
            path: "/activities/state",
            query: q,
            auth: "Basic " + Buffer.from("x:y").toString("base64"),
          })
        ).statusCode,
      ).toBe(401);
      expect((await send({ method: "GET", path: "/activities/state", query: q, version: null })).statusCode).toBe(400);
      // A state-only client uses state but not profiles.
      expect((await send({ method: "GET", path: "/activities/state", query: q, auth: stateOnly })).statusCode).toBe(
        200,
      );
      const profile = await send({
        method: "GET",
        path: "/activities/profile",
        query: { activityId: ACTIVITY, profileId: "p" },
        auth: stateOnly,
      });
      expect(profile.statusCode).toBe(403);
      const reader = await client(["statements/read"]);
      expect(
        (await send({ method: "PUT", path: "/activities/state", query: q, payload: { a: 1 }, auth: reader }))
          .statusCode,
      ).toBe(403);
      const allRead = await client(["all/read"]);
      expect((await send({ method: "GET", path: "/activities/state", query: q, auth: allRead })).statusCode).toBe(200);
    });
  });

  describe.each([
    {
      name: "Activity Profile",
      path: "/activities/profile",
      context: { activityId: ACTIVITY } as Record<string, string | object>,
    },
    { name: "Agent Profile", path: "/agents/profile", context: { agent: AGENT } as Record<string, string | object> },
  ])("$name Resource", ({ path, context }) => {
    const q = (extra: Record<string, string | object> = {}) => ({ ...context, ...extra });

    it("stores, returns, replaces with If-Match, and refuses a blind PUT over an existing document (409)", async () => {
      for (const version of ["1.0.3", "2.0.0"]) {
        const id = `profile-${version}`;
        const create = (headers: Record<string, string>) =>
          send({
            method: "PUT",
            path,
            query: q({ profileId: id }),
            version,
            headers: { "content-type": "text/csv", ...headers },
            payload: "a,b\n1,2\n",
          });
        // 1.0.x: a profile PUT names its expectation even to create (400 without If-Match or If-None-Match).
        if (version === "1.0.3") {
          const blindNew = await create({});
          expect(blindNew.statusCode).toBe(400);
          expect(blindNew.json().error.message).toContain("If-None-Match");
          expect((await create({ "if-none-match": "*" })).statusCode).toBe(204);
        } else expect((await create({})).statusCode).toBe(204);
        const got = await send({ method: "GET", path, query: q({ profileId: id }), version });
        expect(got.statusCode).toBe(200);
        expect(got.body).toBe("a,b\n1,2\n");
        expect(got.headers["content-type"]).toMatch(/^text\/csv/);
        expect(got.headers["last-modified"]).toBeTruthy();
        const etag = got.headers.etag as string;
        const blind = await send({ method: "PUT", path, query: q({ profileId: id }), version, payload: { a: 1 } });
        expect(blind.statusCode).toBe(409);
        const noneMatch = await send({
          method: "PUT",
          path,
          query: q({ profileId: id }),
          version,
          payload: { a: 1 },
          headers: { "if-none-match": "*" },
        });
        expect(noneMatch.statusCode).toBe(412);
        const stale = await send({
          method: "PUT",
          path,
          query: q({ profileId: id }),
          version,
          payload: { a: 1 },
          headers: { "if-match": '"abc"' },
        });
        expect(stale.statusCode).toBe(412);
        const ok = await send({
          method: "PUT",
          path,
          query: q({ profileId: id }),
          version,
          payload: { a: 1 },
          headers: { "if-match": etag },
        });
        expect(ok.statusCode).toBe(204);
        expect((await send({ method: "GET", path, query: q({ profileId: id }), version })).json()).toEqual({ a: 1 });
      }
    });

    it("merges JSON on POST and refuses to merge into a non-JSON document", async () => {
      const id = "merged";
      expect((await send({ method: "POST", path, query: q({ profileId: id }), payload: { x: 1 } })).statusCode).toBe(
        204,
      );
      expect((await send({ method: "POST", path, query: q({ profileId: id }), payload: { y: 2 } })).statusCode).toBe(
        204,
      );
      expect((await send({ method: "GET", path, query: q({ profileId: id }) })).json()).toEqual({ x: 1, y: 2 });
      const text = await send({
        method: "POST",
        path,
        query: q({ profileId: id }),
        headers: { "content-type": "text/plain" },
        payload: "nope",
      });
      expect(text.statusCode).toBe(400);
      expect(
        (
          await send({
            method: "POST",
            path,
            query: q({ profileId: "profile-1.0.3" }),
            headers: { "content-type": "text/plain" },
            payload: "nope",
          })
        ).statusCode,
      ).toBe(400);
    });

    it("lists profile ids (since), deletes one with If-Match, 404 on a missing one", async () => {
      const before = new Date(t.clock.now);
      t.clock.now = new Date(before.getTime() + 3_600_000);
      expect(
        (
          await send({
            method: "PUT",
            path,
            query: q({ profileId: "late" }),
            payload: { l: 1 },
            headers: { "if-none-match": "*" },
          })
        ).statusCode,
      ).toBe(204);
      const all = (await send({ method: "GET", path, query: q() })).json();
      expect(all).toEqual(expect.arrayContaining(["late", "merged", "profile-1.0.3", "profile-2.0.0"]));
      const since = await send({
        method: "GET",
        path,
        query: q({ since: new Date(before.getTime() + 1).toISOString() }),
      });
      expect(since.json()).toEqual(["late"]);
      const etag = (await send({ method: "GET", path, query: q({ profileId: "late" }) })).headers.etag as string;
      expect(
        (await send({ method: "DELETE", path, query: q({ profileId: "late" }), headers: { "if-match": '"x"' } }))
          .statusCode,
      ).toBe(412);
      expect(
        (await send({ method: "DELETE", path, query: q({ profileId: "late" }), headers: { "if-match": etag } }))
          .statusCode,
      ).toBe(204);
      expect((await send({ method: "GET", path, query: q({ profileId: "late" }) })).statusCode).toBe(404);
      // A profile DELETE names its profile.
      expect((await send({ method: "DELETE", path, query: q() })).statusCode).toBe(400);
    });

    it("validates its parameters", async () => {
      const unknown = await send({ method: "GET", path, query: q({ profileId: "x", stateId: "y" }) });
      expect(unknown.statusCode).toBe(400);
      expect(unknown.json().error.message).toContain("stateId");
      const missing = await send({ method: "GET", path, query: { profileId: "x" } });
      expect(missing.statusCode).toBe(400);
      expect(missing.json().error.message).toContain(path === "/agents/profile" ? "agent" : "activityId");
      const repeated = await t.app.inject({
        method: "GET",
        url: `/xapi${path}?${qs(q())}&profileId=a&profileId=b`,
        headers: { authorization: auth, "x-experience-api-version": "2.0.0" },
      });
      expect(repeated.statusCode).toBe(400);
    });
  });

  describe("Activities and Agents Resources", () => {
    const statement = async (actor: object, object: object, actorIfi: string) => {
      const id = randomUUID();
      await t.ctx.db.insert(xapiStatements).values({
        id,
        stored: t.clock.now,
        timestamp: t.clock.now,
        actorIfi,
        verbId: "http://adlnet.gov/expapi/verbs/experienced",
        activityId: (object as { id: string }).id,
        statement: {
          id,
          actor,
          verb: { id: "http://adlnet.gov/expapi/verbs/experienced" },
          object,
          stored: t.clock.now.toISOString(),
        },
      });
    };

    it("returns the Activity with its latest definition, or just its id", async () => {
      const id = "http://example.com/activities/defined";
      await statement(
        { mbox: "mailto:ada@example.com", name: "Ada" },
        { objectType: "Activity", id, definition: { name: { "en-US": "Old name", fr: "Nom" }, type: "http://t/1" } },
        "mbox:mailto:ada@example.com",
      );
      await statement(
        { mbox: "mailto:ada@example.com", name: "Ada L." },
        { objectType: "Activity", id, definition: { name: { "en-US": "New name" }, description: { "en-US": "D" } } },
        "mbox:mailto:ada@example.com",
      );
      const r = await send({ method: "GET", path: "/activities", query: { activityId: id } });
      expect(r.statusCode).toBe(200);
      expect(r.json()).toEqual({
        objectType: "Activity",
        id,
        definition: { name: { "en-US": "New name", fr: "Nom" }, description: { "en-US": "D" }, type: "http://t/1" },
      });
      // An activity seen only as a context activity, with its definition there.
      const parent = "http://example.com/activities/parent";
      const sid = randomUUID();
      await t.ctx.db.insert(xapiStatements).values({
        id: sid,
        stored: t.clock.now,
        timestamp: t.clock.now,
        actorIfi: "mbox:mailto:ada@example.com",
        verbId: "http://adlnet.gov/expapi/verbs/experienced",
        activityId: id,
        relatedActivities: [id, parent],
        statement: {
          id: sid,
          actor: { mbox: "mailto:ada@example.com" },
          verb: { id: "http://adlnet.gov/expapi/verbs/experienced" },
          object: { id },
          context: { contextActivities: { parent: [{ id: parent, definition: { name: { en: "Course" } } }] } },
        },
      });
      const viaContext = await send({ method: "GET", path: "/activities", query: { activityId: parent } });
      expect(viaContext.json()).toEqual({ objectType: "Activity", id: parent, definition: { name: { en: "Course" } } });
      const unseen = await send({
        method: "GET",
        path: "/activities",
        query: { activityId: "http://example.com/unseen" },
      });
      expect(unseen.json()).toEqual({ objectType: "Activity", id: "http://example.com/unseen" });
      expect((await send({ method: "GET", path: "/activities", query: {} })).statusCode).toBe(400);
      expect((await send({ method: "GET", path: "/activities", query: { activityId: "nope" } })).statusCode).toBe(400);
      expect(
        (await send({ method: "GET", path: "/activities", query: { activityId: id, extra: "1" } })).statusCode,
      ).toBe(400);
    });

    it("returns the Person for an agent", async () => {
      const r = await send({ method: "GET", path: "/agents", query: { agent: { mbox: "mailto:ada@example.com" } } });
      expect(r.statusCode).toBe(200);
      expect(r.json()).toEqual({ objectType: "Person", name: ["Ada", "Ada L."], mbox: ["mailto:ada@example.com"] });
      const unseen = await send({
        method: "GET",
        path: "/agents",
        query: { agent: { account: { homePage: "https://lms.example.com", name: "u1" } } },
      });
      expect(unseen.json()).toEqual({
        objectType: "Person",
        account: [{ homePage: "https://lms.example.com", name: "u1" }],
      });
      expect((await send({ method: "GET", path: "/agents", query: { agent: { name: "x" } } })).statusCode).toBe(400);
      expect((await send({ method: "GET", path: "/agents", query: {} })).statusCode).toBe(400);
      expect((await send({ method: "GET", path: "/agents", query: { agent: AGENT }, auth: null })).statusCode).toBe(
        401,
      );
    });
  });
});
