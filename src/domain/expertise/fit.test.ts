import { describe, expect, it } from "vitest";
import { fitConditionalLogit, logLikelihood, type ChoiceGroup } from "./fit";

// Two features; the chosen row tends to have the larger first feature.
const groups: ChoiceGroup[] = [
  {
    x: [
      [1, 0],
      [0, 1],
      [0, 0],
    ],
    y: 0,
  },
  {
    x: [
      [2, 1],
      [1, 0],
      [0, 2],
    ],
    y: 0,
  },
  {
    x: [
      [0, 1],
      [1, 1],
      [0, 0],
    ],
    y: 1,
  },
  {
    x: [
      [1, 0],
      [0, 0],
      [2, 1],
    ],
    y: 2,
  },
  {
    x: [
      [0, 0],
      [1, 2],
      [0, 1],
    ],
    y: 2,
  },
];

describe("conditional logit fit", () => {
  it("treats a group of weight 2 like the same group twice", () => {
    const twice = fitConditionalLogit([...groups, groups[4]], 2);
    const weighted = fitConditionalLogit([...groups.slice(0, 4), { ...groups[4], weight: 2 }], 2);
    twice.forEach((w, i) => expect(weighted[i]).toBeCloseTo(w, 6));
  });

  it("reaches the same optimum from a warm start", () => {
    const cold = fitConditionalLogit(groups, 2);
    const warm = fitConditionalLogit(groups, 2, 1e-2, 30, [5, -5]);
    cold.forEach((w, i) => expect(warm[i]).toBeCloseTo(w, 5));
    expect(cold[0]).toBeGreaterThan(0);
    expect(logLikelihood(groups, cold)).toBeGreaterThan(logLikelihood(groups, [0, 0]));
  });
});
