import { z } from "zod";
import { PersonOut } from "../accounts/accounts.schema";
import { ArticleSummaryOut } from "./articles.schema";

/** A person's page: the person (accounts) with the articles they own that the viewer may read. */
export const PersonProfileOut = PersonOut.extend({ articles: z.array(ArticleSummaryOut) });
