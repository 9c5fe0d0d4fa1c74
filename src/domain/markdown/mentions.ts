// @mentions in Markdown. A mention is stored as an ordinary link to the person's page,
// `[@Name](/people/<userId>)`, so it renders (sanitised) as a link everywhere without a special
// renderer, survives copy and paste, and names the person even where mentions are not understood.
// Pure: the server parses what was saved, the web app inserts what the autocomplete picked.

const UUID = "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}";
const MENTION = new RegExp(String.raw`\[@([^\]\n]{1,120})\]\(/people/(${UUID})\)`, "g");

/** The most people one text may notify (a longer list of names is not a conversation). */
export const MAX_MENTIONS = 50;

/** The ids of the people a Markdown text mentions, in order of first appearance, without repeats. */
export function parseMentions(markdown: string): string[] {
  const ids: string[] = [];
  for (const m of markdown.matchAll(MENTION)) {
    const id = m[2].toLowerCase();
    if (!ids.includes(id)) ids.push(id);
    if (ids.length >= MAX_MENTIONS) break;
  }
  return ids;
}

/** The people mentioned in `text` who were not mentioned in `before` (an edit notifies only them). */
export function newMentions(text: string, before = ""): string[] {
  const old = new Set(parseMentions(before));
  return parseMentions(text).filter((id) => !old.has(id));
}

/** The Markdown of a mention: `[@Name](/people/<id>)` (brackets in the name are dropped). */
export function mentionMarkdown(person: { id: string; name: string }): string {
  const name = person.name.replace(/[[\]\n]/g, " ").trim() || "someone";
  return `[@${name}](/people/${person.id})`;
}
