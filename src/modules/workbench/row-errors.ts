// Why a row of an imported file could not be read: a code and its values, worded from the
// workbench catalogue in the reader's language on pages, and in English (`message`) for the API.
import { messages } from './messages/index.ts';

export type RowErrorCode =
  | 'noTextColumn'
  | 'emptyText'
  | 'notADate'
  | 'tooLong'
  | 'noHeader'
  | 'notXlsx'
  | 'noWorksheet'
  | 'notWebvtt'
  | 'cueWithoutText'
  | 'messageWithoutText'
  | 'notChatLine'
  | 'zoomPollHeader'
  | 'zoomNoAnswer'
  | 'zoomQaHeader'
  | 'zoomEmptyQuestion'
  | 'zoomOnlyChoices';

/** A row that could not be read: its line, why (code and values) and the English sentence. */
export interface RowError {
  line: number;
  message: string;
  code?: RowErrorCode;
  params?: Record<string, string | number>;
}

const key = (code: RowErrorCode) => `rowError.${code}` as Parameters<ReturnType<typeof messages.t>>[0];
const english = messages.t('en');

/** A row error; row numbers go in as text (no digit grouping: "row 1234", not "row 1,234"). */
export function rowError(
  line: number,
  code: RowErrorCode,
  params: Record<string, string | number> = {},
): RowError {
  return { line, code, params, message: english(key(code), params) };
}

/** The error in the language of `t` (the workbench catalogue); an error without a code as it came. */
export function rowErrorText(t: ReturnType<typeof messages.t>, e: RowError): string {
  return e.code ? t(key(e.code), e.params ?? {}) : e.message;
}
