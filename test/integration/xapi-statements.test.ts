import { createHash, generateKeyPairSync, randomUUID, sign } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { lrsClients } from "../../db/schema";
import { createTestApp, type TestApp } from "../support/app";
import { closeTemplates, testBackends } from "../support/databases";

afterAll(closeTemplates);

const sha256 = (s: string | Buffer) => createHash("sha256").update(s).digest("hex");
const VERB = {
  id: "http://adlnet.gov/expapi/verbs/experienced",
  display: { "en-US": "experienced", "fr-FR": "a vécu" },
};
const actor = (name: string) => ({ objectType: "Agent", name, mbox: `mailto:${name}@example.org` });
const activity = (n: number) => ({
  objectType: "Activity",
  id: `http://example.org/activity/${n}`,
  definition: { name: { "en-US": `Activity ${n}` } },
});

describe.each(testBackends())("xAPI statements on %s", (backend) => {
  let t: TestApp;
  const auth: Record<string, string> = {};
  let learnerEmail = "";

  const send = async (
    who: string,
    method: "GET" | "POST" | "PUT",
    url: string,
    payload?: unknown,
    headers: Record<string, string> = {},
  ) => {
    const res = await t.app.inject({
      method,
      url,
      headers: {
        ...(auth[who] ? { authorization: auth[who] } : {}),
        "x-experience-api-version": "1.0.3",
        ...(payload !== undefined && !Buffer.isBuffer(payload) && typeof payload !== "string"
          ? { "content-type": "application/json" }
          : {}),
        ...headers,
      },
      payload:
        payload === undefined
          ? undefined
          : Buffer.isBuffer(payload) || typeof payload === "string"
            ? payload
            : JSON.stringify(payload),
    });
    return {
      status: res.statusCode,
      headers: res.headers,
      body: res.body
        ? (() => {
            try {
              return JSON.parse(res.body);
            } catch {
              return res.body;
            }
          })()
        : null,
    };
  };

  beforeAll(async () => {
    t = await createTestApp(backend);
    const admin = await t.newUser({ role: "admin" });
    const learner = await t.newUser({ name: "Lena Learner" });
    learnerEmail = learner.email;
    for (const [name, scopes] of [
      ["writer", ["statements/write", "statements/read/mine"]],
      ["reader", ["all/read"]],
      ["other", ["statements/write", "statements/read/mine"]],
      ["none", ["state"]],
    ] as const) {
      await t.ctx.db.insert(lrsClients).values({
        name,
        key: `key-${name}`,
        secretHash: sha256(`secret-${name}`),
        scopes: [...scopes],
        createdBy: admin.id,
      });
      auth[name] = `Basic ${Buffer.from(`key-${name}:secret-${name}`).toString("base64")}`;
    }
  });
  afterAll(async () => t?.close());

  it("answers About without credentials, and demands the version header and credentials elsewhere", async () => {
    const about = await t.app.inject({ method: "GET", url: "/xapi/about" });
    expect(about.statusCode).toBe(200);
    expect(about.json().version).toContain("1.0.3");
    expect(about.headers["x-experience-api-version"]).toBeDefined();
    const noVersion = await t.app.inject({
      method: "GET",
      url: "/xapi/statements",
      headers: { authorization: auth.reader },
    });
    expect(noVersion.statusCode).toBe(400);
    expect((await send("nobody", "GET", "/xapi/statements")).status).toBe(401);
    const wrong = await t.app.inject({
      method: "GET",
      url: "/xapi/statements",
      headers: {
        "x-experience-api-version": "1.0.3",
        authorization: `Basic ${Buffer.from("key-writer:nope").toString("base64")}`,
      },
    });
    expect(wrong.statusCode).toBe(401);
    expect((await send("none", "GET", "/xapi/statements")).status).toBe(403);
    expect(
      (await send("reader", "POST", "/xapi/statements", { actor: actor("a"), verb: VERB, object: activity(1) })).status,
    ).toBe(403);
  });

  it("stores one or a batch, assigns ids, sets stored, authority and version, and reads them back", async () => {
    const one = await send("writer", "POST", "/xapi/statements", {
      actor: actor("ana"),
      verb: VERB,
      object: activity(1),
    });
    expect(one.status).toBe(200);
    expect(one.body).toHaveLength(1);
    const id = one.body[0] as string;
    const got = await send("writer", "GET", `/xapi/statements?statementId=${id}`);
    expect(got.status).toBe(200);
    expect(got.body).toMatchObject({ id, verb: VERB, version: "1.0.3" });
    expect(got.body.authority.account.name).toBe("key-writer");
    expect(got.body.stored).toBeDefined();
    expect(got.headers["last-modified"]).toBeDefined();
    expect(got.headers["x-experience-api-consistent-through"]).toBeDefined();
    const batch = await send("writer", "POST", "/xapi/statements", [
      { actor: actor("ben"), verb: VERB, object: activity(2) },
      { actor: actor("cy"), verb: VERB, object: activity(3), context: { registration: randomUUID() } },
    ]);
    expect(batch.body).toHaveLength(2);
    // PUT with an id; the same statement again is accepted unchanged; different content under that id is a 409.
    const pid = randomUUID();
    const s = { actor: actor("dan"), verb: VERB, object: activity(4) };
    expect((await send("writer", "PUT", `/xapi/statements?statementId=${pid}`, s)).status).toBe(204);
    const again = await send("writer", "PUT", `/xapi/statements?statementId=${pid}`, s);
    expect(again.status, JSON.stringify(again.body)).toBe(204);
    expect(
      (await send("writer", "PUT", `/xapi/statements?statementId=${pid}`, { ...s, object: activity(5) })).status,
    ).toBe(409);
    expect((await send("writer", "PUT", "/xapi/statements", s)).status).toBe(400);
  });

  it("refuses invalid statements with a 400 that names the problem, and stores nothing of a bad batch", async () => {
    const cases: [unknown, RegExp][] = [
      [{ verb: VERB, object: activity(1) }, /actor: is required/],
      [{ actor: { name: "x" }, verb: VERB, object: activity(1) }, /exactly one of mbox/],
      [{ actor: actor("a"), verb: { id: "not an iri" }, object: activity(1) }, /verb\.id: must be an IRI/],
      [
        {
          actor: actor("a"),
          verb: VERB,
          object: { id: "http://x.org/a", definition: { name: { "not a tag!": "x" } } },
        },
        /not a valid language tag/,
      ],
      [{ actor: actor("a"), verb: VERB, object: activity(1), timestamp: "yesterday" }, /timestamp/],
      [
        { actor: actor("a"), verb: VERB, object: activity(1), result: { score: { scaled: 2 } } },
        /scaled: must be between -1 and 1/,
      ],
      [{ actor: actor("a"), verb: VERB, object: activity(1), result: { duration: "an hour" } }, /duration/],
      // Weeks do not combine with other units (ISO 8601 4.4.3.2).
      [{ actor: actor("a"), verb: VERB, object: activity(1), result: { duration: "P4W1D" } }, /duration/],
      [
        {
          actor: actor("a"),
          verb: VERB,
          object: activity(1),
          authority: { objectType: "Group", mbox: "mailto:g@example.org", member: [actor("app"), actor("user")] },
        },
        /authority: a Group authority must be anonymous/,
      ],
      [
        { actor: actor("a"), verb: VERB, object: actor("b"), context: { revision: "2" } },
        /only allowed when the object is an Activity/,
      ],
      [{ actor: actor("a"), verb: VERB, object: activity(1), extra: 1 }, /extra: is not allowed/],
      [
        { actor: actor("a"), verb: VERB, object: activity(1), context: { registration: "x" } },
        /registration: must be a UUID/,
      ],
      [
        { actor: actor("a"), verb: { id: "http://adlnet.gov/expapi/verbs/voided" }, object: activity(1) },
        /StatementRef/,
      ],
    ];
    for (const [statement, message] of cases) {
      const r = await send("writer", "POST", "/xapi/statements", statement);
      expect(r.status, JSON.stringify(statement)).toBe(400);
      expect(r.body.error.message).toMatch(message);
    }
    const before = await send("reader", "GET", "/xapi/statements?limit=0");
    const half = await send("writer", "POST", "/xapi/statements", [
      { actor: actor("ok"), verb: VERB, object: activity(9) },
      { actor: actor("bad"), verb: VERB },
    ]);
    expect(half.status).toBe(400);
    const after = await send("reader", "GET", "/xapi/statements?limit=0");
    expect(after.body.statements.length).toBe(before.body.statements.length);
  });

  it("voids: the voided statement is gone from queries, readable by voidedStatementId; a voiding statement cannot be voided", async () => {
    const [target] = (
      await send("writer", "POST", "/xapi/statements", { actor: actor("eve"), verb: VERB, object: activity(6) })
    ).body;
    const [voider] = (
      await send("writer", "POST", "/xapi/statements", {
        actor: actor("eve"),
        verb: { id: "http://adlnet.gov/expapi/verbs/voided" },
        object: { objectType: "StatementRef", id: target },
      })
    ).body;
    expect((await send("writer", "GET", `/xapi/statements?statementId=${target}`)).status).toBe(404);
    expect((await send("writer", "GET", `/xapi/statements?voidedStatementId=${target}`)).status).toBe(200);
    // The voided statement is not returned; the voiding statement, which refers to it, is: filters
    // apply to the target of a StatementRef (xAPI "Filter Conditions for StatementRefs").
    const q = await send("reader", "GET", `/xapi/statements?activity=${encodeURIComponent(activity(6).id)}`);
    expect(q.body.statements.map((s: { id: string }) => s.id)).toEqual([voider]);
    // So is any statement referring to it, newest first; since and until apply to the referring ones.
    const refVerb = { id: `http://example.org/verbs/cites-${randomUUID()}` };
    const [citer] = (
      await send("writer", "POST", "/xapi/statements", {
        actor: actor("eve"),
        verb: refVerb,
        object: { objectType: "StatementRef", id: target },
      })
    ).body;
    const byActivity = await send("reader", "GET", `/xapi/statements?activity=${encodeURIComponent(activity(6).id)}`);
    expect(byActivity.body.statements.map((s: { id: string }) => s.id)).toEqual([citer, voider]);
    const byVerb = await send("reader", "GET", `/xapi/statements?verb=${encodeURIComponent(refVerb.id)}`);
    expect(byVerb.body.statements.map((s: { id: string }) => s.id)).toEqual([citer]);
    const later = new Date(t.clock.now.getTime() + 1000).toISOString();
    expect(
      (await send("reader", "GET", `/xapi/statements?activity=${encodeURIComponent(activity(6).id)}&since=${later}`))
        .body.statements,
    ).toHaveLength(0);
    const again = await send("writer", "POST", "/xapi/statements", {
      actor: actor("eve"),
      verb: { id: "http://adlnet.gov/expapi/verbs/voided" },
      object: { objectType: "StatementRef", id: voider },
    });
    expect(again.status).toBe(400);
  });

  it("filters by agent, verb, activity, registration, related agents and activities, time, with paging and formats", async () => {
    const reg = randomUUID();
    const mine = actor("fay");
    for (let i = 0; i < 5; i++)
      await send("writer", "POST", "/xapi/statements", {
        actor: mine,
        verb: VERB,
        object: activity(100 + (i % 2)),
        context: { registration: reg, instructor: actor("ina"), contextActivities: { parent: [activity(999)] } },
      });
    const agentQ = encodeURIComponent(JSON.stringify({ mbox: mine.mbox }));
    expect((await send("reader", "GET", `/xapi/statements?agent=${agentQ}`)).body.statements).toHaveLength(5);
    const instructor = encodeURIComponent(JSON.stringify({ mbox: "mailto:ina@example.org" }));
    expect((await send("reader", "GET", `/xapi/statements?agent=${instructor}`)).body.statements).toHaveLength(0);
    expect(
      (await send("reader", "GET", `/xapi/statements?agent=${instructor}&related_agents=true`)).body.statements,
    ).toHaveLength(5);
    // The agent as a member of a Group acting, and as the object (once even when also the actor), newest first.
    const team = { objectType: "Group", name: "Night shift", member: [actor("gus"), mine] };
    const [asMember] = (
      await send("writer", "POST", "/xapi/statements", { actor: team, verb: VERB, object: activity(102) })
    ).body;
    const [asObject] = (
      await send("writer", "POST", "/xapi/statements", {
        actor: actor("gus"),
        verb: VERB,
        object: { ...mine, objectType: "Agent" },
      })
    ).body;
    const [asBoth] = (
      await send("writer", "POST", "/xapi/statements", {
        actor: mine,
        verb: VERB,
        object: { ...mine, objectType: "Agent" },
      })
    ).body;
    const byAgent = (await send("reader", "GET", `/xapi/statements?agent=${agentQ}`)).body.statements;
    expect(byAgent).toHaveLength(8);
    expect(byAgent.slice(0, 3).map((s: { id: string }) => s.id)).toEqual([asBoth, asObject, asMember]);
    const paged = await send("reader", "GET", `/xapi/statements?agent=${agentQ}&limit=2&ascending=true`);
    expect(paged.body.statements).toHaveLength(2);
    const rest = await send("reader", "GET", paged.body.more);
    const restIds = rest.body.statements.map((s: { id: string }) => s.id);
    expect(restIds).toHaveLength(2);
    expect(restIds).not.toContain(paged.body.statements[0].id);
    const parent = encodeURIComponent(activity(999).id);
    expect((await send("reader", "GET", `/xapi/statements?activity=${parent}`)).body.statements).toHaveLength(0);
    expect(
      (await send("reader", "GET", `/xapi/statements?activity=${parent}&related_activities=true`)).body.statements,
    ).toHaveLength(5);
    expect(
      (
        await send(
          "reader",
          "GET",
          `/xapi/statements?registration=${reg}&activity=${encodeURIComponent(activity(100).id)}`,
        )
      ).body.statements,
    ).toHaveLength(3);
    // Paging: 2 at a time, newest first; `more` leads to the rest, each once.
    const seen: string[] = [];
    let url = `/xapi/statements?registration=${reg}&limit=2`;
    while (url) {
      const page = await send("reader", "GET", url);
      seen.push(...page.body.statements.map((s: { id: string }) => s.id));
      url = page.body.more;
    }
    expect(seen).toHaveLength(5);
    expect(new Set(seen).size).toBe(5);
    const asc = await send("reader", "GET", `/xapi/statements?registration=${reg}&ascending=true`);
    expect(asc.body.statements.map((s: { id: string }) => s.id)).toEqual([...seen].reverse());
    // Formats: ids strips names and definitions; canonical keeps one language.
    const ids = await send("reader", "GET", `/xapi/statements?registration=${reg}&limit=1&format=ids`);
    expect(ids.body.statements[0].actor).toEqual({ objectType: "Agent", mbox: mine.mbox });
    expect(ids.body.statements[0].object).toEqual({ id: activity(100).id });
    expect(ids.body.statements[0].verb).toEqual({ id: VERB.id });
    expect(ids.body.statements[0].context.contextActivities.parent).toEqual([{ id: activity(999).id }]);
    const canon = await send(
      "reader",
      "GET",
      `/xapi/statements?registration=${reg}&limit=1&format=canonical`,
      undefined,
      {
        "accept-language": "fr-FR",
      },
    );
    expect(canon.body.statements[0].verb.display).toEqual({ "fr-FR": "a vécu" });
    // Time: nothing stored after now.
    const later = new Date(t.clock.now.getTime() + 1000).toISOString();
    expect((await send("reader", "GET", `/xapi/statements?since=${later}`)).body.statements).toHaveLength(0);
    // Bad parameters are named.
    expect((await send("reader", "GET", "/xapi/statements?verb=x&statementId=" + randomUUID())).status).toBe(400);
    expect((await send("reader", "GET", "/xapi/statements?agent=notjson")).status).toBe(400);
    const unknown = await send("reader", "GET", "/xapi/statements?unknown=1");
    expect(unknown.status).toBe(400);
    // Consistent-Through is on every answer of GET statements, errors included.
    expect(unknown.headers["x-experience-api-consistent-through"]).toBeTruthy();
  });

  it("statements/read/mine sees only its own client's statements; the actor maps to a Knowhow person", async () => {
    await send("other", "POST", "/xapi/statements", {
      actor: { mbox: `mailto:${learnerEmail}` },
      verb: VERB,
      object: activity(7),
    });
    const theirs = await send("writer", "GET", `/xapi/statements?activity=${encodeURIComponent(activity(7).id)}`);
    expect(theirs.body.statements).toHaveLength(0);
    const all = await send("reader", "GET", `/xapi/statements?activity=${encodeURIComponent(activity(7).id)}`);
    expect(all.body.statements).toHaveLength(1);
    const rows = await t.ctx.db.execute(
      `select user_id from xapi_statements where activity_id = '${activity(7).id}'` as never,
    );
    const list = Array.isArray(rows) ? rows : (rows as { rows: { user_id: string }[] }).rows;
    expect(list[0].user_id).not.toBeNull();
  });

  it("takes attachments in multipart/mixed, checks their hashes, and returns them with attachments=true", async () => {
    const content = Buffer.from("a certificate of completion");
    const hash = sha256(content);
    const statement = {
      actor: actor("gil"),
      verb: VERB,
      object: activity(8),
      attachments: [
        {
          usageType: "http://example.org/certificate",
          display: { en: "Certificate" },
          contentType: "text/plain",
          length: content.length,
          sha2: hash,
        },
      ],
    };
    const boundary = "xyzzy";
    const body = (h: string) =>
      Buffer.concat([
        Buffer.from(`--${boundary}\r\nContent-Type: application/json\r\n\r\n${JSON.stringify(statement)}\r\n`),
        Buffer.from(
          `--${boundary}\r\nContent-Type: text/plain\r\nContent-Transfer-Encoding: binary\r\nX-Experience-API-Hash: ${h}\r\n\r\n`,
        ),
        content,
        Buffer.from(`\r\n--${boundary}--\r\n`),
      ]);
    const headers = { "content-type": `multipart/mixed; boundary=${boundary}` };
    expect((await send("writer", "POST", "/xapi/statements", body("0".repeat(64)), headers)).status).toBe(400);
    expect((await send("writer", "POST", "/xapi/statements", statement)).status).toBe(400);
    const ok = await send("writer", "POST", "/xapi/statements", body(hash), headers);
    expect(ok.status).toBe(200);
    const res = await t.app.inject({
      method: "GET",
      url: `/xapi/statements?statementId=${ok.body[0]}&attachments=true`,
      headers: { authorization: auth.writer, "x-experience-api-version": "1.0.3" },
    });
    expect(res.headers["content-type"]).toMatch(/^multipart\/mixed/);
    expect(res.body).toContain("a certificate of completion");
    expect(res.body).toContain(`X-Experience-API-Hash: ${hash}`);
  });

  it("returns contextActivities as arrays, accepts PnW, and compares durations to the hundredth of a second", async () => {
    const single = { ...activity(20), objectType: "Activity" };
    const [id] = (
      await send("writer", "POST", "/xapi/statements", {
        actor: actor("hal"),
        verb: VERB,
        object: {
          objectType: "SubStatement",
          actor: actor("ida"),
          verb: VERB,
          object: activity(21),
          context: { contextActivities: { category: single } },
        },
        result: { duration: "P4W" },
        context: { contextActivities: { parent: single, grouping: [activity(22)] } },
      })
    ).body;
    const got = await send("reader", "GET", `/xapi/statements?statementId=${id}`);
    expect(got.body.context.contextActivities).toEqual({ parent: [single], grouping: [activity(22)] });
    expect(got.body.object.context.contextActivities).toEqual({ category: [single] });
    // The same statement again (single objects, as first sent) is not a conflict.
    const again = await send("writer", "PUT", `/xapi/statements?statementId=${id}`, {
      actor: actor("hal"),
      verb: VERB,
      object: {
        objectType: "SubStatement",
        actor: actor("ida"),
        verb: VERB,
        object: activity(21),
        context: { contextActivities: { category: single } },
      },
      result: { duration: "P4W" },
      context: { contextActivities: { parent: single, grouping: [activity(22)] } },
      timestamp: got.body.timestamp,
    });
    expect(again.status).toBe(204);

    // A signed statement whose duration has more precision than its signature's payload still matches.
    const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const statement = {
      id: randomUUID(),
      actor: actor("jo"),
      verb: VERB,
      object: activity(23),
      result: { duration: "P1DT12H36M0.12S" },
    };
    const b64 = (v: object) => Buffer.from(JSON.stringify(v)).toString("base64url");
    const signingInput = `${b64({ alg: "RS256" })}.${b64(statement)}`;
    const jws = `${signingInput}.${sign("sha256", Buffer.from(signingInput), privateKey).toString("base64url")}`;
    const signed = (duration: string) => {
      const body = {
        ...statement,
        result: { duration },
        attachments: [
          {
            usageType: "http://adlnet.gov/expapi/attachments/signature",
            display: { en: "Signature" },
            contentType: "application/octet-stream",
            length: Buffer.byteLength(jws),
            sha2: sha256(jws),
          },
        ],
      };
      return Buffer.from(
        `--sig\r\nContent-Type: application/json\r\n\r\n${JSON.stringify(body)}\r\n` +
          `--sig\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: binary\r\nX-Experience-API-Hash: ${sha256(jws)}\r\n\r\n${jws}\r\n--sig--\r\n`,
      );
    };
    const headers = { "content-type": "multipart/mixed; boundary=sig" };
    expect((await send("writer", "POST", "/xapi/statements", signed("P1DT12H36M0.13S"), headers)).status).toBe(400);
    expect((await send("writer", "POST", "/xapi/statements", signed("P1DT12H36M0.1237S"), headers)).status).toBe(200);
  });

  it("takes the Alternate Request Syntax in 1.0.x (headers and content in a form), and refuses it in 2.0", async () => {
    const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
    const formType = { "content-type": "application/x-www-form-urlencoded" };
    const id = randomUUID();
    const statement = JSON.stringify({ actor: actor("kim"), verb: VERB, object: activity(30) });
    // Everything in the form: no version or credentials in the request's own headers.
    const put = await t.app.inject({
      method: "POST",
      url: "/xapi/statements?method=PUT",
      headers: formType,
      payload: form({
        statementId: id,
        content: statement,
        "X-Experience-API-Version": "1.0.3",
        Authorization: auth.writer,
      }),
    });
    expect(put.statusCode).toBe(204);
    const get = await send("reader", "POST", "/xapi/statements?method=GET", form({ statementId: id }), formType);
    expect(get.status).toBe(200);
    expect(get.body.id).toBe(id);
    const query = await send("reader", "POST", "/xapi/statements?method=GET", form({ limit: "1" }), formType);
    expect(query.status).toBe(200);
    expect(query.body).toHaveProperty("more");
    // A form header overrides the request's; other query parameters, non-form bodies and 2.0 are refused.
    const old = await send(
      "writer",
      "POST",
      "/xapi/statements?method=PUT",
      form({ statementId: randomUUID(), content: statement, "X-Experience-API-Version": "0.8" }),
      formType,
    );
    expect(old.status).toBe(400);
    const extra = await send(
      "writer",
      "POST",
      `/xapi/statements?method=PUT&statementId=${randomUUID()}`,
      form({ content: statement }),
      formType,
    );
    expect(extra.status).toBe(400);
    expect((await send("writer", "POST", "/xapi/statements?method=PUT", statement)).status).toBe(400);
    const v2 = await send("writer", "POST", "/xapi/statements?method=GET", form({ limit: "1" }), {
      ...formType,
      "x-experience-api-version": "2.0.0",
    });
    expect(v2.status).toBe(400);
    expect(v2.body.error.message).toMatch(/not part of xAPI 2\.0/);
  });
});
