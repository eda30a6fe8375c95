/** Row types of the live module's tables, added to the app's Database interface. */
import type { Instant } from '../../db/schema.ts';

export interface LivePromptTable {
  id: string;
  series_id: string;
  session_id: string | null;
  type: string;
  kind: string | null;
  text: string;
  choices: string;
  settings: string;
  position: number;
  created_at: Instant;
}
export interface LiveKindTable {
  series_id: string;
  key: string;
  label: string;
}
export interface LiveRoomTable {
  id: string;
  code: string;
  session_id: string;
  series_id: string;
  current_prompt_id: string | null;
  state: string;
  pre_moderation: number;
  created_at: Instant;
}
export interface LiveRoomPromptTable {
  room_id: string;
  prompt_id: string;
  position: number;
  status: string;
  revealed: number;
  opened_at: Instant | null;
}
export interface LiveParticipantTable {
  id: string;
  room_id: string;
  key_hash: string;
  registration_id: string | null;
  attributes: string;
  language: string;
  created_at: Instant;
}
export interface LiveResponseTable {
  id: string;
  prompt_id: string;
  room_id: string;
  session_id: string;
  participant_id: string;
  client_key: string;
  vote_key: string | null;
  text: string | null;
  choices: string | null;
  value: number | null;
  language: string;
  status: string;
  pinned: number;
  answered: number;
  upvotes: number;
  created_at: Instant;
}
export interface LiveUpvoteTable {
  response_id: string;
  participant_id: string;
}
export interface LiveBlockedWordTable {
  series_id: string;
  word: string;
}

declare module '../../db/schema.ts' {
  interface Database {
    live_prompt: LivePromptTable;
    live_kind: LiveKindTable;
    live_room: LiveRoomTable;
    live_room_prompt: LiveRoomPromptTable;
    live_participant: LiveParticipantTable;
    live_response: LiveResponseTable;
    live_upvote: LiveUpvoteTable;
    live_blocked_word: LiveBlockedWordTable;
  }
}
