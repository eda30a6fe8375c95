import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NOT_PAGES, PAGES } from '../../src/server/pages.list.ts';
import type { Running } from '../../src/server/index.ts';
import { testServer } from '../support/server.ts';

let srv: Running;
beforeAll(async () => {
  srv = await testServer();
});
afterAll(async () => srv.close());

describe('the list of pages the seven-language sweep visits', () => {
  it('holds every GET route that is not the API, a static asset or a listed non-page', () => {
    const listed = new Set([...PAGES.map((p) => p.route), ...NOT_PAGES]);
    const routes = [...new Set(srv.app.getRoutes)].filter(
      (r) => !r.startsWith('/api/') && !r.startsWith('/assets/') && r !== '/api/openapi.json',
    );
    expect(routes.length).toBeGreaterThan(30);
    expect(routes.filter((r) => !listed.has(r))).toEqual([]);
  });

  it('lists no route that does not exist', () => {
    const routes = new Set(srv.app.getRoutes);
    expect([...PAGES.map((p) => p.route), ...NOT_PAGES].filter((r) => !routes.has(r))).toEqual([]);
  });
});
