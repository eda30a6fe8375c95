import type { FastifyInstance } from 'fastify';

/** Every route the app serves, read from Fastify's route tree (method × path with :params). */
export function listRoutes(app: FastifyInstance): { method: string; path: string }[] {
  const out: { method: string; path: string }[] = [];
  const stack: { col: number; path: string }[] = [];
  for (const line of app.printRoutes({ commonPrefix: false }).split('\n')) {
    const m = /── (\S+) \(([A-Z, ]+)\)/.exec(line);
    if (!m) continue;
    const col = line.indexOf('── ');
    while (stack.length && stack[stack.length - 1].col >= col) stack.pop();
    const path = (stack.length ? stack[stack.length - 1].path : '') + m[1];
    stack.push({ col, path });
    for (const method of m[2].split(', ')) if (method !== 'HEAD') out.push({ method, path });
  }
  return out;
}

/** Fills a route's :params: the given values where known, an unknown id otherwise. */
export function fillPath(path: string, known: Record<string, string>): string {
  return path.replace(/:(\w+)/g, (_, name: string) => known[name] ?? '00000000-0000-7000-8000-000000000000');
}
