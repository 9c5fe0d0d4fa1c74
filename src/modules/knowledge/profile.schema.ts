import { z } from "zod";
import { PersonOut } from "../accounts/accounts.schema";
import { ArticleSummaryOut } from "./articles.schema";
import { endpoint } from "../../platform/endpoints";

/** A person's page: the person (accounts) with the articles they own that the viewer may read. */
export const PersonProfileOut = PersonOut.extend({ articles: z.array(ArticleSummaryOut) });

const Id = z.object({ id: z.string().uuid() });
/** The endpoints of profile.routes.ts. */
export const profileEndpoints = {
  getPeopleById: endpoint({ method: "GET", path: "/people/:id", params: Id, response: PersonProfileOut }),
};
