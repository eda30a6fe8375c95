import type { FastifyInstance } from 'fastify';
import { liveRoutes } from '../modules/live/index.ts';
import { publishingRoutes } from '../modules/publishing/index.ts';
import { routes as registrationRoutes } from '../modules/registration/index.ts';
import { workbenchRoutes } from '../modules/workbench/index.ts';
import { joinRoutes } from './wiring.ts';

/**
 * Route plugins of the feature modules, registered after the foundation's. Each module adds one
 * line here (its `routes` export from its index.ts).
 */
export const moduleRoutes: ((app: FastifyInstance) => Promise<void>)[] = [
  liveRoutes,
  registrationRoutes,
  publishingRoutes,
  workbenchRoutes,
  joinRoutes,
];
