import { z } from 'zod';

type Shape = Record<string, z.ZodType>;

/**
 * The body of a PATCH: every field of `schema` optional and without its default, so a partial update
 * changes only the fields sent (`.partial()` alone would re-apply defaults such as status "draft").
 */
export function patchOf<T extends z.ZodObject<Shape>>(schema: T): ReturnType<T['partial']> {
  const shape: Shape = {};
  for (const [k, f] of Object.entries<z.ZodType>(schema.shape)) {
    const bare = f instanceof z.ZodDefault ? (f.def.innerType as z.ZodType) : f;
    shape[k] = bare.optional();
  }
  return z.object(shape) as unknown as ReturnType<T['partial']>;
}
