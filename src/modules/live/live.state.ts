import type { Db } from '../../db/index.ts';
import { findSession } from '../series/index.ts';
import type { RoomState } from './live.events.ts';
import { roomPrompts } from './live.repository.ts';
import type { LiveRoomTable } from './live.tables.ts';

/** The whole state of a room as every screen sees it: prompts in order with their status. */
export async function loadRoomState(db: Db, room: LiveRoomTable): Promise<RoomState> {
  const session = await findSession(db, room.session_id);
  return {
    roomId: room.id,
    code: room.code,
    sessionId: room.session_id,
    sessionTitle: session?.title ?? '',
    preModeration: !!room.pre_moderation,
    currentPromptId: room.current_prompt_id,
    prompts: await roomPrompts(db, room),
  };
}
