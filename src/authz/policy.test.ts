import { describe, expect, it } from "vitest";
import {
  abilities,
  authorize,
  can,
  type Actor,
  type ArticleSubject,
  type FeedbackRequestSubject,
  type SpaceSubject,
  type WorkgroupSubject,
} from "./policy";

const member: Actor = { id: "m", role: "member", name: "Member" };
const guest: Actor = { id: "g", role: "guest", name: "Guest" };
const admin: Actor = { id: "a", role: "admin", name: "Admin" };
const privateSpace: SpaceSubject = {
  kind: "space",
  id: "s",
  visibility: "private",
  memberAccess: "editor",
  memberRole: null,
};
const publicSpace: SpaceSubject = { ...privateSpace, visibility: "public" };
const draft = (space: SpaceSubject, deleted = false): ArticleSubject => ({
  kind: "article",
  id: "x",
  space,
  ownerId: "someone",
  status: "draft",
  deleted,
});

describe("the policy", () => {
  it("denies anonymous actors and hides what they may not read", () => {
    expect(can(null, "read", publicSpace)).toBe(false);
    expect(() => authorize(member, "read", privateSpace)).toThrow(/^Space not found$/);
    expect(() => authorize(member, "update", publicSpace)).toThrow(/permission/);
  });

  it("keeps someone else's draft theirs, in the trash too", () => {
    expect(can(member, "read", draft(publicSpace))).toBe(false);
    expect(can(member, "read", draft(publicSpace, true))).toBe(false);
    expect(can(member, "restoreFromTrash", draft(publicSpace, true))).toBe(false);
    expect(can(admin, "read", draft(publicSpace, true))).toBe(true);
  });

  it("leaves department, title and manager to admins, and guests out of asking and challenging", () => {
    expect(can(member, "changePlacement", { kind: "person", id: member.id })).toBe(false);
    expect(can(admin, "changePlacement", { kind: "person", id: member.id })).toBe(true);
    expect(can(guest, "ask", { kind: "instance" })).toBe(false);
    const knowledge = {
      kind: "knowledge" as const,
      type: "article" as const,
      space: publicSpace,
      owner: { type: "person" as const, id: "o" },
      actorInOwnerDepartment: false,
    };
    expect(can(guest, "challenge", knowledge)).toBe(false);
    expect(can(member, "challenge", knowledge)).toBe(true);
  });

  it("only accepts declared actions (checked by the compiler)", () => {
    // @ts-expect-error: "raed" is not an action on spaces — a misspelling does not compile.
    expect(can(admin, "raed", publicSpace)).toBe(false);
    // @ts-expect-error: articles have no "manageMembers".
    expect(can(admin, "manageMembers", draft(publicSpace))).toBe(false);
  });

  it("lets an invitation be accepted or declined but read nothing of a members-only community", () => {
    const club = {
      kind: "community" as const,
      id: "c",
      joining: "request" as const,
      visibility: "members" as const,
      memberRole: "invited" as const,
    };
    expect(can(member, "read", club)).toBe(false);
    expect(can(member, "post", club)).toBe(false);
    expect(can(member, "followQuestions", club)).toBe(false);
    expect(can(member, "join", club)).toBe(false);
    expect(can(member, "leave", club)).toBe(false);
    expect(can(member, "accept", club)).toBe(true);
    expect(can(member, "decline", club)).toBe(true);
    expect(can(guest, "accept", club)).toBe(false);
    expect(can(member, "accept", { ...club, memberRole: "member" })).toBe(false);
    expect(can(member, "decline", { ...club, memberRole: null })).toBe(false);
  });

  it("shows communities that should exist to knowledge managers and admins only", () => {
    expect(can(member, "planCommunities", { kind: "instance" })).toBe(false);
    expect(can({ ...member, knowledgeManager: true }, "planCommunities", { kind: "instance" })).toBe(true);
    expect(can({ ...guest, knowledgeManager: true }, "planCommunities", { kind: "instance" })).toBe(false);
    expect(can(admin, "planCommunities", { kind: "instance" })).toBe(true);
  });

  it("keeps a feedback request to its asker and the people asked; an admin's role opens nothing", () => {
    const request = (recipient: FeedbackRequestSubject["recipient"], open = true): FeedbackRequestSubject => ({
      kind: "feedbackRequest",
      id: "f",
      askerId: member.id,
      recipient,
      open,
    });
    const colleague: Actor = { id: "c", role: "member", name: "Colleague" };
    expect(Object.values(abilities(admin, request(null))).some(Boolean)).toBe(false);
    expect(() => authorize(admin, "read", request(null))).toThrow(/^Feedback request not found$/);
    expect(abilities(member, request(null))).toMatchObject({
      read: true,
      readAnswers: true,
      thank: true,
      answer: false,
    });
    expect(abilities(colleague, request({ answered: false }))).toEqual({
      read: true,
      readAnswers: false,
      answer: true,
      thank: false,
      close: false,
      share: false,
      makeLesson: false,
    });
    expect(can(colleague, "answer", request({ answered: true }))).toBe(false);
    expect(can(colleague, "answer", request({ answered: false }, false))).toBe(false);
    expect(can({ ...guest, id: "c" }, "answer", request({ answered: false }))).toBe(false);
    expect(() => authorize(colleague, "readAnswers", request({ answered: true }))).toThrow(/permission/);
    expect(can(guest, "askFeedback", { kind: "instance" })).toBe(false);
    expect(can(member, "askFeedback", { kind: "instance" })).toBe(true);
  });

  it("keeps a workgroup to its leader, its members and admins; the leader closes it while it runs", () => {
    const group = (status: WorkgroupSubject["status"] = "active"): WorkgroupSubject => ({
      kind: "workgroup",
      id: "w",
      leaderId: member.id,
      memberIds: ["c"],
      status,
    });
    const colleague: Actor = { id: "c", role: "member", name: "Colleague" };
    const outsider: Actor = { id: "o", role: "member", name: "Outsider" };
    expect(can(member, "proposeWorkgroup", { kind: "instance" })).toBe(true);
    expect(can(guest, "proposeWorkgroup", { kind: "instance" })).toBe(false);
    expect(abilities(member, group())).toEqual({ read: true, edit: true, close: true });
    expect(abilities(colleague, group())).toEqual({ read: true, edit: false, close: false });
    expect(abilities(admin, group())).toEqual({ read: true, edit: false, close: false });
    expect(() => authorize(outsider, "read", group())).toThrow(/^Workgroup not found$/);
    expect(() => authorize(colleague, "close", group())).toThrow(/permission/);
    expect(can(member, "close", group("closed"))).toBe(false);
  });
});
