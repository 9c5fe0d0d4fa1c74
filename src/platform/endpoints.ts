import type { z } from "zod";

// The API's route table is made of these: one declaration per endpoint (method, path and the zod
// schemas of its params, query, body and responses) in the feature's `*.schema.ts`. The server
// registers each route from its declaration (platform/route.ts) and the web app's typed client calls
// it (web/src/api.ts), so neither can drift from the contract. Pure: no Fastify, no Node.

export type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

/** A response that is not a zod schema: a file or a stream, documented by media type (rawResponse). */
export type RawResponse = { description: string; content: Record<string, unknown> };
export type ResponseSchema = z.ZodType | RawResponse;

export type EndpointSpec = {
  method: Method;
  /** Below /api, with `:name` for each path parameter (`/articles/:id`). */
  path: string;
  params?: z.ZodType;
  query?: z.ZodType;
  body?: z.ZodType;
  /** The success answer's body. */
  response: ResponseSchema;
  /** The success answer's status code (200 unless given; 302 for a redirect). */
  status?: 200 | 201 | 204 | 302;
  /** Other answers with a body of their own (a 409 conflict, a 206 range…), by status code. */
  other?: Record<number, ResponseSchema>;
};

/** Declares one endpoint; the literal types are kept (the client infers its arguments and answer from them). */
export function endpoint<const E extends EndpointSpec>(spec: E): E {
  return spec;
}

type Input<S> = S extends z.ZodType ? z.input<S> : never;
/** What the client sends: path params, query and body, as the schemas accept them (z.input). */
export type ParamsOf<E> = E extends { params: infer S } ? Input<S> : undefined;
export type QueryOf<E> = E extends { query: infer S } ? Input<S> : undefined;
export type BodyOf<E> = E extends { body: infer S } ? Input<S> : undefined;
/** What the server sends on success, as the client reads it (z.output); unknown for files and streams. */
export type ResponseOf<E> = E extends { response: infer S } ? (S extends z.ZodType ? z.output<S> : unknown) : never;
/** What a handler returns (before serialisation: z.input of the response schema). */
export type HandlerResultOf<E> = E extends { response: infer S } ? (S extends z.ZodType ? z.input<S> : unknown) : never;
