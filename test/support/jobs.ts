import type { DbHandle } from '../../src/db/index.ts';
import { createMailer, type JobContext } from '../../src/modules/notify/index.ts';

/** What the scheduler gives a job handler, on this connection (mail goes to the outbox). */
export const jobContextFor = (db: DbHandle['db']): JobContext => ({
  db,
  mailer: createMailer(undefined, 'x@example.org'),
  config: { publicUrl: 'http://localhost', mailFrom: 'x@example.org' },
});
