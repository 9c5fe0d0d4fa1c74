/** One ranking occasion: candidate feature rows and which row was the right answer. */
export type ChoiceGroup = {
  x: number[][];
  y: number;
  /** How much this occasion counts in the fit (default 1), e.g. less for older occasions. */
  weight?: number;
};

/** Solves A z = b by Gaussian elimination with partial pivoting (A is small and dense). */
function solve(a: number[][], b: number[]): number[] {
  const n = b.length;
  const m = a.map((row, i) => [...row, b[i]]);
  for (let c = 0; c < n; c++) {
    let piv = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r][c]) > Math.abs(m[piv][c])) piv = r;
    [m[c], m[piv]] = [m[piv], m[c]];
    const d = m[c][c] || 1e-12;
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = m[r][c] / d;
      for (let k = c; k <= n; k++) m[r][k] -= f * m[c][k];
    }
  }
  return m.map((row, i) => row[n] / (row[i] || 1e-12));
}

/** Mean log-likelihood of the chosen rows under a linear softmax (conditional logit) model. */
export function logLikelihood(groups: readonly ChoiceGroup[], w: readonly number[]): number {
  let ll = 0;
  let total = 0;
  for (const g of groups) {
    const s = g.x.map((row) => row.reduce((acc, v, i) => acc + v * w[i], 0));
    const mx = Math.max(...s);
    const z = s.reduce((acc, v) => acc + Math.exp(v - mx), 0);
    const gw = g.weight ?? 1;
    ll += gw * (s[g.y] - mx - Math.log(z));
    total += gw;
  }
  return total > 0 ? ll / total : 0;
}

/**
 * Fits the weights of a conditional logit ("who, among these candidates, answered?") by Newton's
 * method with an L2 penalty. Convex, so the result does not depend on a starting point or a schedule.
 */
export function fitConditionalLogit(
  groups: readonly ChoiceGroup[],
  dims: number,
  l2 = 1e-2,
  iterations = 30,
  start?: readonly number[],
): number[] {
  // A warm start (earlier weights) only saves iterations: the optimum is unique.
  let w = start && start.length === dims ? [...start] : new Array<number>(dims).fill(0);
  for (let it = 0; it < iterations; it++) {
    const grad = new Array<number>(dims).fill(0);
    const hess = Array.from({ length: dims }, () => new Array<number>(dims).fill(0));
    let total = 0;
    for (const g of groups) {
      const gw = g.weight ?? 1;
      total += gw;
      const s = g.x.map((row) => row.reduce((acc, v, i) => acc + v * w[i], 0));
      const mx = Math.max(...s);
      const e = s.map((v) => Math.exp(v - mx));
      const z = e.reduce((a, b) => a + b, 0);
      const mu = new Array<number>(dims).fill(0);
      g.x.forEach((row, j) => row.forEach((v, i) => (mu[i] += (e[j] / z) * v)));
      for (let i = 0; i < dims; i++) grad[i] += gw * (g.x[g.y][i] - mu[i]);
      g.x.forEach((row, j) => {
        const pj = e[j] / z;
        if (pj < 1e-12) return;
        for (let i = 0; i < dims; i++)
          for (let k = 0; k < dims; k++) hess[i][k] += gw * pj * (row[i] - mu[i]) * (row[k] - mu[k]);
      });
    }
    const n = total > 0 ? total : 1;
    for (let i = 0; i < dims; i++) {
      grad[i] = grad[i] / n - l2 * w[i];
      for (let k = 0; k < dims; k++) hess[i][k] = hess[i][k] / n + (i === k ? l2 : 0);
    }
    const step = solve(hess, grad);
    // Damped Newton: halve the step until the penalised likelihood improves (plain Newton can
    // overshoot on badly scaled features and run away).
    const objective = (v: readonly number[]) => logLikelihood(groups, v) - (l2 / 2) * v.reduce((a, x) => a + x * x, 0);
    const before = objective(w);
    let t = 1;
    let next = w.map((v, i) => v + step[i]);
    while (t > 1e-4 && !(objective(next) >= before)) {
      t /= 2;
      next = w.map((v, i) => v + t * step[i]);
    }
    if (t <= 1e-4) break;
    w = next;
    if (Math.max(...step.map((x) => Math.abs(x * t))) < 1e-6) break;
  }
  return w;
}
