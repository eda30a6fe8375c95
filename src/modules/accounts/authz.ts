import { forbidden, unauthenticated } from '../../lib/errors.ts';

export const ROLES = ['coordinator', 'co_organiser', 'facilitator', 'presenter'] as const;
export type Role = (typeof ROLES)[number];

export interface Grant {
  id: string;
  seriesId: string;
  role: Role;
  regionId: string | null;
}

/** Who is asking: a logged-in account with its grants, or nobody. */
export interface Actor {
  accountId: string;
  email: string;
  name: string;
  isAdmin: boolean;
  grants: Grant[];
  sessionId: string;
  csrfToken: string;
  /** The account's own language (null: follow the browser). */
  language?: string | null;
}

/** Throws 401 unless someone is logged in. */
export function requireActor(actor: Actor | null): Actor {
  if (!actor) throw unauthenticated();
  return actor;
}

function grantsIn(actor: Actor, seriesId: string): Grant[] {
  return actor.grants.filter((g) => g.seriesId === seriesId);
}

/** Any role in the series (or admin): may see its console and drafts. */
export function canViewSeries(actor: Actor | null, seriesId: string): boolean {
  return !!actor && (actor.isAdmin || grantsIn(actor, seriesId).length > 0);
}

/** Coordinator (or admin): the whole series, its regions, roles and people. */
export function canManageSeries(actor: Actor | null, seriesId: string): boolean {
  return !!actor && (actor.isAdmin || grantsIn(actor, seriesId).some((g) => g.role === 'coordinator'));
}

/** Coordinator, or a co-organiser of exactly this session's region. */
export function canEditSession(actor: Actor | null, seriesId: string, regionId: string | null): boolean {
  if (!actor) return false;
  if (canManageSeries(actor, seriesId)) return true;
  return grantsIn(actor, seriesId).some(
    (g) => g.role === 'co_organiser' && g.regionId !== null && g.regionId === regionId,
  );
}

/** People and organisations of a series: coordinators and co-organisers (they bring their speakers). */
export function canEditDirectory(actor: Actor | null, seriesId: string): boolean {
  if (!actor) return false;
  return canManageSeries(actor, seriesId) || grantsIn(actor, seriesId).some((g) => g.role === 'co_organiser');
}

/** May add sessions at all: coordinators, and co-organisers who have a region to add them to. */
export function canAddSessions(actor: Actor | null, seriesId: string): boolean {
  if (!actor) return false;
  return (
    canManageSeries(actor, seriesId) ||
    grantsIn(actor, seriesId).some((g) => g.role === 'co_organiser' && g.regionId !== null)
  );
}

/** Facilitators run the live conversations; coordinators may too. */
export function canFacilitate(actor: Actor | null, seriesId: string): boolean {
  if (!actor) return false;
  return canManageSeries(actor, seriesId) || grantsIn(actor, seriesId).some((g) => g.role === 'facilitator');
}

/** New series: admins, and anyone already coordinating a series. */
export function canCreateSeries(actor: Actor | null): boolean {
  return !!actor && (actor.isAdmin || actor.grants.some((g) => g.role === 'coordinator'));
}

/** Throws 401 for nobody and 403 for someone without the permission. */
export function authorize(actor: Actor | null, allowed: boolean, message?: string): Actor {
  const a = requireActor(actor);
  if (!allowed) throw forbidden(message);
  return a;
}
