import { DEFAULT_PARAMS } from "./model";

const DAY = 86_400_000;

export type ProfileItem = {
  kind: "answer" | "accepted_answer" | "article" | "article_update" | "endorsement";
  tags: string[];
  at: Date;
  votes?: number;
  title: string;
  url: string;
};

type Topic = {
  tag: string;
  weight: number;
  /** 0–1, relative to the person's strongest topic. */
  level: number;
  counts: { answers: number; accepted: number; articles: number; endorsements: number };
  /** Strongest pieces of evidence first. */
  evidence: (Omit<ProfileItem, "tags" | "at"> & { at: string; weight: number })[];
};

/**
 * Weight of one piece of evidence as of `now`, with the same rule the router uses: acceptance and
 * votes raise it, age fades it (half-life in days). Endorsements count like an answer.
 */
export function itemWeight(item: ProfileItem, now: Date, p = DEFAULT_PARAMS): number {
  const age = Math.max(0, now.getTime() - item.at.getTime()) / DAY;
  const decay = Math.pow(0.5, age / p.halfLifeDays);
  const v = item.votes ?? 0;
  const accepted = item.kind === "accepted_answer" ? 1 : 0;
  const quality = 1 + p.acceptedBoost * accepted + p.voteBoost * Math.sign(v) * Math.log1p(Math.abs(v));
  const kindFactor = item.kind === "article_update" ? 0.5 : 1;
  return Math.max(0.1, quality) * decay * kindFactor;
}

/** A person's expertise per topic (tag) from what they did, strongest first, each with its evidence. */
export function topicProfile(
  items: readonly ProfileItem[],
  now: Date,
  options: { topics?: number; evidence?: number } = {},
): Topic[] {
  const byTag = new Map<string, Topic>();
  for (const item of items) {
    const w = itemWeight(item, now);
    for (const tag of new Set(item.tags)) {
      let t = byTag.get(tag);
      if (!t)
        byTag.set(
          tag,
          (t = {
            tag,
            weight: 0,
            level: 0,
            counts: { answers: 0, accepted: 0, articles: 0, endorsements: 0 },
            evidence: [],
          }),
        );
      t.weight += w;
      if (item.kind === "answer") t.counts.answers++;
      else if (item.kind === "accepted_answer") {
        t.counts.answers++;
        t.counts.accepted++;
      } else if (item.kind === "endorsement") t.counts.endorsements++;
      else t.counts.articles++;
      if (item.kind !== "endorsement")
        t.evidence.push({
          kind: item.kind,
          title: item.title,
          url: item.url,
          votes: item.votes,
          at: item.at.toISOString(),
          weight: Math.round(w * 1000) / 1000,
        });
    }
  }
  const topics = [...byTag.values()]
    .sort((a, b) => b.weight - a.weight || (a.tag < b.tag ? -1 : 1))
    .slice(0, options.topics ?? 12);
  const max = topics[0]?.weight ?? 1;
  for (const t of topics) {
    t.level = Math.round((t.weight / max) * 100) / 100;
    t.weight = Math.round(t.weight * 1000) / 1000;
    t.evidence = t.evidence.sort((a, b) => b.weight - a.weight).slice(0, options.evidence ?? 3);
  }
  return topics;
}

/** A self-declared skill counts as backed once there is evidence other than endorsements on it. */
export function isBacked(topic: Topic | undefined): boolean {
  return !!topic && topic.counts.answers + topic.counts.articles > 0;
}
