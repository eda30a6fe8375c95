export { createMailer, unsubscribeHeaders, type Mailer, type OutgoingMail } from './mailer.ts';
export { eraseMailsTo, listOutbox, mailsTo } from './notify.repository.ts';
export { instanceId, sessionUid, nextSequence, currentSequences, signLink, verifyLink } from './calendar.ts';
export {
  icsCalendar,
  icsInstant,
  escapeText,
  foldLine,
  type IcsEvent,
  type IcsMethod,
  type IcsPerson,
} from './ics.ts';
export {
  registrationMail,
  timeRange,
  type RegistrationMailKind,
  type RegistrationMailInput,
} from './templates.ts';
export {
  enqueueJob,
  rescheduleJob,
  cancelJobs,
  runDueJobs,
  startScheduler,
  registerJobHandler,
  type JobContext,
  type JobHandler,
  type ClaimedJob,
  type JobFilter,
} from './jobs.ts';
