import { z } from 'zod';
import { ROLES } from './authz.ts';

export const Email = z
  .string()
  .trim()
  .max(254, 'An e-mail address has at most 254 characters.')
  .pipe(z.email({ message: 'This is not an e-mail address.' }))
  .transform((s) => s.toLowerCase());
export const Password = z
  .string()
  .min(10, 'A password needs at least 10 characters.')
  .max(200, 'A password has at most 200 characters.');
export const PersonName = z
  .string()
  .trim()
  .min(1, 'Please give a name.')
  .max(120, 'A name has at most 120 characters.');

export const LoginBody = z.object({
  email: Email,
  password: z.string().min(1, 'Please enter your password.').max(200),
});
export const SetupBody = z.object({ email: Email, name: PersonName, password: Password });
export const InviteBody = z.object({
  email: Email,
  role: z.enum(ROLES, { message: `Role must be one of ${ROLES.join(', ')}.` }),
  regionKey: z.string().max(64).optional().nullable(),
  name: z.string().trim().max(120).optional(),
});
export const AcceptInviteBody = z.object({ name: PersonName, password: Password });

export const AccountOut = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string(),
  isAdmin: z.boolean(),
  grants: z.array(z.object({ seriesId: z.string(), role: z.enum(ROLES), regionId: z.string().nullable() })),
});
export const LoginOut = z.object({ account: AccountOut, csrfToken: z.string() });
export const GrantOut = z.object({
  id: z.string(),
  role: z.enum(ROLES),
  regionId: z.string().nullable(),
  regionName: z.string().nullable(),
  accountId: z.string(),
  email: z.string(),
  name: z.string(),
});
export const InviteOut = z.object({
  status: z.enum(['granted', 'invited']),
  email: z.string(),
  role: z.enum(ROLES),
});

export type LoginInput = z.infer<typeof LoginBody>;
export type InviteInput = z.infer<typeof InviteBody>;
