export type GuideSection = {
  heading: string;
  text?: string;
  steps?: string[];
  bullets?: string[];
  checklist?: string[];
  table?: string[][];
  code?: { lang?: string; text: string };
};

/** A later edit of a guide: replace one passage and/or add a paragraph, with a revision note. */
export type GuideUpdate = { note: string; replace?: string; with?: string; add?: string };

export type GuideSpec = {
  space: string;
  title: string;
  tags: string[];
  intro: string;
  sections: GuideSection[];
  ask?: string;
  draft?: boolean;
  update?: GuideUpdate[];
};
