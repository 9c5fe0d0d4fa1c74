/**
 * A constructive start for reshuffling when the cohort splits into g units of s people and g is a
 * prime power with s ≤ g: the transversal design over the finite field GF(g). People are points (r, x)
 * with row r < s and x in GF(g); in phase m, unit c holds (r, c + m·r) for every row r. Two people in
 * different rows meet in exactly one phase (x₁ − x₂ = m·(r₁ − r₂) has one solution m), people in the
 * same row never do — so when s divides g one more phase splits each row into units of s. That gives
 * g phases (g + 1 when s divides g) with no repeated pairing, e.g. 8 units of 4 over 9 phases. Used
 * only when it has as many phases as asked (reshuffle.ts); the search then sees to departments and
 * evidence.
 */

/** Addition and multiplication in GF(q) for a prime power q (elements 0..q-1), or null. */
export function finiteField(
  q: number,
): { add: (a: number, b: number) => number; mul: (a: number, b: number) => number } | null {
  if (q < 2 || q > 256) return null;
  let p = 2;
  while (q % p !== 0) p++;
  let k = 0;
  for (let r = q; r > 1; r /= p) {
    if (r % p !== 0) return null;
    k++;
  }
  // Elements are polynomials over GF(p) of degree < k, digit i (base p) the coefficient of xⁱ.
  const digits = (a: number) => Array.from({ length: k }, (_, i) => Math.floor(a / p ** i) % p);
  const fromDigits = (d: number[]) => d.reduce((s, c, i) => s + c * p ** i, 0);
  const add = (a: number, b: number) => fromDigits(digits(a).map((c, i) => (c + digits(b)[i]) % p));
  // Multiplication modulo a monic polynomial of degree k: the first that makes every non-zero element invertible.
  for (let low = 0; low < q; low++) {
    const modulus = [...digits(low), 1];
    const mulPoly = (a: number, b: number) => {
      const prod = new Array(2 * k).fill(0);
      const da = digits(a);
      const db = digits(b);
      for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) prod[i + j] = (prod[i + j] + da[i] * db[j]) % p;
      for (let d = 2 * k - 1; d >= k; d--) {
        const c = prod[d];
        if (!c) continue;
        for (let i = 0; i <= k; i++) prod[d - k + i] = (((prod[d - k + i] - c * modulus[i]) % p) + p) % p;
      }
      return fromDigits(prod.slice(0, k));
    };
    const table = new Int32Array(q * q);
    for (let a = 0; a < q; a++) for (let b = 0; b < q; b++) table[a * q + b] = mulPoly(a, b);
    let field = true;
    for (let a = 1; a < q && field; a++) {
      let inverse = false;
      for (let b = 1; b < q; b++) if (table[a * q + b] === 1) inverse = true;
      field = inverse;
    }
    if (field) {
      const sums = new Int32Array(q * q);
      for (let a = 0; a < q; a++) for (let b = 0; b < q; b++) sums[a * q + b] = add(a, b);
      return { add: (a, b) => sums[a * q + b], mul: (a, b) => table[a * q + b] };
    }
  }
  return null;
}

/**
 * Phases of g units of s people (people 0..g·s-1, person r·g + x is the point (r, x)) with no pairing
 * repeated, from the transversal design over GF(g); null when g is not a prime power or s > g.
 */
export function designPhases(g: number, s: number): number[][][] | null {
  if (s < 2 || s > g) return null;
  const field = finiteField(g);
  if (!field) return null;
  const phases: number[][][] = [];
  for (let m = 0; m < g; m++)
    phases.push(
      Array.from({ length: g }, (_, c) => Array.from({ length: s }, (_, r) => r * g + field.add(c, field.mul(m, r)))),
    );
  if (g % s === 0)
    phases.push(
      Array.from({ length: g }, (_, u) => {
        const per = g / s;
        const r = Math.floor(u / per);
        const chunk = u % per;
        return Array.from({ length: s }, (_, k) => r * g + chunk * s + k);
      }),
    );
  return phases;
}
