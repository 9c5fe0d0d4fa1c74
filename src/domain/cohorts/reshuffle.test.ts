import { describe, expect, it } from "vitest";
import { designPhases, finiteField } from "./design";
import { chooseLeads, greedySchedule, reshuffle, summarise, unitSizes } from "./reshuffle";

const plain = (n: number) => Array.from({ length: n }, () => ({ department: "", evidence: false }));

describe("reshuffling a cohort", () => {
  it("solves Kirkman's schoolgirls (15 people, units of 3, 7 phases) with no pair meeting twice", () => {
    // The search alone (no design start): the constructive start, then tabu search phase after phase.
    const r = reshuffle({ people: plain(15), unitSize: 3, phases: 7, seed: 1, timeLimitMs: 60_000, construct: false });
    expect(r.cost).toBe(0);
    expect(summarise(r.phases, 15)).toEqual({ repeatedPairs: 0, cleanPhases: 7 });
    for (const units of r.phases) expect(units.flat().sort((a, b) => a - b)).toEqual([...Array(15).keys()]);
    // The greedy baseline repeats pairs long before that.
    expect(summarise(greedySchedule(15, 3, 7), 15).repeatedPairs).toBeGreaterThan(0);
  });

  it("keeps pinned people together or apart, mixes departments and puts someone with evidence in every unit", () => {
    const departments = ["A", "A", "A", "A", "B", "B", "B", "B", "C", "C", "C", "C"];
    const people = departments.map((department, i) => ({ department, evidence: i % 4 === 0 }));
    const r = reshuffle({
      people,
      unitSize: 4,
      phases: 2,
      minDepartments: 3,
      requireEvidence: true,
      together: [[1, 5]],
      apart: [[2, 6]],
      seed: 2,
      timeLimitMs: 1000,
    });
    // Departments and evidence hold in every unit (a repeated pairing may remain: these rules come first).
    expect(r.cost % 1000).toBe(0);
    for (const units of r.phases) {
      const unitOf = (i: number) => units.findIndex((u) => u.includes(i));
      expect(unitOf(1)).toBe(unitOf(5));
      expect(unitOf(2)).not.toBe(unitOf(6));
      for (const unit of units) {
        expect(new Set(unit.map((i) => departments[i])).size).toBeGreaterThanOrEqual(3);
        expect(unit.some((i) => people[i].evidence)).toBe(true);
      }
    }
  });

  it("keeps phases already run and searches only the later ones", () => {
    const first = [
      [0, 1, 2],
      [3, 4, 5],
      [6, 7, 8],
    ];
    const r = reshuffle({ people: plain(9), unitSize: 3, phases: 3, fixed: [first], seed: 4 });
    expect(r.phases[0]).toEqual(first);
    expect(r.cost).toBe(0);
  });

  it("rotates leads: nobody leads twice before everyone in the unit has led, never twice in a row", () => {
    const same = Array.from({ length: 5 }, () => [[0, 1, 2, 3]]);
    const leads = chooseLeads(same, 4).map((l) => l[0]);
    expect(new Set(leads.slice(0, 4)).size).toBe(4);
    for (let p = 1; p < leads.length; p++) expect(leads[p]).not.toBe(leads[p - 1]);
    const r = reshuffle({ people: plain(12), unitSize: 3, phases: 4, seed: 5 });
    // Never the same lead in consecutive phases while the unit has anyone else who did not just lead.
    for (let p = 1; p < r.leads.length; p++)
      r.leads[p].forEach((l, u) => {
        if (r.phases[p][u].some((i) => !r.leads[p - 1].includes(i))) expect(r.leads[p - 1]).not.toContain(l);
      });
    r.leads.forEach((leads, p) => leads.forEach((l, u) => expect(r.phases[p][u]).toContain(l)));
  });

  it("starts from a finite-field design when the number of units is a prime power", () => {
    expect(finiteField(6)).toBeNull();
    expect(finiteField(12)).toBeNull();
    for (const q of [2, 3, 4, 5, 7, 8, 9, 16]) {
      const f = finiteField(q)!;
      // Every non-zero element has an inverse and multiplication distributes over addition.
      for (let a = 1; a < q; a++) expect([...Array(q).keys()].some((b) => f.mul(a, b) === 1)).toBe(true);
      for (let a = 0; a < q; a++) for (let b = 0; b < q; b++) expect(f.mul(a, f.add(b, 1))).toBe(f.add(f.mul(a, b), a));
    }
    for (const [g, s, w] of [
      [8, 4, 9],
      [5, 3, 5],
      [9, 3, 10],
      [7, 5, 7],
    ]) {
      const d = designPhases(g, s)!;
      expect(d).toHaveLength(w);
      expect(summarise(d, g * s)).toEqual({ repeatedPairs: 0, cleanPhases: w });
      for (const units of d) expect(units.flat().sort((a, b) => a - b)).toEqual([...Array(g * s).keys()]);
    }
    expect(designPhases(6, 3)).toBeNull();
    // 32 people in units of 4 over 9 phases (the social golfers' 8-4-9) with no pair meeting twice.
    const r = reshuffle({ people: plain(32), unitSize: 4, phases: 9, seed: 3, timeLimitMs: 60_000 });
    expect(r.cost).toBe(0);
    expect(summarise(r.phases, 32)).toEqual({ repeatedPairs: 0, cleanPhases: 9 });
  });

  it("searches when more phases are asked than the design has: 5 units of 3 over 7 phases (the design gives 5)", () => {
    const r = reshuffle({ people: plain(15), unitSize: 3, phases: 7, seed: 2, timeLimitMs: 60_000 });
    expect(summarise(r.phases, 15)).toEqual({ repeatedPairs: 0, cleanPhases: 7 });
  });

  it("sizes units so every unit is filled", () => {
    expect(unitSizes(15, 5)).toEqual([5, 5, 5]);
    expect(unitSizes(17, 5)).toEqual([6, 6, 5]);
    expect(unitSizes(13, 5)).toEqual([5, 4, 4]);
    expect(unitSizes(3, 5)).toEqual([3]);
  });
});
