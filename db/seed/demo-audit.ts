import { randomBytes } from "node:crypto";
import { auditLog, invitations } from "../schema";
import type { Executor } from "../../src/platform/db";
import { hashToken } from "../../src/modules/accounts/sessions";
import type { DemoOrg } from "./demo-org";

const DAY = 86_400_000;

/**
 * The demo's access history, consistent with the organisation it loads: the admin invited the two
 * guests before they joined, the private spaces' owners added their members, and one invitation
 * for a new starter is still open — so the admin page's invitations and audit trail are alive on
 * the first start. Entries are written as the services write them (actor, action, readable detail).
 */
export async function loadDemoAccessHistory(
  tx: Executor,
  org: DemoOrg,
  ids: Map<string, string>,
  spaceIds: Map<string, string>,
  now: Date,
): Promise<void> {
  const ago = (days: number, hours = 0) => new Date(now.getTime() - days * DAY - hours * 3_600_000);
  const admin = org.people.find((p) => p.email === org.adminEmail)!;
  const adminId = ids.get(admin.key)!;
  const entries: (typeof auditLog.$inferInsert)[] = [];

  for (const s of org.spaces.filter((space) => space.visibility === "private")) {
    const ownerId = ids.get(s.ownerKey)!;
    for (const [i, m] of s.members.entries()) {
      if (m.personKey === s.ownerKey) continue;
      const person = org.people.find((p) => p.key === m.personKey)!;
      entries.push({
        actorId: ownerId,
        action: "space.member",
        subjectType: "space",
        subjectId: spaceIds.get(s.key)!,
        detail: `${person.name}: ${m.role}`,
        createdAt: ago(400, -i),
      });
    }
  }

  const invite = async (
    email: string,
    role: "member" | "guest",
    sentDaysAgo: number,
    acceptedDaysAgo: number | null,
  ) => {
    const [row] = await tx
      .insert(invitations)
      .values({
        email,
        role,
        tokenHash: hashToken(randomBytes(32).toString("base64url")),
        invitedBy: adminId,
        createdAt: ago(sentDaysAgo),
        expiresAt: new Date(ago(sentDaysAgo).getTime() + 14 * DAY),
        acceptedAt: acceptedDaysAgo === null ? null : ago(acceptedDaysAgo),
      })
      .returning({ id: invitations.id });
    entries.push({
      actorId: adminId,
      action: "invitation.create",
      subjectType: "invitation",
      subjectId: row.id,
      detail: `${email} as ${role}`,
      createdAt: ago(sentDaysAgo),
    });
  };
  for (const guest of org.people.filter((p) => p.role === "guest"))
    await invite(guest.email, "guest", guest.joinedDaysAgo + 2, guest.joinedDaysAgo);
  const domain = org.adminEmail.split("@")[1];
  await invite(`new.starter@${domain}`, "member", 2, null);

  entries.sort((a, b) => a.createdAt!.getTime() - b.createdAt!.getTime());
  if (entries.length) await tx.insert(auditLog).values(entries);
}
