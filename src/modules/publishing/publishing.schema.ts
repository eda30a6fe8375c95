import { z } from 'zod';
import { patchOf } from '../../lib/patch.ts';
import { isValidTimeZone } from '../../lib/time.ts';

const code = (c: string) => ({ params: { code: c } });

// Same rules as the series module's; defined here because schemas are evaluated at import time.
const Slug = z
  .string()
  .trim()
  .min(3, 'A short name (slug) has at least 3 characters.')
  .max(80, 'A short name (slug) has at most 80 characters.')
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, {
    message: 'Use lower-case letters, digits and single hyphens, like "findings-2022".',
  });
const Language = z
  .string()
  .regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$/, { message: 'Use a language code such as "en" or "pt-BR".' });
const TimeZone = z
  .string()
  .trim()
  .refine(isValidTimeZone, {
    message: 'This is not a time zone we know. Use an IANA name such as "Europe/Dublin".',
    ...code('unknown_time_zone'),
  });
export const POST_BODY_MAX = 100_000;

// PostgreSQL text cannot hold NUL; browsers show it as U+FFFD, so do we (on both databases).
const noNul = (v: unknown) => (typeof v === 'string' ? v.replace(/\u0000/g, '\uFFFD') : v);
const text = <T extends z.ZodType>(schema: T) => z.preprocess(noNul, schema);
export const COMMENT_BODY_MAX = 5_000;

const optionalId = z
  .union([z.string().trim().max(100), z.null()])
  .optional()
  .transform((v) => (v ? v : null));
const optionalInstant = z
  .union([z.string().trim().max(40), z.null()])
  .optional()
  .transform((v) => (v ? v : null));

export const PostStatus = z.enum(['draft', 'scheduled', 'published'], {
  message: 'Choose draft, scheduled or published.',
});

export const PostBody = z.object({
  slug: Slug,
  language: Language.default('en'),
  translationOf: optionalId.describe('id of a post this one translates (they share a translation group)'),
  title: text(
    z.string().trim().min(1, 'Please give a title.').max(200, 'A title has at most 200 characters.'),
  ),
  summary: text(z.string().trim().max(500, 'A summary has at most 500 characters.').default('')),
  bodyMd: text(
    z
      .string()
      .min(1, 'Please write the post.')
      .max(POST_BODY_MAX, `A post has at most ${POST_BODY_MAX} characters.`),
  ),
  status: PostStatus.default('draft'),
  publishAt: optionalInstant.describe('ISO 8601 instant (with offset) for scheduled posts'),
  publishTimeZone: z
    .string()
    .refine(isValidTimeZone, 'Give a time zone such as Europe/Dublin.')
    .nullable()
    .optional()
    .describe('IANA zone the publication time was written in (shown back in it)'),
  tags: z
    .array(z.string().trim().min(1).max(40, 'A tag has at most 40 characters.'))
    .max(20, 'At most 20 tags.')
    .default([]),
  coverUploadId: optionalId,
  snapshotId: optionalId,
});
export type PostInput = z.infer<typeof PostBody>;
export const PostUpdateBody = patchOf(PostBody);
export type PostUpdateInput = z.infer<typeof PostUpdateBody>;

export const PostOut = z.object({
  id: z.string(),
  seriesId: z.string(),
  slug: z.string(),
  url: z.string(),
  language: z.string(),
  translationGroup: z.string(),
  title: z.string(),
  summary: z.string(),
  bodyMd: z.string(),
  bodyHtml: z.string(),
  status: z.string(),
  visible: z.boolean(),
  publishAt: z.string().nullable(),
  publishedAt: z.string().nullable(),
  authorName: z.string().nullable(),
  tags: z.array(z.string()),
  coverUrl: z.string().nullable(),
  snapshotId: z.string().nullable(),
  updatedAt: z.string(),
});

export const CommentBody = z.object({
  name: text(z.string().trim().max(80, 'A name has at most 80 characters.').optional().default('')),
  email: z
    .union([z.email({ message: 'Give a valid e-mail address.' }).max(200), z.literal('')])
    .optional()
    .default(''),
  website: z
    .union([
      z
        .string()
        .trim()
        .max(300, 'A website has at most 300 characters.')
        .refine((u) => /^https?:\/\/\S+$/i.test(u) && URL.canParse(u), {
          message: 'Give a full link starting with https://.',
          ...code('invalid_url'),
        }),
      z.literal(''),
    ])
    .optional()
    .default(''),
  body: text(
    z
      .string()
      .trim()
      .min(1, 'Please write a comment.')
      .max(COMMENT_BODY_MAX, `A comment has at most ${COMMENT_BODY_MAX} characters.`),
  ),
  parentId: optionalId,
  notify: z
    .union([z.boolean(), z.literal('1'), z.literal('on'), z.literal('')])
    .optional()
    .transform((v) => v === true || v === '1' || v === 'on'),
  /** The honeypot: people never see it, so only robots fill it in. */
  homepage: z.string().max(500).optional().default(''),
});
export type CommentInput = z.infer<typeof CommentBody>;

export const CommentOut = z.object({
  id: z.string(),
  postId: z.string(),
  parentId: z.string().nullable(),
  authorName: z.string(),
  authorWebsite: z.string().nullable(),
  bodyHtml: z.string(),
  status: z.string(),
  heldReason: z.string().nullable(),
  createdAt: z.string(),
});
export const ModerationAction = z.object({
  action: z.enum(['approve', 'spam', 'delete'], { message: 'Choose approve, spam or delete.' }),
});
export const ModeratorReply = z.object({ body: CommentBody.shape.body });

export const OidcSettingsBody = z.object({
  issuer: z.union([
    z
      .string()
      .trim()
      .max(500)
      .refine((u) => /^https?:\/\/\S+$/i.test(u) && URL.canParse(u), {
        message: 'Give the issuer URL, starting with https://.',
        ...code('invalid_url'),
      }),
    z.literal(''),
  ]),
  clientId: z.string().trim().max(300).default(''),
  clientSecret: z.string().max(500).optional().describe('leave empty to keep the stored secret'),
  label: z.string().trim().max(80).default('OpenID Connect'),
});

export const CongressBody = z.object({
  slug: Slug,
  title: text(
    z.string().trim().min(1, 'Please give a title.').max(300, 'A title has at most 300 characters.'),
  ),
  eventName: text(
    z.string().trim().min(1, 'Please name the event.').max(300, 'An event name has at most 300 characters.'),
  ),
  description: text(z.string().trim().max(5000).default('')),
  startsAt: z.string().trim().min(1, 'Please give a start.').max(40),
  endsAt: z.string().trim().min(1, 'Please give an end.').max(40),
  timeZone: TimeZone,
  venue: text(z.string().trim().max(300).default('')),
  guidingQuestions: z
    .array(text(z.string().trim().min(1).max(500)))
    .max(20)
    .default([]),
  speakers: z
    .array(text(z.string().trim().min(1).max(200)))
    .max(30)
    .default([]),
  snapshotId: optionalId,
});
export type CongressInput = z.infer<typeof CongressBody>;
