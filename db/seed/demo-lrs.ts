import { createHash, randomBytes } from "node:crypto";
import { sql } from "drizzle-orm";
import { lrsClients, xapiStatements } from "../schema";
import { rows, type Executor } from "../../src/platform/db";
import { eventUuid } from "../../src/modules/xapi/knowhow-statements";
import type { DemoOrg } from "./demo-org";

const DAY = 86_400_000;
const COURSES = [
  ["reach-truck-refresher", "Reach truck refresher"],
  ["manual-handling", "Manual handling basics"],
  ["gdpr-essentials", "GDPR essentials"],
  ["fire-warden", "Fire warden training"],
  ["dangerous-goods", "Dangerous goods awareness"],
] as const;

/**
 * The Learning Record Store alive on first start: an e-learning tool ("Safety e-learning", its secret
 * random and never shown — admins create their own clients) that has recorded completed courses for a
 * dozen colleagues over the last months, so their learning pages show formal learning and the admin
 * page shows a client in use. Knowhow's own statements are projected by the server itself.
 */
export async function loadDemoLrs(tx: Executor, org: DemoOrg, ids: Map<string, string>, now: Date): Promise<void> {
  const admin = ids.get(org.people.find((p) => p.email === org.adminEmail)!.key)!;
  const [client] = await tx
    .insert(lrsClients)
    .values({
      name: "Safety e-learning",
      key: "kh_demo_safety",
      secretHash: createHash("sha256").update(randomBytes(32)).digest("hex"),
      scopes: ["statements/write", "statements/read/mine"],
      createdBy: admin,
      createdAt: new Date(now.getTime() - 120 * DAY),
      lastUsedAt: new Date(now.getTime() - 2 * DAY),
    })
    .returning({ id: lrsClients.id });
  const people = await rows<{ id: string; email: string; name: string }>(
    tx,
    sql`select id, email, name from users where role = 'member' order by created_at, email limit 12`,
  );
  const authority = {
    objectType: "Agent",
    name: "Safety e-learning",
    account: { homePage: "https://knowhow.invalid", name: "kh_demo_safety" },
  };
  const values = people.flatMap((p, i) =>
    COURSES.slice(0, 1 + (i % 3)).map(([slug, title], k) => {
      const id = eventUuid(`demo-lrs:${p.id}:${slug}`);
      const at = new Date(now.getTime() - (5 + ((i * 13 + k * 29) % 150)) * DAY);
      const activityId = `https://elearning.example.org/courses/${slug}`;
      const ifi = `mbox:mailto:${p.email.toLowerCase()}`;
      return {
        id,
        stored: at,
        timestamp: at,
        actorIfi: ifi,
        verbId: "http://adlnet.gov/expapi/verbs/completed",
        activityId,
        registration: null,
        relatedAgents: [ifi, `actor:${ifi}`, "account:https://knowhow.invalid|kh_demo_safety"],
        relatedActivities: [activityId],
        voided: false,
        userId: p.id,
        clientId: client.id,
        statement: {
          id,
          actor: { objectType: "Agent", name: p.name, mbox: `mailto:${p.email}` },
          verb: { id: "http://adlnet.gov/expapi/verbs/completed", display: { "en-US": "completed" } },
          object: {
            objectType: "Activity",
            id: activityId,
            definition: { name: { "en-US": title }, type: "http://adlnet.gov/expapi/activities/course" },
          },
          result: { success: true, completion: true, score: { scaled: 0.7 + ((i + k) % 3) / 10 } },
          timestamp: at.toISOString(),
          stored: at.toISOString(),
          authority,
          version: "1.0.3",
        },
      };
    }),
  );
  if (values.length) await tx.insert(xapiStatements).values(values);
}
