/** What a person did that tells us what they know. */
/** "decline" is negative evidence: the person said a routed question on these tags was not their area. */
/**
 * Standing evidence (what a person is, not what they did; it does not fade with age): "role" (job
 * title, department and bio), "contact" (named as the one to ask in a piece of knowledge, by name
 * or job title), "skill" (self-declared, weak until confirmed). "verification": vouched for
 * someone else's knowledge.
 */
export type EvidenceKind =
  | "answer"
  | "accepted_answer"
  | "article"
  | "endorsement"
  | "question"
  | "decline"
  | "role"
  | "contact"
  | "skill"
  | "verification";

export type Evidence = {
  /** Lets later signals (votes, acceptance) refer back to this evidence. */
  id?: string;
  personId: string;
  kind: EvidenceKind;
  /** Epoch ms when the evidence came into existence. */
  at: number;
  /** The person's own words (answer body, article body, endorsement note). */
  text: string;
  /** Title of the question answered or of the article: the topic in a few words. */
  title?: string;
  tags: string[];
  /** Net votes already known when the evidence is added; later votes arrive as signals. */
  votes?: number;
  questionId?: string;
  /** How much this piece proves, relative to an answer (default 1; e.g. a named contact in the "who to ask" part). */
  strength?: number;
};

/** Something that happened to earlier evidence: a vote or an acceptance, dated when it became known. */
export type Signal = {
  evidenceId: string;
  kind: "upvote" | "downvote" | "accepted";
  at: number;
};

export type RoutingQuestion = {
  text: string;
  tags: string[];
  at: number;
  /** Who asks (a person id as in evidence), when known: people who helped them before count. */
  askerId?: string;
};

export type RankOptions = {
  limit: number;
  exclude?: ReadonlySet<string>;
  /** Only evidence (doc numbers of the index) passing this filter counts, e.g. what the viewer may read. */
  docFilter?: (doc: number) => boolean;
  /** Names the filter (e.g. the set of visible spaces) so work that depends only on it can be reused. */
  filterKey?: string;
  /** How many pieces of evidence to return per person as reasons (default 0). */
  reasons?: number;
};

export type Reason = {
  /** The kind of evidence (answer, accepted_answer, article, endorsement). */
  kind: string;
  weight: number;
  topic: string;
  /** The evidence behind the reason (e.g. the answer ids), strongest first. */
  evidenceIds?: string[];
  /** When the evidence was created (epoch ms). */
  at?: number;
};

export type RankedExpert = { personId: string; score: number; reasons: Reason[] };

/** Anything that can be fed evidence in time order and rank people for a question. */
export type ExpertRanker = {
  add(e: Evidence): void;
  signal?(s: Signal): void;
  rank(question: RoutingQuestion, options: RankOptions): RankedExpert[];
};
