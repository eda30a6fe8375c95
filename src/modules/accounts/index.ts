export * from './authz.ts';
export * as accountsSchema from './accounts.schema.ts';
export {
  accountWithoutLogin,
  actorFromToken,
  addGrant,
  createAdmin,
  hasAdmin,
  hashPassword,
  invite,
  acceptInvitation,
  findInvitation,
  revokeGrant,
  grantsInSeries,
  verifyLogin,
  startSession,
  endSession,
  sha256,
} from './accounts.service.ts';
export { accountRoutes } from './accounts.routes.ts';
export { accountNames, seriesModerators } from './accounts.repository.ts';
export { inviteIntoSeries } from './invitations.ts';
export { setSeriesDirectory, type SeriesDirectory } from './directory.ts';
