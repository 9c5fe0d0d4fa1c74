import { describe, expect, it } from "vitest";
import { ContactMatcher } from "./contacts";

const people = [
  { id: "mateo", name: "Mateo Tanaka", title: "Site Safety Coordinator" },
  { id: "fatima", name: "Fatima Schmidt", title: "Inventory Controller" },
  { id: "lucia", name: "Lucía Nakamura", title: "Returns Specialist" },
  { id: "solo", name: "Cher", title: "" },
];

describe("people named in knowledge", () => {
  const m = new ContactMatcher(people);

  it("finds job titles and full names; the 'who to ask' part names the contact, a step who does the work", () => {
    const text = [
      "Check the forks and the brakes before every shift.",
      "The inventory controller posts the difference.",
      "## Who to ask",
      "The site safety coordinator.",
    ].join("\n");
    const found = new Map(m.mentions(text).map((x) => [x.personId, x.strength]));
    expect(found.get("mateo")).toBe(1);
    expect(found.get("fatima")).toBe(0.5);
    expect(found.has("lucia")).toBe(false);
    expect(m.mentions("If in doubt, ask Lucía Nakamura.").map((x) => x.personId)).toEqual(["lucia"]);
  });

  it("ignores single first names and words inside other words", () => {
    expect(m.mentions("Cher said the controllers are fine; inventory controllership is a word.")).toEqual([]);
  });
});
