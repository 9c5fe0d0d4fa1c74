/** One evaluated question: the ranking produced and who actually answered. */
export type RoutingCase = {
  ranking: readonly string[];
  /** The accepted answerer, when there is one and it is not the asker. */
  accepted?: string;
  /** Everyone (but the asker) who answered. */
  answerers: readonly string[];
};

export type RoutingMetrics = {
  pAt1: number;
  mrr: number;
  hitAt5: number;
  /** Questions with a non-self accepted answer (P@1 and MRR). */
  nAccepted: number;
  /** Questions with at least one answerer other than the asker (Hit@5). */
  nAnswered: number;
};

/** P@1 and MRR of the accepted answerer, Hit@5 of any answerer, over a set of questions. */
export function routingMetrics(cases: readonly RoutingCase[]): RoutingMetrics {
  let p1 = 0;
  let rr = 0;
  let nAcc = 0;
  let hit = 0;
  let nAns = 0;
  for (const c of cases) {
    if (c.accepted !== undefined) {
      nAcc++;
      const i = c.ranking.indexOf(c.accepted);
      if (i === 0) p1++;
      if (i >= 0) rr += 1 / (i + 1);
    }
    if (c.answerers.length > 0) {
      nAns++;
      const set = new Set(c.answerers);
      if (c.ranking.slice(0, 5).some((p) => set.has(p))) hit++;
    }
  }
  return {
    pAt1: nAcc ? p1 / nAcc : 0,
    mrr: nAcc ? rr / nAcc : 0,
    hitAt5: nAns ? hit / nAns : 0,
    nAccepted: nAcc,
    nAnswered: nAns,
  };
}

/** The q-quantile (0..1) of a list of numbers, by nearest rank. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return 0;
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))];
}
