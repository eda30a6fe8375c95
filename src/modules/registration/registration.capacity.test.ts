import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeSeries, makeSession, unique } from '../../../test/support/factories.ts';
import { testServer } from '../../../test/support/server.ts';
import { startSmtp } from '../../../test/support/smtp.ts';
import type { Running } from '../../server/index.ts';

let srv: Running;
let smtp: Awaited<ReturnType<typeof startSmtp>>;

beforeAll(async () => {
  process.env.REGISTRATION_RATE_LIMIT = '10000';
  smtp = await startSmtp();
  srv = await testServer({ SMTP_URL: smtp.url, COLLOQUY_JOBS: '0' });
});
afterAll(async () => {
  await srv?.close();
  await smtp?.close();
  delete process.env.REGISTRATION_RATE_LIMIT;
});

describe('registration capacity and waiting list', () => {
  it('puts the 101st of 101 concurrent registrants for a 100-seat session on the waitlist, and promotes them (one e-mail) when someone cancels', async () => {
    const s = await makeSeries(srv.ctx.db, { registrationMode: 'session' });
    const sessionId = await makeSession(srv.ctx.db, s, { capacity: 100 });
    const tag = unique('crowd');
    const emails = Array.from({ length: 101 }, (_, i) => `${tag}-${i}@example.org`);
    const responses = await Promise.all(
      emails.map((email, i) =>
        srv.app.inject({
          method: 'POST',
          url: `/api/series/${s.id}/registrations`,
          payload: {
            name: `Person ${i}`,
            email,
            country: 'KE',
            answers: { career_stage: 'mid' },
            language: 'en',
            sessionIds: [sessionId],
            consent: true,
          },
        }),
      ),
    );
    expect(responses.map((r) => r.statusCode).filter((c) => c !== 201)).toEqual([]);
    const rows = await srv.ctx.db
      .selectFrom('registration')
      .select(['email', 'status', 'manage_token_hash'])
      .where('session_id', '=', sessionId)
      .execute();
    expect(rows).toHaveLength(101);
    expect(rows.filter((r) => r.status === 'confirmed')).toHaveLength(100);
    const waiting = rows.filter((r) => r.status === 'waitlisted');
    expect(waiting).toHaveLength(1);
    const waiter = waiting[0].email;
    await smtp.waitFor(101);
    expect(smtp.mails.filter((m) => m.to.includes(waiter)).map((m) => m.subject)).toEqual([
      expect.stringMatching(/^You are on the waiting list/),
    ]);

    // One confirmed person cancels through their manage link.
    const canceller = rows.find((r) => r.status === 'confirmed')!.email;
    const mail = smtp.mails.find((m) => m.to.includes(canceller))!;
    const token = /\/registrations\/([A-Za-z0-9_-]+)/.exec(mail.text)![1];
    const [a, b] = await Promise.all([
      srv.app.inject({ method: 'POST', url: `/api/registrations/${token}/cancel`, payload: {} }),
      srv.app.inject({ method: 'POST', url: `/api/registrations/${token}/cancel`, payload: {} }),
    ]);
    expect(
      [a.json<{ cancelled: number }>().cancelled, b.json<{ cancelled: number }>().cancelled].sort(),
    ).toEqual([0, 1]);
    const after = await srv.ctx.db
      .selectFrom('registration')
      .select(['email', 'status'])
      .where('session_id', '=', sessionId)
      .execute();
    expect(after.find((r) => r.email === waiter)!.status).toBe('confirmed');
    expect(after.filter((r) => r.status === 'confirmed')).toHaveLength(100);
    await smtp.waitFor(103);
    const toWaiter = smtp.mails.filter((m) => m.to.includes(waiter));
    expect(toWaiter.map((m) => m.subject)).toEqual([
      expect.stringMatching(/^You are on the waiting list/),
      expect.stringMatching(/^A place freed up/),
    ]);
    expect(toWaiter[1].calendars[0].method).toBe('REQUEST');
  });
});
