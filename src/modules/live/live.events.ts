/**
 * The one contract of live updates: event names and payloads shared by the server (bus, hub, SSE)
 * and the web scripts (attendee, presenter, console). Type-only: safe to import from web/src.
 */
export type PromptType = 'open_text' | 'poll' | 'word_cloud' | 'scale' | 'ranking' | 'qa';
export type PromptStatus = 'draft' | 'open' | 'closed';
export type ResponseStatus = 'visible' | 'held' | 'hidden';

export interface ChoiceOut {
  id: string;
  text: Record<string, string>;
}
export interface PromptOut {
  id: string;
  type: PromptType;
  kind: string | null;
  text: Record<string, string>;
  choices: ChoiceOut[];
  settings: {
    min?: number;
    max?: number;
    minLabel?: Record<string, string>;
    maxLabel?: Record<string, string>;
    multiple?: boolean;
  };
  status: PromptStatus;
  revealed: boolean;
  seriesLevel: boolean;
  position: number;
}
export interface AnswerOut {
  id: string;
  promptId: string;
  text: string | null;
  choices: string[] | null;
  value: number | null;
  language: string;
  status: ResponseStatus;
  pinned: boolean;
  answered: boolean;
  upvotes: number;
  createdAt: string;
}
export interface Results {
  promptId: string;
  type: PromptType;
  total: number;
  choices?: { id: string; count: number }[];
  values?: { value: number; count: number }[];
  words?: { word: string; count: number }[];
  /** Ranking: Borda score per choice (higher = ranked higher more often). */
  scores?: { id: string; score: number }[];
  answers?: AnswerOut[];
  questions?: AnswerOut[];
}
export interface RoomState {
  roomId: string;
  code: string;
  sessionId: string;
  sessionTitle: string;
  preModeration: boolean;
  currentPromptId: string | null;
  prompts: PromptOut[];
}

/** Server-sent events by name. Attendees get a tick about once a second; screens every ~100 ms. */
export interface LiveEvents {
  'room.state': RoomState;
  'results.tick': { promptId: string; total: number; participants: number; results: Results | null };
  'answers.new': { answers: AnswerOut[] };
  'moderation.changed': { answers: AnswerOut[] };
}
export type LiveEventName = keyof LiveEvents;
