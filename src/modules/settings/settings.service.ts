import { eq } from "drizzle-orm";
import { settings } from "../../../db/schema";
import type { AppContext } from "../../context";
import type { Executor } from "../../platform/db";
import { authorize, can, type Actor } from "../../authz/policy";
import { AppError } from "../../platform/errors";
import { recordAudit } from "../../platform/audit";
import { AUDIT_RETENTION_DEFAULT_DAYS, UPLOAD_LIMIT_DEFAULT_MB, type SettingsOut } from "./settings.schema";

// The organisation's own settings, kept as one JSON row (key "instance") so a change is one write
// with one version. Unknown or missing fields fall back to the defaults, so adding a setting needs
// no migration.
const KEY = "instance";

type Stored = { uploadLimitMb: number; auditRetentionDays: number; version: number };
const DEFAULTS: Stored = {
  uploadLimitMb: UPLOAD_LIMIT_DEFAULT_MB,
  auditRetentionDays: AUDIT_RETENTION_DEFAULT_DAYS,
  version: 1,
};

async function load(db: Executor): Promise<Stored & { updatedAt: Date | null }> {
  const [row] = await db.select().from(settings).where(eq(settings.key, KEY));
  if (!row) return { ...DEFAULTS, updatedAt: null };
  let parsed: Partial<Stored> = {};
  try {
    parsed = JSON.parse(row.value) as Partial<Stored>;
  } catch {
    parsed = {};
  }
  return {
    uploadLimitMb: Number.isInteger(parsed.uploadLimitMb) ? parsed.uploadLimitMb! : DEFAULTS.uploadLimitMb,
    auditRetentionDays: Number.isInteger(parsed.auditRetentionDays)
      ? parsed.auditRetentionDays!
      : DEFAULTS.auditRetentionDays,
    version: Number.isInteger(parsed.version) ? parsed.version! : DEFAULTS.version,
    updatedAt: row.updatedAt,
  };
}

const present = (s: Stored & { updatedAt: Date | null }, actor: Actor): SettingsOut => ({
  uploadLimitMb: s.uploadLimitMb,
  auditRetentionDays: s.auditRetentionDays,
  version: s.version,
  updatedAt: s.updatedAt?.toISOString() ?? null,
  canManage: can(actor, "administer", { kind: "instance" }),
});

/** The largest upload allowed now, in bytes (what upload paths enforce). */
export async function uploadLimitBytes(db: Executor): Promise<number> {
  return (await load(db)).uploadLimitMb * 1024 * 1024;
}

/** How many days audit entries are kept. */
export async function auditRetentionDays(db: Executor): Promise<number> {
  return (await load(db)).auditRetentionDays;
}

/** The settings, for anyone signed in (they say what the organisation allows; nothing private). */
export async function getSettings(ctx: AppContext, actor: Actor): Promise<SettingsOut> {
  return present(await load(ctx.db), actor);
}

/** Changes settings (admins); a stale version is refused with 409, and the change is audited. */
export async function updateSettings(
  ctx: AppContext,
  actor: Actor,
  patch: { version: number; uploadLimitMb?: number; auditRetentionDays?: number },
): Promise<SettingsOut> {
  authorize(actor, "administer", { kind: "instance" });
  return ctx.db.transaction(async (tx) => {
    const current = await load(tx);
    if (current.version !== patch.version)
      throw new AppError("conflict", "Someone changed the settings in the meantime; reload to see their values");
    const next: Stored = {
      uploadLimitMb: patch.uploadLimitMb ?? current.uploadLimitMb,
      auditRetentionDays: patch.auditRetentionDays ?? current.auditRetentionDays,
      version: current.version + 1,
    };
    const now = ctx.now();
    const value = JSON.stringify(next);
    await tx
      .insert(settings)
      .values({ key: KEY, value, updatedAt: now })
      .onConflictDoUpdate({ target: settings.key, set: { value, updatedAt: now } });
    const changes = [
      next.uploadLimitMb !== current.uploadLimitMb &&
        `upload limit ${current.uploadLimitMb} MB → ${next.uploadLimitMb} MB`,
      next.auditRetentionDays !== current.auditRetentionDays &&
        `audit kept ${current.auditRetentionDays} → ${next.auditRetentionDays} days`,
    ].filter(Boolean);
    if (changes.length) {
      await recordAudit(tx, {
        actorId: actor.id,
        action: "settings.update",
        subjectType: "instance",
        subjectId: "settings",
        detail: changes.join("; "),
        at: now,
      });
    }
    return present({ ...next, updatedAt: now }, actor);
  });
}
