/**
 * xAPI agents and groups: validation of an Agent / Group object and its inverse functional identifier
 * (IFI), normalised to one string so that statements and documents are filtered by one indexed column.
 */

export type XapiError = { path: string; message: string };

export type Agent = {
  objectType?: "Agent" | "Group";
  name?: string;
  mbox?: string;
  mbox_sha1sum?: string;
  openid?: string;
  account?: { homePage: string; name: string };
  member?: Agent[];
};

const IFI_KEYS = ["mbox", "mbox_sha1sum", "openid", "account"] as const;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
/** An absolute IRI (scheme ":" …). */
export const isIri = (v: unknown): v is string => typeof v === "string" && /^[a-zA-Z][a-zA-Z0-9+.-]*:\S*$/.test(v);

/**
 * Checks an Agent or Group. An Agent needs exactly one IFI; an identified Group exactly one; an
 * anonymous Group none but members. Returns the problems found (empty when valid).
 */
export function agentProblems(value: unknown, path: string, allowGroup = true): XapiError[] {
  if (!isObject(value)) return [{ path, message: "must be an Agent or Group object" }];
  const out: XapiError[] = [];
  const type = value.objectType ?? "Agent";
  if (type !== "Agent" && type !== "Group")
    return [{ path: `${path}.objectType`, message: 'must be "Agent" or "Group"' }];
  if (type === "Group" && !allowGroup) out.push({ path: `${path}.objectType`, message: "a Group is not allowed here" });
  const allowed = new Set(["objectType", "name", ...IFI_KEYS, ...(type === "Group" ? ["member"] : [])]);
  for (const k of Object.keys(value))
    if (!allowed.has(k)) out.push({ path: `${path}.${k}`, message: "is not a property of an " + type });
  if (value.name !== undefined && typeof value.name !== "string")
    out.push({ path: `${path}.name`, message: "must be a string" });
  const ifis = IFI_KEYS.filter((k) => value[k] !== undefined);
  if (type === "Agent" && ifis.length !== 1)
    out.push({ path, message: "an Agent must have exactly one of mbox, mbox_sha1sum, openid, account" });
  if (type === "Group" && ifis.length > 1)
    out.push({ path, message: "a Group must have at most one of mbox, mbox_sha1sum, openid, account" });
  if (value.mbox !== undefined && (typeof value.mbox !== "string" || !/^mailto:[^@\s]+@[^@\s]+$/.test(value.mbox)))
    out.push({ path: `${path}.mbox`, message: 'must be a "mailto:" IRI' });
  if (
    value.mbox_sha1sum !== undefined &&
    (typeof value.mbox_sha1sum !== "string" || !/^[0-9a-fA-F]{40}$/.test(value.mbox_sha1sum))
  )
    out.push({ path: `${path}.mbox_sha1sum`, message: "must be a hex-encoded SHA-1" });
  if (value.openid !== undefined && !isIri(value.openid))
    out.push({ path: `${path}.openid`, message: "must be an IRI" });
  if (value.account !== undefined) {
    const a = value.account;
    if (!isObject(a)) out.push({ path: `${path}.account`, message: "must be an object with homePage and name" });
    else {
      for (const k of Object.keys(a))
        if (k !== "homePage" && k !== "name")
          out.push({ path: `${path}.account.${k}`, message: "is not a property of an account" });
      if (!isIri(a.homePage)) out.push({ path: `${path}.account.homePage`, message: "must be an IRL" });
      if (typeof a.name !== "string") out.push({ path: `${path}.account.name`, message: "must be a string" });
    }
  }
  if (type === "Group") {
    if (value.member !== undefined) {
      if (!Array.isArray(value.member)) out.push({ path: `${path}.member`, message: "must be an array of Agents" });
      else value.member.forEach((m, i) => out.push(...agentProblems(m, `${path}.member[${i}]`, false)));
    } else if (ifis.length === 0)
      out.push({ path: `${path}.member`, message: "an anonymous Group must list its members" });
  }
  return out;
}

/** The normalised IFI of an Agent or identified Group; null for an anonymous Group. */
export function ifiOf(agent: Agent): string | null {
  if (agent.mbox) return `mbox:${agent.mbox.toLowerCase()}`;
  if (agent.mbox_sha1sum) return `sha1:${agent.mbox_sha1sum.toLowerCase()}`;
  if (agent.openid) return `openid:${agent.openid}`;
  if (agent.account) return `account:${agent.account.homePage}|${agent.account.name}`;
  return null;
}

/** Every IFI an Agent or Group stands for (a Group: itself if identified, and its members). */
export function ifisOf(agent: Agent): string[] {
  const own = ifiOf(agent);
  const members = agent.objectType === "Group" ? (agent.member ?? []).map(ifiOf) : [];
  return [own, ...members].filter((x): x is string => x !== null);
}

/** Parses the `agent` query parameter (JSON) into a valid Agent or Group, or the problems. */
export function parseAgentParam(raw: unknown, name = "agent"): { agent: Agent } | { problems: XapiError[] } {
  if (typeof raw !== "string") return { problems: [{ path: name, message: "is required (a JSON Agent object)" }] };
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return { problems: [{ path: name, message: "must be JSON" }] };
  }
  const problems = agentProblems(value, name);
  return problems.length ? { problems } : { agent: value as Agent };
}
