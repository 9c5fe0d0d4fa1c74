// The API's route table: every endpoint of every module, as declared in the modules' `*.schema.ts`
// (method, path below /api, and the zod schemas of params, query, body and responses). The server
// registers its routes from these declarations (platform/route.ts); the web app's typed client reads
// their types (web/src/api.ts) and a generated list of methods and paths (web/src/api-routes.ts,
// `npm run gen:api`). A new endpoint is declared in its module's table; a new table is added here.
import { accountsEndpoints, peopleEndpoints } from "./modules/accounts/accounts.schema";
import { auditEndpoints } from "./modules/audit/audit.schema";
import { communitiesEndpoints } from "./modules/communities/communities.schema";
import { sessionsEndpoints } from "./modules/sessions/sessions.schema";
import { feedbackEndpoints } from "./modules/feedback/feedback.schema";
import { expertiseEndpoints } from "./modules/expertise/expertise.schema";
import { healthEndpoints } from "./modules/health/health.schema";
import { articlesEndpoints, attachmentsEndpoints, uploadsEndpoints } from "./modules/knowledge/articles.schema";
import { articleCommentsEndpoints } from "./modules/knowledge/comments.schema";
import { mentionsEndpoints } from "./modules/mentions/mentions.schema";
import { profileEndpoints } from "./modules/knowledge/profile.schema";
import { treeEndpoints } from "./modules/knowledge/tree.schema";
import { lessonsEndpoints } from "./modules/lessons/lessons.schema";
import { mentoringEndpoints } from "./modules/mentoring/mentoring.schema";
import { workgroupsEndpoints } from "./modules/workgroups/workgroups.schema";
import { pathsEndpoints } from "./modules/paths/paths.schema";
import { cohortsEndpoints } from "./modules/paths/cohorts.schema";
import { templatesEndpoints } from "./modules/knowledge/templates.schema";
import { settingsEndpoints } from "./modules/settings/settings.schema";
import { webhooksEndpoints } from "./modules/webhooks/webhooks.schema";
import { tokensEndpoints } from "./modules/tokens/tokens.schema";
import { lrsEndpoints } from "./modules/xapi/lrs.schema";
import { wolEndpoints } from "./modules/lessons/wol.schema";
import { networkEndpoints } from "./modules/network/network.schema";
import { qaEndpoints } from "./modules/qa/qa.schema";
import { routingEndpoints } from "./modules/routing/routing.schema";
import { searchEndpoints } from "./modules/search/search.schema";
import { sidekickEndpoints } from "./modules/sidekick/sidekick.schema";
import { spacesEndpoints } from "./modules/spaces/spaces.schema";
import { ssoEndpoints } from "./modules/sso/sso.schema";
import { verificationEndpoints } from "./modules/verification/verification.schema";

/** The prefix every route is registered under (app.ts). */
export const API_PREFIX = "/api";

export const routes = {
  accounts: accountsEndpoints,
  people: peopleEndpoints,
  audit: auditEndpoints,
  communities: communitiesEndpoints,
  sessions: sessionsEndpoints,
  feedback: feedbackEndpoints,
  expertise: expertiseEndpoints,
  health: healthEndpoints,
  articles: articlesEndpoints,
  attachments: attachmentsEndpoints,
  uploads: uploadsEndpoints,
  articleComments: articleCommentsEndpoints,
  mentions: mentionsEndpoints,
  profile: profileEndpoints,
  tree: treeEndpoints,
  lessons: lessonsEndpoints,
  mentoring: mentoringEndpoints,
  workgroups: workgroupsEndpoints,
  paths: pathsEndpoints,
  cohorts: cohortsEndpoints,
  templates: templatesEndpoints,
  settings: settingsEndpoints,
  webhooks: webhooksEndpoints,
  tokens: tokensEndpoints,
  lrs: lrsEndpoints,
  wol: wolEndpoints,
  network: networkEndpoints,
  qa: qaEndpoints,
  routing: routingEndpoints,
  search: searchEndpoints,
  sidekick: sidekickEndpoints,
  spaces: spacesEndpoints,
  sso: ssoEndpoints,
  verification: verificationEndpoints,
};
export type ApiRoutes = typeof routes;
