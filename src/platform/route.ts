import type {
  FastifyBaseLogger,
  FastifyInstance,
  FastifyReply,
  FastifyRequest,
  RawReplyDefaultExpression,
  RawRequestDefaultExpression,
  RawServerDefault,
  RouteShorthandOptions,
} from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import type { z } from "zod";
import type { EndpointSpec, HandlerResultOf } from "./endpoints";

type ZodApp = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  ZodTypeProvider
>;
type Parsed<S> = S extends z.ZodType ? z.output<S> : unknown;
/** The request as the handler sees it: params, query and body parsed by the endpoint's schemas. */
export type RequestOf<E extends EndpointSpec> = FastifyRequest<{
  Params: Parsed<E["params"]>;
  Querystring: Parsed<E["query"]>;
  Body: Parsed<E["body"]>;
}>;
type Result<E extends EndpointSpec> = HandlerResultOf<E> | FastifyReply | void;
export type Handler<E extends EndpointSpec> = (
  req: RequestOf<E>,
  reply: FastifyReply,
) => Promise<Result<E>> | Result<E>;
/** Route options other than the schema (which comes from the endpoint): `config` (rate limits, CSRF exemption). */
export type RouteOptions = Omit<RouteShorthandOptions, "schema">;

/**
 * Registers the route of a declared endpoint: method, path and the Fastify schema (params, querystring,
 * body, responses by status) all come from the declaration, so the route cannot drift from its contract.
 */
export function on<const E extends EndpointSpec>(app: ZodApp, ep: E, handler: Handler<E>, options: RouteOptions = {}) {
  const schema: Record<string, unknown> = { response: { [ep.status ?? 200]: ep.response, ...ep.other } };
  if (ep.params) schema.params = ep.params;
  if (ep.query) schema.querystring = ep.query;
  if (ep.body) schema.body = ep.body;
  app.route({ ...options, method: ep.method, url: ep.path, schema, handler: handler as never });
}
