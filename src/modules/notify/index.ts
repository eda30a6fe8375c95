export { createMailer, unsubscribeHeaders, type Mailer, type OutgoingMail } from './mailer.ts';
export { eraseMailsAbout, eraseMailsTo, listOutbox, mailsAbout, mailsTo } from './notify.repository.ts';
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
  runJobsNow,
  startScheduler,
  MAX_JOB_ATTEMPTS,
  registerJobHandler,
  type JobContext,
  type JobHandler,
  type ClaimedJob,
  type JobFilter,
  type JobOptions,
} from './jobs.ts';
