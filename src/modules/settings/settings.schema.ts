import { z } from "zod";
import { endpoint } from "../../platform/endpoints";
import { DateTime, Version } from "../../platform/contracts";

/** The largest upload an admin may allow (a clip of a few minutes from a phone is 50–300 MB). */
export const UPLOAD_LIMIT_CEILING_MB = 2048;
export const UPLOAD_LIMIT_DEFAULT_MB = 100;
/** How long audit entries are kept by default (two years), and the bounds an admin may choose within. */
export const AUDIT_RETENTION_DEFAULT_DAYS = 730;

export const SettingsOut = z.object({
  /** The largest upload, in MB: clips up to this; photos up to 10 MB, other files 25 MB (or this if lower). */
  uploadLimitMb: z.number().int(),
  /** Audit entries older than this many days are deleted. */
  auditRetentionDays: z.number().int(),
  version: z.number().int(),
  updatedAt: DateTime.nullable(),
  /** Whether the reader may change them (admins). */
  canManage: z.boolean(),
});
export type SettingsOut = z.infer<typeof SettingsOut>;

export const SettingsPatch = z
  .object({
    version: Version,
    uploadLimitMb: z
      .number({ error: "must be a whole number of MB" })
      .int("must be a whole number of MB")
      .min(1, "must be at least 1 MB")
      .max(UPLOAD_LIMIT_CEILING_MB, `must be at most ${UPLOAD_LIMIT_CEILING_MB} MB`)
      .optional(),
    auditRetentionDays: z
      .number({ error: "must be a whole number of days" })
      .int("must be a whole number of days")
      .min(30, "must be at least 30 days")
      .max(3650, "must be at most 3,650 days (ten years)")
      .optional(),
  })
  .strict();

/** The endpoints of settings.routes.ts. */
export const settingsEndpoints = {
  getSettings: endpoint({ method: "GET", path: "/settings", response: SettingsOut }),
  patchSettings: endpoint({ method: "PATCH", path: "/settings", body: SettingsPatch, response: SettingsOut }),
};
