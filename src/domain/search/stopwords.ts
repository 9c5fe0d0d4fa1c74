// English function words. Deliberately kept to words that carry no topic on their own: words
// that can be a topic in a workplace (up, down, out, off, over, it, us, may, will, can, not)
// stay searchable and are left to IDF, which already gives near-zero weight to common words.
// Contraction stems ("don", "isn") are here because "don't" splits into "don" + "t".
const WORDS = `
a about above after again against all am an and any are as at be because been before being below
between both but by could did do does doing during each few for from further had has have having he
her here hers herself him himself his how i if in into is its itself just me more most my myself no
nor of on once only or other our ours ourselves own same she should so some such than that the their
theirs them themselves then there these they this those through to too until very was we were what
when where which while who whom why with would you your yours yourself yourselves
don doesn didn isn aren wasn weren hasn haven hadn couldn shouldn wouldn won ve ll re
also etc eg ie`;

/** The stopword set used by analysis (lowercase, diacritics folded, unstemmed). */
export const STOPWORDS: ReadonlySet<string> = new Set(WORDS.split(/\s+/).filter((w) => w.length > 0));
