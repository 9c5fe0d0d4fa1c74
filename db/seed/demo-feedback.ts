import { createHash, randomBytes } from "node:crypto";
import { feedbackAnswers, feedbackRecipients, feedbackRequests } from "../schema";
import type { Executor } from "../../src/platform/db";
import type { DemoOrg, DemoPerson } from "./demo-org";

const DAY = 86_400_000;
const ticket = () => createHash("sha256").update(randomBytes(24)).digest("base64url");

/**
 * Feedback in the demo: an anonymous request with a released round (and one answer still held back),
 * a named request answered by one person, a manager's standing "what should I hear?" request, and a
 * request waiting for the demo admin's answer (due tomorrow, so it is a reminder in the inbox).
 * Anonymous answers are inserted as the app stores them: no author, no time, a round once released.
 */
export async function loadDemoFeedback(tx: Executor, org: DemoOrg, ids: Map<string, string>, now: Date) {
  const id = (p: DemoPerson) => ids.get(p.key)!;
  const members = org.people.filter((p) => p.role === "member");
  const admin = org.people.find((p) => p.email === org.adminEmail)!;
  const byDept = (d: string) => members.filter((p) => p.department === d);
  const departments = [...new Set(members.map((p) => p.department))].sort(
    (a, b) => byDept(b).length - byDept(a).length,
  );

  // 1. Anonymous, four of five answered: three released (round 1), the fourth waits for two more.
  const [asker1, ...team1] = byDept(departments[0]);
  const asked1 = team1.slice(0, 5);
  const [r1] = await tx
    .insert(feedbackRequests)
    .values({
      askerId: id(asker1),
      subjectKind: "project",
      title: "The new returns process pilot",
      description: "Three weeks in. What works, what gets in the way on the floor?",
      questions: [
        { kind: "scale", prompt: "How well does the new process work for you?" },
        { kind: "text", prompt: "What gets in the way?" },
        { kind: "text", prompt: "What should we keep?" },
      ],
      scope: "people",
      anonymous: true,
      deadline: new Date(now.getTime() + 5 * DAY),
      releasedCount: 3,
      round: 1,
      createdAt: new Date(now.getTime() - 6 * DAY),
    })
    .returning({ id: feedbackRequests.id });
  await tx.insert(feedbackRecipients).values(
    asked1.map((p, i) => ({
      requestId: r1.id,
      userId: id(p),
      answered: i < 4,
      everAnswered: i < 4,
      tokenHash: i < 4 ? null : ticket(),
    })),
  );
  await tx.insert(feedbackAnswers).values([
    { requestId: r1.id, answer: [4, "Labels for the return bins are still missing.", "The daily stand-up"], round: 1 },
    { requestId: r1.id, answer: [3, "The scanner flow has two screens too many.", ""], round: 1 },
    { requestId: r1.id, answer: [5, "", "Having one person own each return"], round: 1 },
    { requestId: r1.id, answer: [2, "Nobody told the night shift.", ""], round: null },
  ]);

  // 2. Named: two asked, one answered.
  const [asker2, ...others2] = byDept(departments[1]);
  const [r2] = await tx
    .insert(feedbackRequests)
    .values({
      askerId: id(asker2),
      subjectKind: "decision",
      title: "Moving the weekly planning to Tuesdays",
      description: "We moved planning from Monday to Tuesday last month. Did it help?",
      questions: [
        { kind: "scale", prompt: "Has Tuesday planning helped you?" },
        { kind: "text", prompt: "Anything we should change?" },
      ],
      scope: "people",
      anonymous: false,
      deadline: new Date(now.getTime() + 3 * DAY),
      releasedCount: 1,
      createdAt: new Date(now.getTime() - 4 * DAY),
    })
    .returning({ id: feedbackRequests.id });
  await tx.insert(feedbackRecipients).values([
    {
      requestId: r2.id,
      userId: id(others2[0]),
      answered: true,
      everAnswered: true,
      answer: [4, "Yes — Monday mornings are calmer now. Send the agenda on Friday."],
      answeredAt: new Date(now.getTime() - 2 * DAY),
    },
    { requestId: r2.id, userId: id(others2[1]) },
  ]);

  // 3. A manager's standing request to their team: one round released; the team may speak again.
  const reportsOf = (m: DemoPerson) => members.filter((p) => p.managerKey === m.key);
  const manager = members.find((m) => reportsOf(m).length >= 3)!;
  const team3 = reportsOf(manager);
  const [r3] = await tx
    .insert(feedbackRequests)
    .values({
      askerId: id(manager),
      subjectKind: "text",
      title: "What should I hear?",
      description: "Anything you think I should hear: what to keep, stop or start doing.",
      questions: [{ kind: "text", prompt: "What should I hear?" }],
      scope: "team",
      anonymous: true,
      standing: true,
      releasedCount: 3,
      round: 1,
      createdAt: new Date(now.getTime() - 30 * DAY),
    })
    .returning({ id: feedbackRequests.id });
  await tx
    .insert(feedbackRecipients)
    .values(team3.map((p, i) => ({ requestId: r3.id, userId: id(p), everAnswered: i < 3, tokenHash: ticket() })));
  await tx.insert(feedbackAnswers).values([
    { requestId: r3.id, answer: ["Share the quarter's priorities earlier; we hear them last."], round: 1 },
    { requestId: r3.id, answer: ["The one-to-ones help. Please keep them even in busy weeks."], round: 1 },
    { requestId: r3.id, answer: ["Say no to more projects for us; we are stretched."], round: 1 },
  ]);

  // 4. Waiting for the demo admin's answer (anonymous, due tomorrow).
  const asker4 = byDept(departments[2])[0];
  const asked4 = [admin, ...byDept(departments[2]).slice(1, 4)];
  const [r4] = await tx
    .insert(feedbackRequests)
    .values({
      askerId: id(asker4),
      subjectKind: "text",
      title: "My draft of the onboarding checklist",
      description:
        "The checklist for new colleagues' first week: accounts, safety walk, a buddy, the first shift.\n\n" +
        "Is anything missing or in the wrong order?",
      questions: [
        { kind: "scale", prompt: "How complete is it?" },
        { kind: "text", prompt: "What is missing or in the wrong order?" },
      ],
      scope: "people",
      anonymous: true,
      deadline: new Date(now.getTime() + 1 * DAY),
      createdAt: new Date(now.getTime() - 2 * DAY),
    })
    .returning({ id: feedbackRequests.id });
  await tx
    .insert(feedbackRecipients)
    .values(asked4.map((p) => ({ requestId: r4.id, userId: id(p), tokenHash: ticket() })));
}
