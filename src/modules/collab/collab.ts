import { randomUUID } from "node:crypto";
import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import type { FastifyInstance } from "fastify";
import { Hocuspocus, type Document } from "@hocuspocus/server";
import * as decoding from "lib0/decoding";
import { applyAwarenessUpdate, encodeAwarenessUpdate } from "y-protocols/awareness";
import pg from "pg";
import { sql } from "drizzle-orm";
import { WebSocketServer } from "ws";
import * as Y from "yjs";
import type { AppContext } from "../../context";
import { rows } from "../../platform/db";
import { can, type Actor } from "../../authz/policy";
import { findArticle, findRevisionText, loadArticle } from "../knowledge/articles.queries";
import { updateArticle } from "../knowledge/articles.service";
import { mergeBody } from "../../domain/merge/three-way";
import { markdownToYDoc, replaceContent, yDocToMarkdown } from "./markdown-doc";

/**
 * Real-time co-editing of articles: Yjs documents served by Hocuspocus over a WebSocket at
 * /api/collab, one document per article ("article:<id>").
 *
 * - Who: a signed-in person (the session cookie, from the same origin) who may edit the article.
 * - Durable before acknowledged: every change a client sends is appended to article_collab_updates
 *   before Hocuspocus applies and acknowledges it; a loaded document is the last snapshot plus
 *   those updates, so a restart loses nothing acknowledged (Yjs updates merge in any order, twice
 *   is harmless).
 * - Several instances on one PostgreSQL server: an instance announces each appended update with
 *   NOTIFY; the others apply it to the document if they hold it, and their clients see it.
 * - Revisions: when a document has been quiet for `idleMs` (or its last editor leaves), its
 *   Markdown becomes a revision of the article, with everyone who contributed. If the article was
 *   saved meanwhile through the API (the version-and-409 rule for whole-article writers), the two
 *   are merged line by line and both sides of an overlap are kept, so nothing is lost.
 */

const CHANNEL = "knowhow_collab";
/** Who is where in a document (cursors, names): relayed between instances, never stored. */
const AWARENESS_CHANNEL = "knowhow_collab_awareness";
const REMOTE = "knowhow-remote";
const SERVER = "knowhow-server";
const MSG_SYNC = 0;
const SYNC_STEP2 = 1;
const SYNC_UPDATE = 2;

type Context = { actor: Actor };
type Pending = { contributors: Set<string>; lastEditor: string | null; timer: NodeJS.Timeout | null };

export type Collab = {
  hocuspocus: Hocuspocus;
  /** Records the revision of every open document now (tests; shutdown). */
  flush: () => Promise<void>;
  close: () => Promise<void>;
};

const articleIdOf = (name: string) => {
  const m = /^article:([0-9a-f-]{36})$/i.exec(name);
  return m ? m[1].toLowerCase() : null;
};

/** The Yjs update a client message carries (sync step 2 or update), or null for any other message. */
function updateOf(message: Uint8Array): Uint8Array | null {
  try {
    const d = decoding.createDecoder(message);
    decoding.readVarString(d);
    if (decoding.readVarUint(d) !== MSG_SYNC) return null;
    const type = decoding.readVarUint(d);
    if (type !== SYNC_STEP2 && type !== SYNC_UPDATE) return null;
    return decoding.readVarUint8Array(d);
  } catch {
    return null;
  }
}

/** A line merge keeping both sides of an overlap (the API's text first): nothing is lost. */
function merge(base: string, theirs: string, ours: string): string {
  return mergeBody(base, theirs, ours)
    .hunks.flatMap((h) => (h.kind === "ok" ? h.lines : [...h.theirs, ...h.mine]))
    .join("\n");
}

const bytes = (v: unknown) => (v instanceof Uint8Array ? v : new Uint8Array(v as ArrayBuffer));

