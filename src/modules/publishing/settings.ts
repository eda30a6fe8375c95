import type { Db } from '../../db/index.ts';

export interface OidcSettings {
  issuer: string;
  clientId: string;
  clientSecret: string;
  label: string;
}
const KEY = 'oidc';

/** The admin's OpenID Connect provider for commenters, or null when none is configured. */
export async function oidcSettings(db: Db): Promise<OidcSettings | null> {
  const row = await db.selectFrom('publishing_setting').select('value').where('key', '=', KEY).executeTakeFirst();
  if (!row) return null;
  const s = JSON.parse(row.value) as OidcSettings;
  return s.issuer && s.clientId ? s : null;
}

/** Stores the provider (an empty secret keeps the stored one). */
export async function saveOidcSettings(db: Db, input: { issuer: string; clientId: string; clientSecret?: string; label: string }): Promise<void> {
  const old = await db.selectFrom('publishing_setting').select('value').where('key', '=', KEY).executeTakeFirst();
  const prev = old ? (JSON.parse(old.value) as OidcSettings) : null;
  const value: OidcSettings = { issuer: input.issuer.replace(/\/$/, ''), clientId: input.clientId, clientSecret: input.clientSecret || prev?.clientSecret || '', label: input.label || 'OpenID Connect' };
  const now = new Date().toISOString();
  if (old) await db.updateTable('publishing_setting').set({ value: JSON.stringify(value), updated_at: now }).where('key', '=', KEY).execute();
  else await db.insertInto('publishing_setting').values({ key: KEY, value: JSON.stringify(value), updated_at: now }).execute();
}
