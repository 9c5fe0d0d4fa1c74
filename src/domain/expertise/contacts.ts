/**
 * People named in a piece of knowledge: by full name or by job title ("ask the site safety
 * coordinator"). A mention in a "who to ask" part, or in a sentence that says to ask, contact or
 * call someone, names them as the contact (strength 1); a role named elsewhere, e.g. in a step
 * ("the inventory controller posts the difference"), names who does the work (strength 0.5).
 */
export type NamedPerson = { id: string; name: string; title: string };
export type Mention = { personId: string; label: string; strength: number };

const ASK_HEADING = /\b(who to ask|contacts?|ask|questions?|help|support|owner)\b/i;
const ASK_SENTENCE = /\b(ask|asks|contact|call|phone|ring|speak to|talk to|e-?mail|escalate to|check with|reach)\b/i;

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
const norm = (s: string) => s.toLowerCase().replace(/\s+/g, " ").trim();

export class ContactMatcher {
  private readonly re: RegExp | null;
  private readonly byPhrase = new Map<string, { ids: string[]; label: string }>();

  /** Names count from two words up (a first name alone is too ambiguous); titles from four letters. */
  constructor(people: readonly NamedPerson[]) {
    for (const p of people) {
      const name = norm(p.name);
      if (name.split(" ").length >= 2 && name.length >= 6) this.addPhrase(name, p.id, p.name);
      const title = norm(p.title);
      if (title.length >= 4) this.addPhrase(title, p.id, p.title);
    }
    const phrases = [...this.byPhrase.keys()].sort((a, b) => b.length - a.length);
    // Longest first, so "goods-in team lead" wins over a shorter title inside it; a plural "s" is allowed.
    this.re = phrases.length
      ? new RegExp(`(?<![\\p{L}\\p{N}])(${phrases.map(escape).join("|")})s?(?![\\p{L}\\p{N}])`, "giu")
      : null;
  }

  private addPhrase(phrase: string, id: string, label: string): void {
    const entry = this.byPhrase.get(phrase);
    if (entry) entry.ids.push(id);
    else this.byPhrase.set(phrase, { ids: [id], label });
  }

  /** Everyone the (Markdown) text names, once each with the strongest mention. */
  mentions(text: string): Mention[] {
    if (!this.re) return [];
    const out = new Map<string, Mention>();
    let askPart = false;
    for (const line of text.split("\n")) {
      const heading = /^#{1,6}\s+(.*)$/.exec(line);
      if (heading) {
        askPart = ASK_HEADING.test(heading[1]);
        continue;
      }
      for (const sentence of line.split(/(?<=[.!?;])\s+/)) {
        const strength = askPart || ASK_SENTENCE.test(sentence) ? 1 : 0.5;
        for (const m of norm(sentence).matchAll(this.re)) {
          const entry = this.byPhrase.get(m[1]) ?? this.byPhrase.get(m[1].replace(/s$/, ""));
          if (!entry) continue;
          // A title many people hold names none of them in particular.
          const share = entry.ids.length > 3 ? 3 / entry.ids.length : 1;
          for (const id of entry.ids) {
            const prev = out.get(id);
            if (!prev || prev.strength < strength * share)
              out.set(id, { personId: id, label: entry.label, strength: strength * share });
          }
        }
      }
    }
    return [...out.values()];
  }
}