export async function startCollab(
  ctx: AppContext,
  app: FastifyInstance,
  resolveSession: (token: string) => Promise<{ actor: Actor } | null>,
  options: { idleMs?: number } = {},
): Promise<Collab> {
  const idleMs = options.idleMs ?? Number(process.env.KNOWHOW_COLLAB_IDLE_MS ?? 20_000);
  const instanceId = randomUUID();
  const pending = new Map<string, Pending>();
  const saving = new Map<string, Promise<void>>();

  const pendingOf = (name: string) => {
    let p = pending.get(name);
    if (!p) pending.set(name, (p = { contributors: new Set(), lastEditor: null, timer: null }));
    return p;
  };

  async function actorById(id: string): Promise<Actor | null> {
    const [u] = await rows<{ id: string; role: Actor["role"]; name: string; knowledge_manager: boolean }>(
      ctx.db,
      sql`select id, role, name, knowledge_manager from users where id = ${id} and deactivated_at is null`,
    );
    return u ? { id: u.id, role: u.role, name: u.name, knowledgeManager: u.knowledge_manager } : null;
  }

  /** The document's Markdown as a revision of the article (merged if the article moved on meanwhile). */
  async function recordRevision(name: string, document: Y.Doc): Promise<void> {
    const articleId = articleIdOf(name)!;
    const p = pendingOf(name);
    if (p.timer) clearTimeout(p.timer);
    p.timer = null;
    if (!p.lastEditor) return;
    const contributors = [...p.contributors];
    const editorId = p.lastEditor;
    const article = await findArticle(ctx.db, articleId);
    const [state] = await rows<{ base_version: number }>(
      ctx.db,
      sql`select base_version from article_collab where article_id = ${articleId}`,
    );
    if (!article || article.deleted_at) return;
    const ours = yDocToMarkdown(document);
    let body = ours;
    if (state && article.version !== state.base_version) {
      // Saved through the API meanwhile: merge (the API's text, then ours, where both changed a line).
      const base = (await findRevisionText(ctx.db, articleId, state.base_version))?.body ?? article.body;
      body = merge(base, article.body, body);
      if (body !== ours) replaceContent(document, body, SERVER);
    }
    p.contributors.clear();
    p.lastEditor = null;
    let version = article.version;
    if (body !== article.body) {
      const actor = await actorById(editorId);
      if (!actor) return;
      const names = await rows<{ name: string }>(
        ctx.db,
        sql`select name from users where id in (${sql.join(
          contributors.map((c) => sql`${c}::uuid`),
          sql`, `,
        )}) order by name`,
      );
      const saved = await updateArticle(ctx, actor, articleId, {
        version: article.version,
        title: article.title,
        tags: article.tags,
        body,
        note: `Edited together: ${names.map((n) => n.name).join(", ")}`,
        contributors,
      });
      version = saved.version;
    }
    await ctx.db.execute(
      sql`insert into article_collab (article_id, state, base_version, updated_at)
          values (${articleId}, ${Buffer.from(Y.encodeStateAsUpdate(document))}, ${version}, ${ctx.now().toISOString()}::timestamptz)
          on conflict (article_id) do update set state = excluded.state, base_version = excluded.base_version, updated_at = excluded.updated_at`,
    );
  }

  const save = (name: string, document: Y.Doc) => {
    const run = (saving.get(name) ?? Promise.resolve())
      .then(() => recordRevision(name, document))
      .catch((e: unknown) => app.log.error(e, `co-editing: recording a revision of ${name} failed`));
    saving.set(name, run);
    return run;
  };

  const hocuspocus = new Hocuspocus({
    name: instanceId,
    quiet: true,
    debounce: 2000,
    maxDebounce: 10_000,
    async onAuthenticate({ requestHeaders, documentName }) {
      const articleId = articleIdOf(documentName);
      if (!articleId) throw new Error("Unknown document");
      const raw = app.parseCookie(requestHeaders.cookie ?? "").kh_session;
      const unsigned = raw ? app.unsignCookie(raw) : null;
      const session = unsigned?.valid && unsigned.value ? await resolveSession(unsigned.value) : null;
      if (!session) throw new Error("Sign in to edit");
      const { subject } = await loadArticle(ctx.db, session.actor, articleId);
      if (!can(session.actor, "update", subject)) throw new Error("You may not edit this article");
      return { actor: session.actor } satisfies Context;
    },
    async onLoadDocument({ documentName, document }) {
      const articleId = articleIdOf(documentName)!;
      const article = await findArticle(ctx.db, articleId);
      if (!article) throw new Error("Article not found");
      const [state] = await rows<{ state: Uint8Array; base_version: number }>(
        ctx.db,
        sql`select state, base_version from article_collab where article_id = ${articleId}`,
      );
      const updates = await rows<{ update: Uint8Array }>(
        ctx.db,
        sql`select update from article_collab_updates where article_id = ${articleId} order by id`,
      );
      if (!state) {
        // First opened: the article's Markdown.
        Y.applyUpdate(document, Y.encodeStateAsUpdate(markdownToYDoc(article.body)), SERVER);
        await ctx.db.execute(
          sql`insert into article_collab (article_id, state, base_version) values (${articleId}, ${Buffer.from(Y.encodeStateAsUpdate(document))}, ${article.version})
              on conflict (article_id) do update set state = excluded.state, base_version = excluded.base_version`,
        );
        await ctx.db.execute(sql`delete from article_collab_updates where article_id = ${articleId}`);
        return document;
      }
      Y.applyUpdate(document, bytes(state.state), SERVER);
      for (const u of updates) Y.applyUpdate(document, bytes(u.update), SERVER);
      if (state.base_version !== article.version) {
        // Saved through the API since the last co-edited revision: take that text in, merged with
        // any co-edited change not yet recorded (which then becomes the next revision).
        const ours = yDocToMarkdown(document);
        const base = (await findRevisionText(ctx.db, articleId, state.base_version))?.body ?? ours;
        if (ours === base) replaceContent(document, article.body, SERVER);
        else {
          replaceContent(document, merge(base, article.body, ours), SERVER);
          const editors = await rows<{ user_id: string }>(
            ctx.db,
            sql`select distinct on (user_id) user_id from article_collab_updates
                where article_id = ${articleId} and user_id is not null order by user_id, id desc`,
          );
          const p = pendingOf(documentName);
          for (const e of editors) p.contributors.add(e.user_id);
          p.lastEditor = editors[0]?.user_id ?? null;
        }
        await ctx.db.execute(
          sql`update article_collab set state = ${Buffer.from(Y.encodeStateAsUpdate(document))}, base_version = ${article.version}
              where article_id = ${articleId}`,
        );
      }
      return document;
    },
    async beforeHandleMessage({ documentName, update, context }) {
      const change = updateOf(update);
      if (!change) return;
      const articleId = articleIdOf(documentName)!;
      const [row] = await rows<{ id: number }>(
        ctx.db,
        sql`insert into article_collab_updates (article_id, update, user_id)
            values (${articleId}, ${Buffer.from(change)}, ${(context as Context).actor.id}) returning id`,
      );
      if (ctx.database.kind === "postgres")
        await ctx.db.execute(sql`select pg_notify(${CHANNEL}, ${`${instanceId} ${articleId} ${row.id}`})`);
    },
    async onChange({ documentName, context, transactionOrigin }) {
      if (transactionOrigin === REMOTE || transactionOrigin === SERVER) return;
      const actor = (context as Partial<Context>).actor;
      if (!actor) return;
      const p = pendingOf(documentName);
      p.contributors.add(actor.id);
      p.lastEditor = actor.id;
      if (p.timer) clearTimeout(p.timer);
      const document = hocuspocus.documents.get(documentName);
      if (document) p.timer = setTimeout(() => void save(documentName, document), idleMs);
    },
    async onStoreDocument({ documentName, document }) {
      const articleId = articleIdOf(documentName)!;
      // A snapshot bounds the updates replayed on the next load (kept an hour: other instances may still need them).
      await ctx.db.execute(
        sql`update article_collab set state = ${Buffer.from(Y.encodeStateAsUpdate(document))}, updated_at = ${ctx.now().toISOString()}::timestamptz
            where article_id = ${articleId}`,
      );
      await ctx.db.execute(
        sql`delete from article_collab_updates where article_id = ${articleId} and created_at < ${new Date(ctx.now().getTime() - 3_600_000).toISOString()}::timestamptz`,
      );
    },
    async afterLoadDocument({ documentName, document }) {
      if (ctx.database.kind !== "postgres") return;
      // This instance's people's cursors and names go to the other instances' clients of the document
      // (what came from another instance is not sent back).
      document.awareness.on(
        "update",
        ({ added, updated, removed }: { added: number[]; updated: number[]; removed: number[] }, origin: unknown) => {
          if (origin === REMOTE) return;
          const changed = [...added, ...updated, ...removed];
          const update = Buffer.from(encodeAwarenessUpdate(document.awareness, changed)).toString("base64");
          // NOTIFY payloads stop at 8,000 bytes; a cursor update is a few hundred.
          if (update.length > 7_000) return;
          void ctx.db
            .execute(sql`select pg_notify(${AWARENESS_CHANNEL}, ${`${instanceId} ${documentName} ${update}`})`)
            .catch((e: unknown) => app.log.error(e, "co-editing: relaying cursors failed"));
        },
      );
    },
    async onDisconnect({ documentName, clientsCount, document }) {
      if (clientsCount === 0) await save(documentName, document);
    },
  });

  // Other instances' changes (PostgreSQL only: the embedded database has one instance).
  let listener: pg.Client | null = null;
  if (ctx.database.kind === "postgres" && ctx.database.url) {
    listener = new pg.Client({ connectionString: ctx.database.url });
    await listener.connect();
    listener.on("error", (e) => app.log.error(e, "co-editing: the change listener lost its connection"));
    listener.on("notification", (n) => {
      if (n.channel === AWARENESS_CHANNEL) {
        const [from, documentName, update] = (n.payload ?? "").split(" ");
        const document: Document | undefined = hocuspocus.documents.get(documentName);
        if (from === instanceId || !document || !update) return;
        try {
          applyAwarenessUpdate(document.awareness, Buffer.from(update, "base64"), REMOTE);
        } catch (e) {
          app.log.error(e, "co-editing: another instance's cursors could not be read");
        }
        return;
      }
      const [from, articleId, id] = (n.payload ?? "").split(" ");
      if (from === instanceId) return;
      const document: Document | undefined = hocuspocus.documents.get(`article:${articleId}`);
      if (!document) return;
      void rows<{ update: Uint8Array }>(ctx.db, sql`select update from article_collab_updates where id = ${Number(id)}`)
        .then(([u]) => u && Y.applyUpdate(document, bytes(u.update), REMOTE))
        .catch((e: unknown) => app.log.error(e, "co-editing: applying another instance's change failed"));
    });
    await listener.query(`LISTEN ${CHANNEL}`);
    await listener.query(`LISTEN ${AWARENESS_CHANNEL}`);
  }

  // The WebSocket: same origin only (a cookie is sent by any site's page), then Hocuspocus.
  const wss = new WebSocketServer({ noServer: true, maxPayload: 16 * 1024 * 1024 });
  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(req.url ?? "/", "http://x");
    if (url.pathname !== "/api/collab") return;
    const origin = req.headers.origin;
    if (origin && new URL(origin).host !== req.headers.host) {
      socket.write("HTTP/1.1 403 Forbidden\r\n\r\n");
      socket.destroy();
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => hocuspocus.handleConnection(ws, req));
  };
  app.server.on("upgrade", onUpgrade);

  const flush = async () => {
    await Promise.all([...hocuspocus.documents.entries()].map(([name, doc]) => save(name, doc)));
    await Promise.all(saving.values());
  };

  return {
    hocuspocus,
    flush,
    async close() {
      app.server.off("upgrade", onUpgrade);
      for (const p of pending.values()) if (p.timer) clearTimeout(p.timer);
      await flush();
      hocuspocus.closeConnections();
      wss.close();
      if (listener) await listener.end();
    },
  };
}
