import { z } from 'zod';

export const PROMPT_TYPES = ['open_text', 'poll', 'word_cloud', 'scale', 'ranking', 'qa'] as const;
export const BUILTIN_KINDS = ['best_practice', 'recommendation', 'need'] as const;
export const MAX_TEXT = 1000;

const Localised = z
  .record(z.string().min(2).max(10), z.string().max(500))
  .refine((v) => Object.values(v).some((s) => s.trim()), {
    message: 'Give the text in at least one language.',
    params: { code: 'required' },
  });
const Choice = z.object({ id: z.string().min(1).max(40).optional(), text: Localised });

export const PromptBody = z.object({
  type: z.enum(PROMPT_TYPES),
  kind: z
    .string()
    .min(1)
    .max(40)
    .regex(/^[a-z0-9_]+$/)
    .nullable()
    .optional(),
  text: Localised,
  choices: z.array(Choice).max(30).optional(),
  settings: z
    .object({
      min: z.number().int().min(0).max(10).optional(),
      max: z.number().int().min(1).max(10).optional(),
      minLabel: z.record(z.string(), z.string().max(80)).optional(),
      maxLabel: z.record(z.string(), z.string().max(80)).optional(),
      multiple: z.boolean().optional(),
    })
    .optional(),
  seriesLevel: z.boolean().optional(),
  position: z.number().int().min(0).max(10000).optional(),
});
export type PromptInput = z.infer<typeof PromptBody>;

export const ResponseBody = z.object({
  promptId: z.string().min(1).max(64),
  clientKey: z.string().min(1).max(64),
  text: z.string().max(100_000).optional(),
  choice: z.string().min(1).max(40).optional(),
  choices: z.array(z.string().min(1).max(40)).max(30).optional(),
  value: z.coerce.number().int().min(0).max(10).optional(),
  language: z.string().max(10).optional(),
  participantKey: z.string().min(16).max(128).optional(),
});
export type ResponseInput = z.infer<typeof ResponseBody>;

export const PromptAction = z.object({
  action: z.enum(['open', 'close', 'reveal', 'unreveal', 'current']),
});
export const ModerationAction = z.object({ action: z.enum(['approve', 'hide', 'pin', 'unpin', 'answered']) });
export const BlockedWordsBody = z.object({ words: z.array(z.string().min(1).max(80)).max(2000) });
export const KindBody = z.object({
  key: z
    .string()
    .min(1)
    .max(40)
    .regex(/^[a-z0-9_]+$/),
  label: Localised,
});
export const RoomSettingsBody = z.object({ preModeration: z.boolean() });

const Err = z.object({
  error: z.object({ code: z.string(), message: z.string(), field: z.string().optional() }),
});
export const ErrOut = Err;
const LocalisedOut = z.record(z.string(), z.string());
export const PromptOutSchema = z.object({
  id: z.string(),
  type: z.enum(PROMPT_TYPES),
  kind: z.string().nullable(),
  text: LocalisedOut,
  choices: z.array(z.object({ id: z.string(), text: LocalisedOut })),
  settings: z.record(z.string(), z.unknown()),
  status: z.enum(['draft', 'open', 'closed']),
  revealed: z.boolean(),
  seriesLevel: z.boolean(),
  position: z.number(),
});
export const RoomOut = z.object({
  code: z.string(),
  session: z.object({
    id: z.string(),
    title: z.string(),
    startsAt: z.string(),
    endsAt: z.string(),
    timeZone: z.string(),
    language: z.string(),
  }),
  prompts: z.array(PromptOutSchema),
});
export const AnswerOutSchema = z.object({
  id: z.string(),
  promptId: z.string(),
  text: z.string().nullable(),
  choices: z.array(z.string()).nullable(),
  value: z.number().nullable(),
  language: z.string(),
  status: z.enum(['visible', 'held', 'hidden']),
  pinned: z.boolean(),
  answered: z.boolean(),
  upvotes: z.number(),
  createdAt: z.string(),
});
export const ResultsOut = z.object({
  promptId: z.string(),
  type: z.enum(PROMPT_TYPES),
  total: z.number(),
  choices: z.array(z.object({ id: z.string(), count: z.number() })).optional(),
  values: z.array(z.object({ value: z.number(), count: z.number() })).optional(),
  words: z.array(z.object({ word: z.string(), count: z.number() })).optional(),
  scores: z.array(z.object({ id: z.string(), score: z.number() })).optional(),
  answers: z.array(AnswerOutSchema).optional(),
  questions: z.array(AnswerOutSchema).optional(),
});
