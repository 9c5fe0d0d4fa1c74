import { describe, expect, it } from "vitest";
import {
  findCandidateCommunities,
  mentions,
  problemTopics,
  suggestCommunitiesForProblem,
  wordsOf,
  type AskableCommunity,
  type TaggedAnswer,
} from "./matching";

const community = (id: string, topics: string[], answered: [string, number][] = []): AskableCommunity => ({
  id,
  name: id,
  topics,
  membersAnswered: new Map(answered),
});
const problem = (text: string, tags: string[] = [], related: [string, number][] = []) => ({
  text,
  tags,
  relatedTags: new Map(related),
});

describe("communities for a problem", () => {
  it("finds topics named in the text, plurals and hyphenated tags included", () => {
    const words = wordsOf("Our Forklifts keep failing the cold chain check!");
    expect(mentions(words, "forklift")).toBe(true);
    expect(mentions(words, "cold-chain")).toBe(true);
    expect(mentions(words, "tachograph")).toBe(false);
    expect(mentions(words, "")).toBe(false);
    expect([...problemTopics(problem("forklift broken", ["safety"], [["wms", 2]]), ["forklift", "pallets"])]).toEqual([
      ["safety", "tag"],
      ["forklift", "text"],
      ["wms", "related"],
    ]);
  });

  it("ranks communities by their topics and their members' answers, with reasons in words", () => {
    const found = suggestCommunitiesForProblem(
      [
        community("Drivers", ["tachograph", "routes"]),
        community("Warehouse", ["wms"], [["forklift", 3]]),
        community("Finance", ["invoices"], [["budget", 4]]),
      ],
      problem("The tachograph on the forklift shows an error", []),
    );
    expect(found.map((f) => f.id)).toEqual(["Drivers", "Warehouse"]);
    expect(found[0].reasons).toEqual(["topics: tachograph"]);
    expect(found[1].reasons).toEqual(["3 members answered questions on forklift"]);
  });

  it("weighs a given tag above a tag of related knowledge, and says 1 member", () => {
    const found = suggestCommunitiesForProblem(
      [community("A", ["wms"]), community("B", ["pallets"], [["pallets", 1]])],
      problem("Something odd", ["pallets"], [["wms", 1]]),
    );
    expect(found.map((f) => f.id)).toEqual(["B", "A"]);
    expect(found[0].reasons).toEqual(["topics: pallets", "1 member answered questions on pallets"]);
  });

  it("suggests nothing when nothing matches, and at most `limit`", () => {
    expect(suggestCommunitiesForProblem([community("A", ["wms"])], problem("hello there"))).toEqual([]);
    const many = ["a", "b", "c", "d"].map((id) => community(id, ["wms"]));
    expect(suggestCommunitiesForProblem(many, problem("wms"), 2)).toHaveLength(2);
  });
});

const answer = (
  tag: string,
  asker: [string, string],
  answerer: [string, string],
  extra: Partial<TaggedAnswer> = {},
): TaggedAnswer => ({
  tag,
  askerId: asker[0],
  askerDepartment: asker[1],
  answererId: answerer[0],
  answererName: answerer[0].toUpperCase(),
  answererDepartment: answerer[1],
  accepted: false,
  invitable: true,
  ...extra,
});

describe("communities that should exist", () => {
  const ops: [string, string] = ["olga", "Operations"];
  const sales: [string, string] = ["sam", "Sales"];
  const fin: [string, string] = ["finn", "Finance"];
  const ops2: [string, string] = ["otto", "Operations"];

  it("finds a topic where several departments help each other, with its seeds", () => {
    const found = findCandidateCommunities(
      [
        answer("customs", sales, ops, { accepted: true }),
        answer("customs", fin, ops),
        answer("customs", ops2, sales),
        // Same department: not an exchange across a boundary, but still helpful.
        answer("customs", ops2, ops),
      ],
      new Set(),
    );
    expect(found).toEqual([
      {
        topic: "customs",
        exchanges: 3,
        departments: ["Operations", "Sales", "Finance"],
        seeds: [
          { id: "olga", name: "OLGA", department: "Operations", answers: 3, accepted: 1 },
          { id: "sam", name: "SAM", department: "Sales", answers: 1, accepted: 0 },
        ],
      },
    ]);
  });

  it("leaves out topics a community has, single-department help, self-answers and unknown departments", () => {
    const found = findCandidateCommunities(
      [
        answer("wms", sales, ops),
        answer("wms", fin, ops),
        answer("lunch", ops2, ops),
        answer("lunch", ops, ops2),
        answer("solo", sales, sales),
        answer("solo", fin, fin),
        answer("ghost", ["x", ""], ops),
        answer("ghost", ["y", ""], sales),
      ],
      new Set(["wms"]),
    );
    expect(found).toEqual([]);
  });

  it("needs two exchanges, ranks three departments first, skips people who cannot be invited, caps seeds", () => {
    const twoDepts = [answer("a2", sales, ops), answer("a2", sales, ops), answer("a2", sales, ops)];
    const threeDepts = [answer("b3", sales, ops), answer("b3", fin, ops, { invitable: false })];
    const once = [answer("c1", sales, ops)];
    const found = findCandidateCommunities([...twoDepts, ...threeDepts, ...once], new Set());
    expect(found.map((f) => f.topic)).toEqual(["b3", "a2"]);
    expect(found[0].seeds.map((s) => s.answers)).toEqual([1]);
    const crowd = Array.from({ length: 12 }, (_, i) => answer("big", sales, [`p${i}`, "Operations"]));
    const [big] = findCandidateCommunities(crowd, new Set(), { seeds: 8 });
    expect(big.seeds).toHaveLength(8);
    expect(findCandidateCommunities(twoDepts, new Set(), { minDepartments: 3 })).toEqual([]);
  });
});
