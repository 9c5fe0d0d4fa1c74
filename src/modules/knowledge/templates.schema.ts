import { z } from "zod";
import { endpoint } from "../../platform/endpoints";
import { DateTime, PersonRef, Version } from "../../platform/contracts";

const Name = z.string().trim().min(2, "must be at least 2 characters").max(80, "must be at most 80 characters");
const Description = z.string().trim().max(300, "must be at most 300 characters");
const Body = z
  .string()
  .max(50_000, "must be at most 50,000 characters")
  .refine((b) => b.trim().length > 0, {
    message: "must not be empty",
  });

export const TemplateIn = z.object({ name: Name, description: Description.default(""), body: Body }).strict();
export const TemplatePatch = z
  .object({
    version: Version,
    name: Name.optional(),
    description: Description.optional(),
    body: Body.optional(),
    archived: z.boolean().optional(),
  })
  .strict();

export const TemplateOut = z.object({
  id: z.string(),
  /** Built-in templates have a key (how-to, troubleshooting, …); the organisation's own have none. */
  key: z.string().nullable(),
  name: z.string(),
  description: z.string(),
  body: z.string(),
  archived: z.boolean(),
  version: z.number(),
  updatedAt: DateTime,
  updatedBy: PersonRef.nullable(),
  /** Spaces (that the reader may see) starting new articles from it. */
  defaultIn: z.array(z.object({ id: z.string(), name: z.string() })),
});
export type TemplateOut = z.infer<typeof TemplateOut>;
export const TemplateListOut = z.object({ items: z.array(TemplateOut), canManage: z.boolean() });
export const TemplateListQuery = z.object({
  archived: z
    .enum(["true", "false"])
    .default("false")
    .transform((v) => v === "true"),
});

const Id = z.object({ id: z.string().uuid() });

/** The endpoints of templates.routes.ts. */
export const templatesEndpoints = {
  getTemplates: endpoint({ method: "GET", path: "/templates", query: TemplateListQuery, response: TemplateListOut }),
  postTemplates: endpoint({ method: "POST", path: "/templates", body: TemplateIn, response: TemplateOut, status: 201 }),
  getTemplatesById: endpoint({ method: "GET", path: "/templates/:id", params: Id, response: TemplateOut }),
  patchTemplatesById: endpoint({
    method: "PATCH",
    path: "/templates/:id",
    params: Id,
    body: TemplatePatch,
    response: TemplateOut,
  }),
};
