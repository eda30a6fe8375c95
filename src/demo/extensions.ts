import type { Kysely } from 'kysely';
import type { Database } from '../db/index.ts';
import { liveDemo } from '../modules/live/index.ts';
import { seedPublishingDemo } from '../modules/publishing/index.ts';
import { registrationDemo } from '../modules/registration/index.ts';
import { seedWorkbenchDemo } from '../modules/workbench/index.ts';
import type { DemoIds } from './index.ts';

/**
 * The feature modules' parts of the demo (live room DEMO, registrations, responses, the post),
 * run in order inside the demo's transaction. Each module adds one line.
 */
export const demoExtensions: ((db: Kysely<Database>, ids: DemoIds) => Promise<void>)[] = [
  liveDemo,
  registrationDemo,
  // One pipeline: live answers → the engine's codes → people's decisions → the workbench's snapshot,
  // which the post and the congress session then embed.
  seedWorkbenchDemo,
  seedPublishingDemo,
];
