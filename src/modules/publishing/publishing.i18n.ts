import { messages } from './messages/index.ts';

/** The reader-facing strings of a post page in the post's language. */
export const readerText = (lang: string) => messages.t(lang);
export type ReaderText = ReturnType<typeof readerText>;
