import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHash, randomBytes } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { readdir } from "node:fs/promises";
import path from "node:path";
import { createTestApp, type Client, type TestApp } from "../support/app";
import { closeTemplates, testBackends } from "../support/databases";

afterAll(closeTemplates);

// Resumable uploads (tus 1.0) for clips captured on the job, and the admin's upload limit.

/** A WebM clip's first bytes (EBML header) followed by filler: what a phone's recorder sends. */
function webm(size: number): Buffer {
  const b = randomBytes(size);
  Buffer.from("1a45dfa3", "hex").copy(b, 0);
  return b;
}
const sha = (b: Buffer) => createHash("sha256").update(b).digest("hex");
const meta = (fields: Record<string, string>) =>
  Object.entries(fields)
    .map(([k, v]) => `${k} ${Buffer.from(v).toString("base64")}`)
    .join(",");
const TUS = { "tus-resumable": "1.0.0" };

type Settings = { uploadLimitMb: number; version: number; canManage: boolean };
type Err = { error: { code: string; message: string; fields?: { path: string; message: string }[] } };

describe.each(testBackends())("resumable uploads and the upload limit on %s", (backend) => {
  let t: TestApp;
  let admin: Client;
  let ana: Client;
  let bo: Client;
  let guest: Client;
  let articleId: string;
  let secretArticleId: string;

  beforeAll(async () => {
    t = await createTestApp(backend);
    admin = await t.login((await t.newUser({ name: "Ada", role: "admin" })).email);
    const a = await t.newUser({ name: "Ana" });
    ana = await t.login(a.email);
    bo = await t.login((await t.newUser({ name: "Bo" })).email);
    guest = await t.login((await t.newUser({ name: "Gus", role: "guest" })).email);
    const space = await t.newSpace(a.id, { name: "Warehouse floor" });
    const secret = await t.newSpace(a.id, { name: "Ana's notes", visibility: "private" });
    const post = (spaceId: string, title: string) =>
      ana.json<{ id: string }>("POST", "/api/articles", { spaceId, title, body: "How it is done." });
    articleId = (await post(space.id, "Pre-use check of a reach truck")).body.id;
    secretArticleId = (await post(secret.id, "Private draft")).body.id;
  });
  afterAll(async () => t.close());

  // The tus requests go over a real socket, as a phone's do (the in-process injector does not end a
  // hijacked response the way a socket does).
  let port = 0;
  beforeAll(async () => {
    await t.app.listen({ port: 0, host: "127.0.0.1" });
    port = (t.app.server.address() as AddressInfo).port;
  });
  type Res = { statusCode: number; headers: Record<string, string>; body: string; json: () => unknown };
  const send = async (c: Client | null, method: string, url: string, body?: Buffer, headers = {}): Promise<Res> => {
    const res = await fetch(`http://127.0.0.1:${port}${url}`, {
      method,
      body: body ? new Uint8Array(body) : undefined,
      headers: { ...(c ? { cookie: c.cookie, "x-csrf-token": c.csrf } : {}), ...headers },
    });
    const text = method === "HEAD" ? "" : await res.text();
    return {
      statusCode: res.status,
      headers: Object.fromEntries([...(res.headers as unknown as Iterable<[string, string]>)]),
      body: text,
      json: () => JSON.parse(text) as unknown,
    };
  };
  const create = (c: Client | null, length: number, fields: Record<string, string>, extra = {}) =>
    send(c, "POST", "/api/uploads", undefined, {
      ...TUS,
      "upload-length": String(length),
      "upload-metadata": meta(fields),
      ...extra,
    });
  const head = (c: Client, location: string) => send(c, "HEAD", location, undefined, TUS);
  const patch = (c: Client, location: string, offset: number, bytes: Buffer) =>
    send(c, "PATCH", location, bytes, {
      ...TUS,
      "upload-offset": String(offset),
      "content-type": "application/offset+octet-stream",
    });

  it("lets everyone read the upload limit and only admins change it, field by field, with a 409 on a stale version", async () => {
    const seen = await ana.json<Settings>("GET", "/api/settings");
    expect(seen.body).toMatchObject({ uploadLimitMb: 100, canManage: false });
    expect((await ana.json("PATCH", "/api/settings", { version: seen.body.version, uploadLimitMb: 5 })).status).toBe(
      403,
    );
    for (const bad of [0, 5000, 1.5, "ten"]) {
      const res = await admin.json<Err>("PATCH", "/api/settings", { version: seen.body.version, uploadLimitMb: bad });
      expect(res.status).toBe(400);
      expect(res.body.error.fields?.[0].path).toBe("uploadLimitMb");
    }
    const changed = await admin.json<Settings>("PATCH", "/api/settings", {
      version: seen.body.version,
      uploadLimitMb: 250,
    });
    expect(changed.body).toMatchObject({ uploadLimitMb: 250, canManage: true, version: seen.body.version + 1 });
    const stale = await admin.json<Err>("PATCH", "/api/settings", { version: seen.body.version, uploadLimitMb: 1 });
    expect(stale.status).toBe(409);
    expect((await ana.json<Settings>("GET", "/api/settings")).body.uploadLimitMb).toBe(250);
    const audit = await admin.json<{ items: { action: string; detail: string }[] }>("GET", "/api/audit");
    expect(audit.body.items.find((e) => e.action === "settings.update")?.detail).toBe("upload limit 100 MB → 250 MB");
    await admin.json("PATCH", "/api/settings", { version: changed.body.version, uploadLimitMb: 100 });
  });

  it("takes a clip in pieces, says how much arrived, and turns the finished file into an attachment", async () => {
    const clip = webm(300_000);
    const made = await create(ana, clip.length, { filename: "step-1.webm", filetype: "video/webm", articleId });
    expect(made.statusCode).toBe(201);
    const location = String(made.headers.location);
    expect(location).toMatch(/^\/api\/uploads\/[0-9a-f]+$/);
    expect((await head(ana, location)).headers["upload-offset"]).toBe("0");

    const first = await patch(ana, location, 0, clip.subarray(0, 120_000));
    expect(first.statusCode).toBe(204);
    expect(first.headers["upload-offset"]).toBe("120000");
    expect((await head(ana, location)).headers["upload-offset"]).toBe("120000");
    // A piece sent from the wrong place is refused (409), and nothing is lost.
    expect((await patch(ana, location, 0, clip.subarray(0, 10))).statusCode).toBe(409);

    const last = await patch(ana, location, 120_000, clip.subarray(120_000));
    expect(last.statusCode).toBe(200);
    const attachment = last.json() as { id: string; kind: string; mime: string; size: number; url: string };
    expect(attachment).toMatchObject({ kind: "video", mime: "video/webm", size: clip.length });
    expect(last.headers["knowhow-attachment-id"]).toBe(attachment.id);
    const got = await ana.request("GET", attachment.url);
    expect(got.statusCode).toBe(200);
    expect(sha(got.rawPayload)).toBe(sha(clip));
    const article = await ana.json<{ attachments: { id: string }[] }>("GET", `/api/articles/${articleId}`);
    expect(article.body.attachments.map((x) => x.id)).toContain(attachment.id);
    // The partial file is gone once it became an attachment.
    expect((await head(ana, location)).statusCode).toBe(404);
  });

  it("resumes after the connection drops in the middle of a piece", async () => {
    const clip = webm(2_000_000);
    const made = await create(ana, clip.length, { filename: "forks.webm", filetype: "video/webm", articleId });
    const location = String(made.headers.location);
    // Half a megabyte goes out, then the phone loses the network.
    await new Promise<void>((resolve) => {
      const req = http.request({
        host: "127.0.0.1",
        port,
        path: location,
        method: "PATCH",
        headers: {
          ...TUS,
          cookie: ana.cookie,
          "x-csrf-token": ana.csrf,
          "upload-offset": "0",
          "content-type": "application/offset+octet-stream",
          "content-length": String(clip.length),
        },
      });
      req.on("error", () => resolve());
      req.write(clip.subarray(0, 500_000), () => setTimeout(() => req.destroy(), 300));
      req.on("close", () => resolve());
    });
    let offset = 0;
    for (let i = 0; i < 50 && offset === 0; i++) {
      await new Promise((r) => setTimeout(r, 100));
      offset = Number((await head(ana, location)).headers["upload-offset"]);
    }
    expect(offset).toBeGreaterThan(0);
    expect(offset).toBeLessThanOrEqual(500_000);
    const rest = await patch(ana, location, offset, clip.subarray(offset));
    expect(rest.statusCode).toBe(200);
    const got = await ana.request("GET", (rest.json() as { url: string }).url);
    expect(sha(got.rawPayload)).toBe(sha(clip));
  });

  it("keeps each upload its uploader's, and refuses targets the person may not add to", async () => {
    const made = await create(ana, 1000, { filename: "a.webm", articleId });
    const location = String(made.headers.location);
    expect((await head(bo, location)).statusCode).toBe(404);
    expect((await patch(bo, location, 0, webm(1000))).statusCode).toBe(404);
    // Bo may not edit Ana's article in her private space: it answers like a missing one.
    const hidden = await create(bo, 1000, { filename: "b.webm", articleId: secretArticleId });
    expect(hidden.statusCode).toBe(404);
    expect((await create(guest, 1000, { filename: "g.webm", articleId })).statusCode).toBe(403);
    expect((await create(null, 10, { filename: "x.webm", articleId })).statusCode).toBe(401);
    const noCsrf = await create(null, 10, { filename: "x.webm", articleId }, { cookie: ana.cookie });
    expect(noCsrf.statusCode).toBe(403);
    const noTarget = await create(ana, 10, { filename: "x.webm" });
    expect(noTarget.statusCode).toBe(400);
    expect(noTarget.body).toMatch(/articleId or spaceId/);
    expect((await create(ana, 10, { filename: "x.webm", articleId: "../../etc" })).statusCode).toBe(400);
    expect((await send(ana, "DELETE", location, undefined, TUS)).statusCode).toBe(204);
  });

  it("refuses a clip larger than the admin's limit before storing it, and a file of a type not allowed at the end", async () => {
    const s = await admin.json<Settings>("GET", "/api/settings");
    await admin.json("PATCH", "/api/settings", { version: s.body.version, uploadLimitMb: 1 });
    const big = await create(ana, 2 * 1024 * 1024, { filename: "long.webm", articleId });
    expect(big.statusCode).toBe(413);
    expect(big.body).toMatch(/larger than the 1 MB upload limit/);
    // The multipart path keeps the same limit.
    const boundary = "----kh";
    const body = Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="long.webm"\r\n\r\n`),
      webm(1024 * 1024 + 10),
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    const form = await ana.request("POST", `/api/attachments?articleId=${articleId}`, body, {
      "content-type": `multipart/form-data; boundary=${boundary}`,
    });
    expect(form.statusCode).toBe(413);
    expect(form.json().error.message).toMatch(/1 MB/);
    await admin.json("PATCH", "/api/settings", { version: s.body.version + 1, uploadLimitMb: 100 });

    const exe = Buffer.from("MZ this is not a clip at all, it is a program".repeat(20));
    const made = await create(ana, exe.length, { filename: "clip.exe", articleId });
    const refused = await patch(ana, String(made.headers.location), 0, exe);
    expect(refused.statusCode).toBe(415);
    expect(refused.body).toMatch(/allowed are images/);
    const left = await readdir(path.join(t.ctx.files.root, "resumable")).catch(() => []);
    expect(left.filter((f) => !f.endsWith(".json"))).not.toContain(String(made.headers.location).split("/").pop());
  });
});
