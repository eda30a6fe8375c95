import { registrantPages } from './registrants.pages.ts';
import type { FastifyInstance } from 'fastify';
import { registrationPages } from './registration.pages.ts';
import { registrationRoutes } from './registration.routes.ts';
import { attendancePages } from './attendance.pages.ts';

export {
  registrationAttributes,
  attendanceStats,
  importAttendance,
  summariseZoomReport,
  type RegistrationAttributes,
} from './attendance.ts';
export { erasureHooks, exportHooks, eraseEmail, exportData, purgeSeries, type Erasure } from './privacy.ts';
export { joinLinkFor, setJoinLinkResolver, registrationEvent } from './registration.mail.ts';
export { register, cancelRegistrations, promoteWaitlisted, byToken } from './registration.service.ts';
export { COUNTRY_CODES, isCountryCode } from '../../lib/countries.ts';
export { registrationDemo } from './registration.demo.ts';

/** Every route of the registration module (API, pages, calendar feeds) and its job scheduler. */
export async function routes(app: FastifyInstance): Promise<void> {
  await registrationRoutes(app);
  await registrationPages(app);
  await attendancePages(app);
  await registrantPages(app);
}
