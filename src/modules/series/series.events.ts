import type { Db } from '../../db/index.ts';
import type { SessionTable } from '../../db/schema.ts';

/** What `updateSession` reports: whether time, link, title or status changed, and the row before. */
export interface SessionChange {
  id: string;
  changed: boolean;
  before: SessionTable;
}

type Listener = (db: Db, change: SessionChange) => Promise<void>;
const listeners: Listener[] = [];

/** Lets other modules react to a session update (registration sends calendar updates). */
export function onSessionChanged(fn: Listener): void {
  if (!listeners.includes(fn)) listeners.push(fn);
}

/** Called by the series routes inside the update's transaction, so reactions commit with it. */
export async function emitSessionChanged(db: Db, change: SessionChange): Promise<SessionChange> {
  for (const fn of listeners) await fn(db, change);
  return change;
}

type DeleteGuard = (db: Db, sessionId: string) => Promise<void>;
const deleteGuards: DeleteGuard[] = [];

/** Lets other modules refuse (by throwing an AppError) or prepare the deletion of a session. */
export function onSessionDeleting(fn: DeleteGuard): void {
  if (!deleteGuards.includes(fn)) deleteGuards.push(fn);
}

/** Called by the series routes after authorisation, before a session is deleted, in the same transaction. */
export async function emitSessionDeleting(db: Db, sessionId: string): Promise<void> {
  for (const fn of deleteGuards) await fn(db, sessionId);
}

/** What a module attaching something to a new session is told about it. */
export interface NewSession {
  id: string;
  series_id: string;
}

type CreatedHook = (db: Db, session: NewSession) => Promise<void>;
let created: CreatedHook | undefined;

/**
 * Called once by the composition root (src/server/wiring.ts): live gives every new session its room and
 * join code. Series does not import live (live depends on series), so the function is handed in.
 */
export function setSessionCreated(fn: CreatedHook): void {
  created = fn;
}

/**
 * Called by `createSession` right after the insert, in the caller's transaction, so a session never
 * exists without its room. Unwired is an error rather than a session left without one.
 */
export async function emitSessionCreated(db: Db, session: NewSession): Promise<void> {
  if (!created) throw new Error('series: session creation is not wired (wireModules)');
  await created(db, session);
}
