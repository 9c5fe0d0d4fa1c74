import type { FastifyInstance } from "fastify";
import type { AppContext } from "../../context";
import { XAPI_VERSIONS, setUpXapi } from "./xapi-http";
import { statementRoutes } from "./statements";
import { documentRoutes } from "./documents";

/**
 * The Learning Record Store at /xapi (xAPI 1.0.3 and 2.0.0): its own scope with raw bodies, the
 * version header and Basic authentication by LRS client (see xapi-http.ts). Outside /api: it speaks
 * xAPI, not Knowhow's API conventions, and is not in the route table.
 */
export const xapiRoutes = (ctx: AppContext) => async (app: FastifyInstance) => {
  setUpXapi(app, ctx);
  const noLimit = { rateLimit: false } as const;
  app.setNotFoundHandler((req, reply) =>
    reply.status(404).send({ error: { message: `No xAPI resource ${req.method} ${req.url.split("?")[0]}` } }),
  );

  await statementRoutes(app, ctx);

  app.get("/about", { config: noLimit }, async () => ({
    version: [XAPI_VERSIONS["2"], XAPI_VERSIONS["1"]],
    extensions: { "https://knowhow.dev/xapi/about": { product: "Knowhow" } },
  }));
  await documentRoutes(app, ctx);
};
