import { Readable } from "node:stream";
import { sql } from "drizzle-orm";
import {
  postRevisions,
  questions,
  sessionFiles,
  sessionPresenters,
  sessionQuestions,
  sessionRsvps,
  sharingSessions,
} from "../schema";
import { rows, type Executor } from "../../src/platform/db";
import type { FileStore } from "../../src/platform/files";
import { writeCheckedFile } from "../../src/modules/knowledge/attachments.service";
import type { DemoOrg, DemoPerson } from "./demo-org";

const DAY = 86_400_000;

type DemoSession = {
  title: string;
  abstract: string;
  /** Days from now (negative: past), at 10:00 in its zone. */
  inDays: number;
  timeZone: string;
  durationMinutes: number;
  place: string;
  link: string;
  capacity: number | null;
  topics: string[];
  /** The community's slug (its audience), or null for everyone. */
  community: string | null;
  presenterDept: string;
  /** How many people from other departments answered going (and, when past, attended). */
  going: number;
  /** Notes taken at it (Markdown); past sessions without their own get a short line. */
  notes?: string;
  /** A file the presenter attached (slides), stored like an upload. */
  file?: { name: string; kind: "slides" | "recording" | "other"; content: string };
  /** A question an attendee raised at it, asked in Knowhow on its topics. */
  raised?: { title: string; body: string };
  /** Called off (days before its start). */
  cancelled?: boolean;
};

const SESSIONS: DemoSession[] = [
  {
    title: "Scanner roaming: what we learned in the freezer aisle",
    abstract: "Why handhelds drop off the Wi-Fi in cold aisles, and the **roaming settings** that fixed it.",
    inDays: -21,
    timeZone: "Europe/Berlin",
    durationMinutes: 45,
    place: "Warehouse canteen",
    link: "",
    capacity: null,
    topics: ["scanners", "wms"],
    community: "wms-and-scanners",
    presenterDept: "Engineering & IT",
    going: 8,
  },
  {
    title: "Same-day cut-offs explained",
    abstract: "How the carriers' cut-off times decide what we can promise a customer, with examples from last month.",
    inDays: -7,
    timeZone: "Europe/Berlin",
    durationMinutes: 60,
    place: "",
    link: "https://meet.example.test/same-day",
    capacity: 20,
    topics: ["carriers", "same-day"],
    community: null,
    presenterDept: "Fleet & Transport",
    going: 10,
    notes: [
      "## Takeaways",
      "",
      "- **DHL Express** closes at 15:30 on weekdays; anything packed later goes the next day.",
      "- Orders promised *same day* after 14:00 need a packing slot booked before noon.",
      "- Saturday pick-ups are on request only: ask the transport desk by Friday 12:00.",
      "",
      "## Follow-ups",
      "",
      "1. Put the cut-off times next to the packing stations.",
      "2. Check with Customer Service which promises the web shop shows after 14:00.",
    ].join("\n"),
    file: {
      name: "same-day-cut-offs.md",
      kind: "slides",
      content: [
        "# Same-day cut-offs",
        "",
        "| Carrier | Weekday cut-off | Saturday |",
        "| --- | --- | --- |",
        "| DHL Express | 15:30 | on request |",
        "| UPS Standard | 16:00 | — |",
        "| Local courier | 17:00 | 11:00 |",
        "",
        "Book a packing slot before noon for anything promised after 14:00.",
        "",
      ].join("\n"),
    },
    raised: {
      title: "Can the web shop hide same-day delivery after the last cut-off?",
      body:
        "Raised at the session: customers still see *same day* after 15:30 and then call us. " +
        "Who owns the delivery promise shown in the shop, and can it follow the carriers' cut-offs?",
    },
  },
  {
    title: "Returns triage walkthrough",
    abstract: "How returned parcels are sorted into restock, repair and scrap — postponed to the next quarter.",
    inDays: 3,
    timeZone: "Europe/Berlin",
    durationMinutes: 45,
    place: "Returns area, hall 2",
    link: "",
    capacity: 15,
    topics: ["returns"],
    community: null,
    presenterDept: "Fleet & Transport",
    going: 3,
    cancelled: true,
  },
  {
    title: "Label printers: a hands-on clinic",
    abstract: "Bring a printer problem; we fix it together. Few seats — the clinic happens at the bench.",
    inDays: 6,
    timeZone: "Europe/Berlin",
    durationMinutes: 90,
    place: "IT bench, building B",
    link: "",
    capacity: 4,
    topics: ["printers"],
    community: null,
    presenterDept: "Engineering & IT",
    going: 6,
  },
  {
    title: "Tender pricing review (circle members)",
    abstract: "The quarter's tenders and what we learned about pricing them.",
    inDays: 12,
    timeZone: "Europe/Berlin",
    durationMinutes: 60,
    place: "Board room",
    link: "",
    capacity: null,
    topics: ["pricing", "tenders"],
    community: "pricing-and-tenders-circle",
    presenterDept: "Sales",
    going: 0,
  },
];

