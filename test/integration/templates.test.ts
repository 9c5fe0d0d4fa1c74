import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { createTestApp, type Client, type TestApp } from "../support/app";
import { closeTemplates, testBackends } from "../support/databases";

afterAll(closeTemplates);

type Template = {
  id: string;
  key: string | null;
  name: string;
  body: string;
  archived: boolean;
  version: number;
  updatedBy: { name: string } | null;
  defaultIn: { id: string; name: string }[];
};
type List = { items: Template[]; canManage: boolean };
type Err = { error: { code: string; fields?: { path: string; message: string }[] } };

describe.each(testBackends())("article templates on %s", (backend) => {
  let t: TestApp;
  let km: Client;
  let member: Client;
  let owner: Client;
  let outsider: Client;
  let guest: Client;
  let space: { id: string; name: string };
  let secret: { id: string; name: string };

  beforeAll(async () => {
    t = await createTestApp(backend);
    const k = await t.newUser({ name: "Kim" });
    await t.ctx.db.execute(sql`update users set knowledge_manager = true where id = ${k.id}`);
    km = await t.login(k.email);
    member = await t.login((await t.newUser({ name: "Mo" })).email);
    const o = await t.newUser({ name: "Owen" });
    owner = await t.login(o.email);
    outsider = await t.login((await t.newUser({ name: "Otto" })).email);
    guest = await t.login((await t.newUser({ name: "Gil", role: "guest" })).email);
    space = await t.newSpace(o.id, { name: "Warehouse" });
    secret = await t.newSpace(o.id, { name: "Zqx board room", visibility: "private" });
  });
  afterAll(async () => t.close());

  it("has the six built-in templates for everyone who writes", async () => {
    const res = await member.json<List>("GET", "/api/templates");
    expect(res.status).toBe(200);
    expect(res.body.canManage).toBe(false);
    expect(res.body.items.map((i) => i.key)).toEqual(
      expect.arrayContaining(["how-to", "troubleshooting", "decision-record", "onboarding", "meeting-notes", "lesson"]),
    );
    const howTo = res.body.items.find((i) => i.key === "how-to")!;
    expect(howTo.body).toContain("## Steps");
    expect((await km.json<List>("GET", "/api/templates")).body.canManage).toBe(true);
  });

  it("lets knowledge managers write templates, field by field, with a 409 on a stale version", async () => {
    const bad = await km.json<Err>("POST", "/api/templates", { name: "X", body: "   " });
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields?.map((f) => f.path).sort()).toEqual(["body", "name"]);
    expect(
      (await member.json("POST", "/api/templates", { name: "Shift handover", body: "## Open issues" })).status,
    ).toBe(403);
    expect(
      (await guest.json("POST", "/api/templates", { name: "Shift handover", body: "## Open issues" })).status,
    ).toBe(403);
    const made = await km.json<Template>("POST", "/api/templates", {
      name: "Shift handover",
      description: "What the next shift must know",
      body: "## Open issues\n\n- [ ] Issue, owner\n",
    });
    expect(made.status).toBe(201);
    expect(made.body).toMatchObject({ key: null, version: 1, updatedBy: { name: "Kim" } });
    const edit = await km.json<Template>("PATCH", `/api/templates/${made.body.id}`, {
      version: 1,
      body: "## Open issues\n\n## Safety\n",
    });
    expect(edit.body.version).toBe(2);
    const stale = await km.json<Err>("PATCH", `/api/templates/${made.body.id}`, { version: 1, name: "Handover" });
    expect(stale.status).toBe(409);
    expect((await km.json<Template>("GET", `/api/templates/${made.body.id}`)).body.name).toBe("Shift handover");
    expect((await member.json("PATCH", `/api/templates/${made.body.id}`, { version: 2, name: "Mine" })).status).toBe(
      403,
    );
    expect((await km.json("PATCH", `/api/templates/${crypto.randomUUID()}`, { version: 1, name: "Nope" })).status).toBe(
      404,
    );
  });

  it("sets a space's default; an archived template stops being one and is hidden from writers", async () => {
    const made = await km.json<Template>("POST", "/api/templates", { name: "Goods-in check", body: "## Checks\n" });
    // Only the space's owner sets its default, and only to a template that exists.
    expect((await member.json("PATCH", `/api/spaces/${space.id}`, { defaultTemplateId: made.body.id })).status).toBe(
      403,
    );
    const wrong = await owner.json<Err>("PATCH", `/api/spaces/${space.id}`, { defaultTemplateId: crypto.randomUUID() });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error.fields?.[0].path).toBe("defaultTemplateId");
    const set = await owner.json<{ defaultTemplateId: string }>("PATCH", `/api/spaces/${space.id}`, {
      defaultTemplateId: made.body.id,
    });
    expect(set.body.defaultTemplateId).toBe(made.body.id);
    await owner.json("PATCH", `/api/spaces/${secret.id}`, { defaultTemplateId: made.body.id });
    // The private space is named only to those who may see it.
    const seenByMember = (await member.json<Template>("GET", `/api/templates/${made.body.id}`)).body;
    expect(seenByMember.defaultIn.map((s) => s.name)).toEqual(["Warehouse"]);
    expect(JSON.stringify((await outsider.json("GET", "/api/templates")).body)).not.toContain("Zqx board room");
    const seenByOwner = (await owner.json<Template>("GET", `/api/templates/${made.body.id}`)).body;
    expect(seenByOwner.defaultIn.map((s) => s.name).sort()).toEqual(["Warehouse", "Zqx board room"]);

    await km.json("PATCH", `/api/templates/${made.body.id}`, { version: 1, archived: true });
    expect(
      (await owner.json<{ defaultTemplateId: string | null }>("GET", `/api/spaces/${space.id}`)).body.defaultTemplateId,
    ).toBeNull();
    expect((await member.json<List>("GET", "/api/templates")).body.items.map((i) => i.id)).not.toContain(made.body.id);
    expect((await member.json("GET", `/api/templates/${made.body.id}`)).status).toBe(404);
    expect((await km.json<List>("GET", "/api/templates?archived=true")).body.items.map((i) => i.id)).toContain(
      made.body.id,
    );
    const again = await owner.json<Err>("PATCH", `/api/spaces/${space.id}`, { defaultTemplateId: made.body.id });
    expect(again.status).toBe(400);
  });
});
