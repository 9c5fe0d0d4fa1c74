import { describe, expect, it } from "vitest";
import { avatarBackground, BLACK, blend, contrast, hsl, textOn, WHITE } from "../../web/src/contrast";

/** The colours the web app computes meet WCAG AA contrast for whatever hue or weight they get. */
describe("computed colours of the web app", () => {
  it("measures contrast as WCAG does", () => {
    expect(contrast(WHITE, [0, 0, 0])).toBeCloseTo(21, 5);
    expect(contrast([36, 88, 214], WHITE)).toBeGreaterThan(6);
    expect(hsl(0, 100, 50)).toEqual([255, 0, 0]);
  });

  it("white initials on an avatar reach 4.5:1 for every hue", () => {
    for (let hue = 0; hue < 360; hue++) {
      const [, , s, l] = /hsl\((\d+) (\d+)% (\d+)%\)/.exec(avatarBackground(hue))!.map(Number);
      expect(contrast(WHITE, hsl(hue, s!, l!))).toBeGreaterThanOrEqual(4.5);
    }
  });

  it("a heat-map cell's text reaches 4.5:1 at every weight", () => {
    for (let w = 0; w <= 1; w += 0.01) {
      const bg = blend([36, 88, 214], 0.08 + 0.85 * w);
      expect(contrast(textOn(bg) === "#fff" ? WHITE : BLACK, bg)).toBeGreaterThanOrEqual(4.5);
    }
  });
});