/** Past and upcoming knowledge-sharing sessions with answers, a waiting list and attendance. */
export async function loadDemoSessions(
  tx: Executor,
  org: DemoOrg,
  ids: Map<string, string>,
  now: Date,
  files?: FileStore,
): Promise<void> {
  const members = org.people.filter((p) => p.role === "member");
  let seq = 0;
  for (const s of SESSIONS) {
    const presenter: DemoPerson | undefined = members.find((p) => p.department === s.presenterDept) ?? members[0];
    const day = new Date(now.getTime() + s.inDays * DAY);
    // 10:00 in Berlin: 08:00 or 09:00 UTC by the season (close enough for a demo; the API converts exactly).
    const month = day.getUTCMonth();
    const startsAt = new Date(
      Date.UTC(day.getUTCFullYear(), month, day.getUTCDate(), month >= 3 && month <= 9 ? 8 : 9, 0),
    );
    const [community] = s.community
      ? await rows<{ id: string }>(tx, sql`select id from communities where slug = ${s.community}`)
      : [];
    const [row] = await tx
      .insert(sharingSessions)
      .values({
        title: s.title,
        abstract: s.abstract,
        startsAt,
        timeZone: s.timeZone,
        durationMinutes: s.durationMinutes,
        place: s.place,
        link: s.link,
        capacity: s.capacity,
        topics: s.topics,
        communityId: community?.id ?? null,
        createdBy: ids.get(presenter.key)!,
        createdAt: new Date(startsAt.getTime() - 14 * DAY),
        notes: s.notes ?? (s.inDays < 0 ? "Slides and the recording are linked in the chat." : ""),
        cancelledAt: s.cancelled ? new Date(startsAt.getTime() - 2 * DAY) : null,
      })
      .returning({ id: sharingSessions.id });
    await tx.insert(sessionPresenters).values({ sessionId: row.id, userId: ids.get(presenter.key)! });
    const audience = members.filter((p) => p.department !== s.presenterDept).slice(seq % 5, (seq % 5) + s.going);
    seq++;
    for (const [i, p] of audience.entries()) {
      const seated = s.capacity === null || i < s.capacity;
      await tx.insert(sessionRsvps).values({
        sessionId: row.id,
        userId: ids.get(p.key)!,
        status: seated ? "going" : "waitlisted",
        queuedAt: seated ? null : sql`nextval('session_queue_seq')`,
        // In the past: most who said going came (every fourth did not).
        checkedInAt: s.inDays < 0 && i % 4 !== 3 ? startsAt : null,
        updatedAt: new Date(startsAt.getTime() - 3 * DAY),
      });
    }
    const presenterId = ids.get(presenter.key)!;
    if (s.file && files) {
      const stored = await writeCheckedFile(files, {
        filename: s.file.name,
        stream: Readable.from([Buffer.from(s.file.content)]),
      });
      await tx.insert(sessionFiles).values({
        sessionId: row.id,
        uploaderId: presenterId,
        kind: s.file.kind,
        name: stored.name,
        mime: stored.mime,
        size: stored.size,
        sha256: stored.sha256,
        storageKey: stored.storageKey,
        createdAt: new Date(startsAt.getTime() + s.durationMinutes * 60_000),
      });
    }
    if (s.raised && audience.length > 0) {
      // Asked at the session by its first attendee: an ordinary question on its topics, linked back to it.
      const askerId = ids.get(audience[0].key)!;
      const askedAt = new Date(startsAt.getTime() + 30 * 60_000);
      const [q] = await tx
        .insert(questions)
        .values({
          title: s.raised.title,
          body: s.raised.body,
          tags: s.topics,
          communityId: community?.id ?? null,
          authorId: askerId,
          createdAt: askedAt,
          updatedAt: askedAt,
          lastActivityAt: askedAt,
        })
        .returning({ id: questions.id });
      await tx.insert(postRevisions).values({
        postType: "question",
        postId: q.id,
        version: 1,
        title: s.raised.title,
        body: s.raised.body,
        tags: s.topics,
        authorId: askerId,
        note: "Asked",
        createdAt: askedAt,
      });
      await tx
        .insert(sessionQuestions)
        .values({ sessionId: row.id, questionId: q.id, raisedBy: askerId, createdAt: askedAt });
    }
  }
}
