import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type Client, type TestApp } from "../support/app";
import { closeTemplates, testBackends } from "../support/databases";

afterAll(closeTemplates);

const PNG = Buffer.from(
  "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8ffff3f0005fe02fea7d6a4ad0000000049454e44ae426082",
  "hex",
);
const MP4 = Buffer.concat([Buffer.from("0000001866747970", "hex"), Buffer.from("mp42"), Buffer.alloc(2000, 7)]);

function form(name: string, content: Buffer) {
  const boundary = "----kh";
  return {
    body: Buffer.concat([
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
      ),
      content,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]),
    headers: { "content-type": `multipart/form-data; boundary=${boundary}` },
  };
}

describe.each(testBackends())("attachments on %s", (backend) => {
  let t: TestApp;
  let c: Client;
  let articleId: string;

  beforeAll(async () => {
    t = await createTestApp(backend);
    const u = await t.newUser();
    const space = await t.newSpace(u.id);
    c = await t.login(u.email);
    articleId = (
      await c.json<{ id: string }>("POST", "/api/articles", {
        spaceId: space.id,
        title: "How to calibrate",
        body: "Watch the clip.",
      })
    ).body.id;
  });
  afterAll(async () => t.close());

  const upload = (name: string, content: Buffer) => {
    const f = form(name, content);
    return c.request("POST", `/api/attachments?articleId=${articleId}`, f.body, f.headers);
  };

  it("stores an image and serves it back with its real type", async () => {
    const res = await upload("diagram.png", PNG);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ kind: "image", mime: "image/png", size: PNG.length });
    const got = await c.request("GET", res.json().url);
    expect(got.statusCode).toBe(200);
    expect(got.headers["content-type"]).toBe("image/png");
    expect(got.rawPayload.equals(PNG)).toBe(true);
    const article = await c.json<{ attachments: { id: string }[] }>("GET", `/api/articles/${articleId}`);
    expect(article.body.attachments.map((a) => a.id)).toContain(res.json().id);
  });

  it("serves video with byte ranges so it plays and seeks in the page", async () => {
    const res = await upload("calibration.mp4", MP4);
    expect(res.json()).toMatchObject({ kind: "video", mime: "video/mp4" });
    const part = await c.request("GET", res.json().url, undefined, { range: "bytes=0-99" });
    expect(part.statusCode).toBe(206);
    expect(part.headers["content-range"]).toBe(`bytes 0-99/${MP4.length}`);
    expect(part.rawPayload.length).toBe(100);
    const bad = await c.request("GET", res.json().url, undefined, { range: `bytes=${MP4.length + 10}-` });
    expect(bad.statusCode).toBe(416);
  });

  it("judges the type by content, not by name", async () => {
    const html = await upload("innocent.png", Buffer.from("<html><script>alert(1)</script></html>"));
    expect(html.statusCode).toBe(415);
    const exe = await upload("tool.exe", Buffer.from("MZ\x90\x00rest"));
    expect(exe.statusCode).toBe(415);
    const text = await upload("notes.txt", Buffer.from("plain notes"));
    expect(text.statusCode).toBe(200);
    expect(text.json().mime).toContain("text/plain");
  });

  it("enforces the per-kind size limit", async () => {
    const big = Buffer.concat([PNG.subarray(0, 16), Buffer.alloc(10 * 1024 * 1024 + 10)]);
    const res = await upload("huge.png", big);
    expect(res.statusCode).toBe(413);
    expect(res.json().error.message).toContain("10 MB");
  });

  it("rejects an upload without a file or to an unknown article", async () => {
    const res = await c.request("POST", `/api/attachments?articleId=${articleId}`, { x: 1 });
    expect(res.statusCode).toBe(415);
    const f = form("a.png", PNG);
    const missing = await c.request(
      "POST",
      `/api/attachments?articleId=00000000-0000-4000-8000-000000000000`,
      f.body,
      f.headers,
    );
    expect(missing.statusCode).toBe(404);
  });
});
