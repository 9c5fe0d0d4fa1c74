import { z } from "zod";
import { endpoint } from "../../platform/endpoints";

const PageId = z.string().uuid("must be a page id");

export const SpaceTreeParams = z.object({ id: z.string().uuid() });

/** A page of the tree as the reader sees it, in display order (depth first). */
export const TreePageOut = z.object({
  id: z.string(),
  title: z.string(),
  status: z.enum(["draft", "published"]),
  /** The nearest ancestor the reader may read (null: top level). */
  parentId: z.string().nullable(),
  depth: z.number(),
});
export type TreePageOut = z.infer<typeof TreePageOut>;
/** A space's page tree: only pages the reader may read; `canEdit`: they may create and move pages here. */
export const SpaceTreeOut = z.object({
  spaceId: z.string(),
  canEdit: z.boolean(),
  items: z.array(TreePageOut),
});
export type SpaceTreeOut = z.infer<typeof SpaceTreeOut>;

/**
 * Move a page: under `parentId` (null: top level) of `spaceId` (default: its own space), right
 * after the sibling `afterId` (null: first). `from` is where the mover saw it — its space and its
 * parent as their tree showed it; a page moved by somebody else since then answers 409.
 */
export const MovePageIn = z.object({
  spaceId: z.string().uuid("must be a space id").optional(),
  parentId: PageId.nullable(),
  afterId: PageId.nullable().default(null),
  from: z.object({ spaceId: z.string().uuid("must be a space id"), parentId: PageId.nullable() }),
});
export type MovePageIn = z.infer<typeof MovePageIn>;
/** The moved page and the tree of the space it is now in. */
export const MovePageOut = z.object({
  id: z.string(),
  spaceId: z.string(),
  parentId: z.string().nullable(),
  tree: SpaceTreeOut,
});

/** An ancestor on an article's breadcrumb trail (only those the reader may read, top first). */
export const BreadcrumbOut = z.object({ id: z.string(), title: z.string() });

/** An article (a page of the tree) in a path (the same as articles.schema.ts's ArticleParams). */
const PageParams = z.object({ id: z.string().uuid() });
/** The endpoints of tree.routes.ts. */
export const treeEndpoints = {
  getSpacesTree: endpoint({ method: "GET", path: "/spaces/:id/tree", params: SpaceTreeParams, response: SpaceTreeOut }),
  postArticlesMove: endpoint({
    method: "POST",
    path: "/articles/:id/move",
    params: PageParams,
    body: MovePageIn,
    response: MovePageOut,
  }),
};
