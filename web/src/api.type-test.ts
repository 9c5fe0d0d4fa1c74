// Type-level tests of the typed client, checked by `npm run typecheck` (never run, never bundled):
// arguments and answers come from the server's schemas, and a wrong call does not compile.
import { call, routes, urlFor } from "./api";

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
const expectType = <T extends true>(_: T) => undefined;

export async function typeTests(): Promise<void> {
  // The answer's type is inferred from the response schema.
  const audit = await call(routes.audit.getAudit, { query: { limit: 50 } });
  expectType<Equal<(typeof audit.items)[number]["action"], string>>(true);
  void audit.items.length;
  const article = await call(routes.articles.getArticlesById, { params: { id: "x" } });
  article.title.toUpperCase();
  // @ts-expect-error: no such field in the answer
  void article.notAField;

  // Path params are required where the path has them, and typed.
  // @ts-expect-error: params missing
  await call(routes.articles.getArticlesById);
  // @ts-expect-error: wrong param name
  await call(routes.articles.getArticlesById, { params: { articleId: "x" } });

  // Bodies are typed from the body schema (z.input).
  await call(routes.qa.postQuestionsVote, { params: { id: "x" }, body: { value: 1 } });
  // @ts-expect-error: body missing
  await call(routes.qa.postQuestionsVote, { params: { id: "x" } });
  // @ts-expect-error: wrong type in the body
  await call(routes.qa.postQuestionsVote, { params: { id: "x" }, body: { value: "up" } });
  // @ts-expect-error: this endpoint takes no body
  await call(routes.articles.getTrash, { body: { x: 1 } });

  // Query values are typed too; an endpoint whose query is all optional needs no arguments.
  await call(routes.audit.getAudit);
  // @ts-expect-error: unknown query parameter
  await call(routes.audit.getAudit, { query: { lmit: 5 } });

  // URLs for links, downloads and event streams.
  const href: string = urlFor(routes.attachments.getAttachmentsById, { params: { id: "x" } });
  void href;
  // @ts-expect-error: the attachment's id is missing
  urlFor(routes.attachments.getAttachmentsById);
  // @ts-expect-error: the network export's level is one of two values
  urlFor(routes.network.getNetworkExportCsv, { query: { level: "team" } });
}
