import { sql } from "drizzle-orm";
import type { z } from "zod";
import { articleTemplates } from "../../../db/schema";
import type { AppContext } from "../../context";
import { rows, type Executor } from "../../platform/db";
import { AppError, notFound } from "../../platform/errors";
import { authorize, can, type Actor } from "../../authz/policy";
import { visibleSpaceIds } from "../../authz/access";
import { recordAudit } from "../../platform/audit";
import type { TemplateIn, TemplateOut, TemplatePatch } from "./templates.schema";

/**
 * Article templates: readable by every signed-in person (they hold no private content: a template
 * is written for everyone), written by knowledge managers and admins, archived rather than deleted
 * so a space's default never points at nothing.
 */

type Row = {
  id: string;
  key: string | null;
  name: string;
  description: string;
  body: string;
  archived: boolean;
  version: number;
  updated_at: Date | string;
  updated_by: string | null;
  updated_by_name: string | null;
};

const SELECT = sql`select t.id, t.key, t.name, t.description, t.body, t.archived, t.version, t.updated_at,
    t.updated_by, u.name as updated_by_name
  from article_templates t left join users u on u.id = t.updated_by`;

async function present(db: Executor, actor: Actor, found: Row[]): Promise<TemplateOut[]> {
  const visible = await visibleSpaceIds(db, actor);
  const ids = found.map((t) => t.id);
  const defaults = ids.length
    ? await rows<{ id: string; name: string; template: string }>(
        db,
        sql`select id, name, default_template_id as template from spaces
            where default_template_id in (${sql.join(
              ids.map((i) => sql`${i}::uuid`),
              sql`, `,
            )}) order by name`,
      )
    : [];
  return found.map((t) => ({
    id: t.id,
    key: t.key,
    name: t.name,
    description: t.description,
    body: t.body,
    archived: t.archived,
    version: t.version,
    updatedAt: new Date(t.updated_at).toISOString(),
    updatedBy: t.updated_by ? { id: t.updated_by, name: t.updated_by_name ?? "" } : null,
    // Only the spaces the reader may see are named.
    defaultIn: defaults.filter((d) => d.template === t.id && visible.has(d.id)).map(({ id, name }) => ({ id, name })),
  }));
}

export async function listTemplates(ctx: AppContext, actor: Actor, archived: boolean) {
  const canManage = can(actor, "manageTemplates", { kind: "instance" });
  const found = await rows<Row>(
    ctx.db,
    sql`${SELECT} where t.archived = false or (${archived && canManage}) order by t.archived, t.key is null, t.name`,
  );
  return { items: await present(ctx.db, actor, found), canManage };
}

async function load(db: Executor, id: string): Promise<Row> {
  const [t] = await rows<Row>(db, sql`${SELECT} where t.id = ${id}::uuid`);
  if (!t) throw notFound("Template not found");
  return t;
}

export async function getTemplate(ctx: AppContext, actor: Actor, id: string) {
  const t = await load(ctx.db, id);
  if (t.archived && !can(actor, "manageTemplates", { kind: "instance" })) throw notFound("Template not found");
  return (await present(ctx.db, actor, [t]))[0];
}

export async function createTemplate(ctx: AppContext, actor: Actor, input: z.infer<typeof TemplateIn>) {
  authorize(actor, "manageTemplates", { kind: "instance" });
  const now = ctx.now();
  const id = await ctx.db.transaction(async (tx) => {
    const [t] = await tx
      .insert(articleTemplates)
      .values({ ...input, createdBy: actor.id, updatedBy: actor.id, createdAt: now, updatedAt: now })
      .returning({ id: articleTemplates.id });
    await recordAudit(tx, {
      actorId: actor.id,
      action: "template.create",
      subjectType: "template",
      subjectId: t.id,
      detail: input.name,
      at: now,
    });
    return t.id;
  });
  return getTemplate(ctx, actor, id);
}

export async function updateTemplate(ctx: AppContext, actor: Actor, id: string, input: z.infer<typeof TemplatePatch>) {
  authorize(actor, "manageTemplates", { kind: "instance" });
  const { version, ...set } = input;
  const now = ctx.now();
  await ctx.db.transaction(async (tx) => {
    const [updated] = await tx
      .update(articleTemplates)
      .set({ ...set, version: sql`${articleTemplates.version} + 1`, updatedBy: actor.id, updatedAt: now })
      .where(sql`${articleTemplates.id} = ${id}::uuid and ${articleTemplates.version} = ${version}`)
      .returning({ id: articleTemplates.id });
    if (!updated) {
      await load(tx, id);
      throw new AppError("conflict", "Someone changed this template in the meantime; reload to see their version");
    }
    // An archived template stops being any space's default.
    if (set.archived)
      await tx.execute(sql`update spaces set default_template_id = null where default_template_id = ${id}::uuid`);
    await recordAudit(tx, {
      actorId: actor.id,
      action: set.archived ? "template.archive" : "template.update",
      subjectType: "template",
      subjectId: id,
      detail: Object.keys(set).join(", "),
      at: now,
    });
  });
  return getTemplate(ctx, actor, id);
}
