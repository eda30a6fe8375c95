import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { inTransaction } from '../../server/tx.ts';
import * as S from './series.schema.ts';
import { emitSessionChanged, emitSessionDeleting } from './series.events.ts';
import * as svc from './series.service.ts';

const IdParams = z.object({ id: z.string().min(1).max(100) });
const Created = z.object({ id: z.string() });
const Err = z.object({
  error: z.object({ code: z.string(), message: z.string(), field: z.string().optional() }),
});
const errors = { 400: Err, 401: Err, 403: Err, 404: Err, 409: Err, 422: Err };
const writeSecurity = [{ session: [], csrf: [] }];

/** The JSON API of series, regions, sessions, people, organisations and presentations. */
export async function seriesRoutes(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db } = app.ctx;
  const detail = (req: { actor: Parameters<typeof svc.seriesDetail>[1] }, id: string) =>
    svc.seriesDetail(db, req.actor, id);

  r.get(
    '/api/series',
    {
      config: { public: true },
      schema: {
        tags: ['series'],
        summary: 'Series you can see: every published one, plus drafts you hold a role in',
        response: { 200: z.object({ series: z.array(S.SeriesSummaryOut) }) },
      },
    },
    async (req) => ({ series: await svc.listVisibleSeries(db, req.actor) }),
  );

  r.post(
    '/api/series',
    {
      schema: {
        tags: ['series'],
        summary: 'Create a series (you become its coordinator)',
        security: writeSecurity,
        body: S.SeriesCreateBody,
        response: { 201: S.SeriesOut, ...errors },
      },
    },
    async (req, reply) => {
      const id = await inTransaction(db, (trx) => svc.createSeries(trx, req.actor, req.body));
      app.ctx.invalidate();
      return reply.status(201).send(await detail(req, id));
    },
  );

  r.get(
    '/api/series/:id',
    {
      config: { public: true },
      schema: {
        tags: ['series'],
        summary: 'One series (by id or slug) with its regions, sessions and presentations',
        params: IdParams,
        response: { 200: S.SeriesOut, 404: Err },
      },
    },
    async (req) => detail(req, req.params.id),
  );

  r.patch(
    '/api/series/:id',
    {
      schema: {
        tags: ['series'],
        summary: 'Change a series (coordinators)',
        security: writeSecurity,
        params: IdParams,
        body: S.SeriesUpdateBody,
        response: { 200: S.SeriesOut, ...errors },
      },
    },
    async (req) => {
      const id = await inTransaction(db, (trx) => svc.updateSeries(trx, req.actor, req.params.id, req.body));
      app.ctx.invalidate();
      return detail(req, id);
    },
  );

  r.put(
    '/api/series/:id/regions',
    {
      schema: {
        tags: ['series'],
        summary: 'Replace the list of regions (coordinators)',
        security: writeSecurity,
        params: IdParams,
        body: S.RegionsBody,
        response: { 200: S.SeriesOut, ...errors },
      },
    },
    async (req) => {
      await inTransaction(db, (trx) => svc.replaceRegions(trx, req.actor, req.params.id, req.body.regions));
      app.ctx.invalidate();
      return detail(req, req.params.id);
    },
  );

  r.post(
    '/api/series/:id/sessions',
    {
      schema: {
        tags: ['sessions'],
        summary: 'Add a session. startsAt/endsAt: ISO 8601 with offset, or wall-clock time in timeZone',
        security: writeSecurity,
        params: IdParams,
        body: S.SessionCreateBody,
        response: { 201: S.SessionOut, ...errors },
      },
    },
    async (req, reply) => {
      const id = await inTransaction(db, (trx) => svc.createSession(trx, req.actor, req.params.id, req.body));
      app.ctx.invalidate();
      return reply.status(201).send(await sessionJson(req, id));
    },
  );

  const sessionJson = async (req: { actor: Parameters<typeof svc.seriesDetail>[1] }, sessionId: string) => {
    const sess = await svc.findSessionOr404(db, sessionId);
    const d = await detail(req, sess.series_id);
    const { presentations: _p, ...s } = d.sessions.find((x) => x.id === sessionId)!;
    return s;
  };

  r.get(
    '/api/sessions/:id',
    {
      config: { public: true },
      schema: {
        tags: ['sessions'],
        summary: 'One session',
        params: IdParams,
        response: { 200: S.SessionOut.extend({ presentations: z.array(S.PresentationOut) }), 404: Err },
      },
    },
    async (req) => {
      const sess = await svc.findSessionOr404(db, req.params.id);
      const d = await detail(req, sess.series_id);
      return d.sessions.find((x) => x.id === sess.id)!;
    },
  );

  r.patch(
    '/api/sessions/:id',
    {
      schema: {
        tags: ['sessions'],
        summary: 'Change a session (coordinators; co-organisers of its region)',
        security: writeSecurity,
        params: IdParams,
        body: S.SessionUpdateBody,
        response: { 200: S.SessionOut, ...errors },
      },
    },
    async (req) => {
      await inTransaction(db, async (trx) =>
        emitSessionChanged(trx, await svc.updateSession(trx, req.actor, req.params.id, req.body)),
      );
      app.ctx.invalidate();
      return sessionJson(req, req.params.id);
    },
  );

  r.delete(
    '/api/sessions/:id',
    {
      schema: {
        tags: ['sessions'],
        summary: 'Delete a session',
        security: writeSecurity,
        params: IdParams,
        response: { 204: z.null(), ...errors },
      },
    },
    async (req, reply) => {
      await inTransaction(db, async (trx) => {
        await svc.editableSession(trx, req.actor, req.params.id);
        await emitSessionDeleting(trx, req.params.id);
        await svc.deleteSession(trx, req.actor, req.params.id);
      });
      app.ctx.invalidate();
      return reply.status(204).send(null);
    },
  );

  r.get(
    '/api/series/:id/directory',
    {
      schema: {
        tags: ['people'],
        summary: 'People and organisations of a series (anyone with a role)',
        params: IdParams,
        response: {
          200: z.object({ people: z.array(S.PersonOut), organisations: z.array(S.OrganisationOut) }),
          ...errors,
        },
      },
    },
    async (req) => svc.listDirectory(db, req.actor, req.params.id),
  );

  r.post(
    '/api/series/:id/organisations',
    {
      schema: {
        tags: ['people'],
        summary: 'Add an organisation (association)',
        security: writeSecurity,
        params: IdParams,
        body: S.OrganisationBody,
        response: { 201: Created, ...errors },
      },
    },
    async (req, reply) => {
      const id = await inTransaction(db, (trx) =>
        svc.createOrganisation(trx, req.actor, req.params.id, req.body),
      );
      return reply.status(201).send({ id });
    },
  );

  r.put(
    '/api/organisations/:id',
    {
      schema: {
        tags: ['people'],
        summary: 'Change an organisation',
        security: writeSecurity,
        params: IdParams,
        body: S.OrganisationBody,
        response: { 200: Created, ...errors },
      },
    },
    async (req) => {
      await inTransaction(db, (trx) => svc.updateOrganisation(trx, req.actor, req.params.id, req.body));
      app.ctx.invalidate();
      return { id: req.params.id };
    },
  );

  r.post(
    '/api/series/:id/people',
    {
      schema: {
        tags: ['people'],
        summary: 'Add a person (presenter, organiser) with bio and affiliation',
        security: writeSecurity,
        params: IdParams,
        body: S.PersonBody,
        response: { 201: Created, ...errors },
      },
    },
    async (req, reply) => {
      const id = await inTransaction(db, (trx) => svc.createPerson(trx, req.actor, req.params.id, req.body));
      return reply.status(201).send({ id });
    },
  );

  r.put(
    '/api/people/:id',
    {
      schema: {
        tags: ['people'],
        summary: 'Change a person',
        security: writeSecurity,
        params: IdParams,
        body: S.PersonBody,
        response: { 200: Created, ...errors },
      },
    },
    async (req) => {
      await inTransaction(db, (trx) => svc.updatePerson(trx, req.actor, req.params.id, req.body));
      app.ctx.invalidate();
      return { id: req.params.id };
    },
  );

  r.post(
    '/api/sessions/:id/presentations',
    {
      schema: {
        tags: ['sessions'],
        summary: 'Add a presentation to a session',
        security: writeSecurity,
        params: IdParams,
        body: S.PresentationBody,
        response: { 201: Created, ...errors },
      },
    },
    async (req, reply) => {
      const id = await inTransaction(db, (trx) =>
        svc.createPresentation(trx, req.actor, req.params.id, req.body),
      );
      app.ctx.invalidate();
      return reply.status(201).send({ id });
    },
  );

  r.put(
    '/api/presentations/:id',
    {
      schema: {
        tags: ['sessions'],
        summary: 'Change a presentation',
        security: writeSecurity,
        params: IdParams,
        body: S.PresentationBody,
        response: { 200: Created, ...errors },
      },
    },
    async (req) => {
      await inTransaction(db, (trx) => svc.updatePresentation(trx, req.actor, req.params.id, req.body));
      app.ctx.invalidate();
      return { id: req.params.id };
    },
  );

  r.delete(
    '/api/presentations/:id',
    {
      schema: {
        tags: ['sessions'],
        summary: 'Delete a presentation',
        security: writeSecurity,
        params: IdParams,
        response: { 204: z.null(), ...errors },
      },
    },
    async (req, reply) => {
      await inTransaction(db, (trx) => svc.deletePresentation(trx, req.actor, req.params.id));
      app.ctx.invalidate();
      return reply.status(204).send(null);
    },
  );
}
