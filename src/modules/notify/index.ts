export { createMailer, type Mailer, type OutgoingMail } from './mailer.ts';
export { listOutbox } from './notify.repository.ts';
