/** Colour contrast as WCAG 2.1 measures it, for colours the app computes (avatars, heat-map cells). */
export type Rgb = [number, number, number];

const channel = (c: number) => {
  const s = c / 255;
  return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
};

/** Relative luminance of an sRGB colour (0–255 channels). */
export function luminance([r, g, b]: Rgb): number {
  return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
}

/** The contrast ratio of two colours, 1 to 21. */
export function contrast(a: Rgb, b: Rgb): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

/** HSL (degrees, percent, percent) to sRGB. */
export function hsl(h: number, s: number, l: number): Rgb {
  const sat = s / 100;
  const light = l / 100;
  const k = (n: number) => (n + h / 30) % 12;
  const a = sat * Math.min(light, 1 - light);
  const f = (n: number) => light - a * Math.max(-1, Math.min(k(n) - 3, 9 - k(n), 1));
  return [Math.round(f(0) * 255), Math.round(f(8) * 255), Math.round(f(4) * 255)];
}

/** `rgb` laid with opacity `alpha` over `under`. */
export function blend(rgb: Rgb, alpha: number, under: Rgb = [255, 255, 255]): Rgb {
  return rgb.map((c, i) => Math.round(c * alpha + under[i]! * (1 - alpha))) as Rgb;
}

export const WHITE: Rgb = [255, 255, 255];
export const BLACK: Rgb = [0, 0, 0];

/**
 * White or black, whichever reads better on `background`: one of the two always reaches 4.58:1
 * (a softer dark grey would leave mid-tones below 4.5:1 with either).
 */
export function textOn(background: Rgb): "#fff" | "#000" {
  return contrast(WHITE, background) >= contrast(BLACK, background) ? "#fff" : "#000";
}

/**
 * An avatar's background for its hue: as light as it can be while white initials keep at least
 * 4.5:1 (WCAG AA for small text); yellows and greens come out darker than blues.
 */
export function avatarBackground(hue: number): string {
  let l = 45;
  while (l > 10 && contrast(WHITE, hsl(hue, 55, l)) < 4.6) l -= 1;
  return `hsl(${hue} 55% ${l}%)`;
}

export const rgbCss = ([r, g, b]: Rgb) => `rgb(${r}, ${g}, ${b})`;
