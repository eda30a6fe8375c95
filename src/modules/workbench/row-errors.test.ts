import { describe, expect, it } from 'vitest';
import { messages } from './messages/index.ts';
import { rowError, rowErrorText } from './row-errors.ts';

describe('why a row could not be read', () => {
  it('keeps the English sentence for the API and words it in the reader’s language on pages', () => {
    const empty = rowError(1234, 'emptyText', { line: '1234' });
    expect(empty).toMatchObject({ line: 1234, code: 'emptyText', message: 'row 1234: the text is empty' });
    expect(rowErrorText(messages.t('fr'), empty)).toBe('ligne 1234 : le texte est vide');
    expect(rowErrorText(messages.t('ar'), empty)).toBe('الصف 1234: النص فارغ');
    const long = rowError(2, 'tooLong', { length: 100000, max: 20000 });
    expect(long.message).toBe(
      'an answer of 100,000 characters is longer than the 20,000 allowed and was left out',
    );
    expect(rowErrorText(messages.t('de'), long)).toBe(
      'Eine Antwort mit 100.000 Zeichen ist länger als die erlaubten 20.000 und wurde ausgelassen',
    );
    const date = rowError(3, 'notADate', { line: '3', column: 'when', value: 'soon' });
    expect(date.message).toBe('row 3, column when: "soon" is not a date');
    // An error that came without a code (a CSV syntax error) is shown as it came.
    expect(rowErrorText(messages.t('zh'), { line: 4, message: 'unclosed quote' })).toBe('unclosed quote');
  });
});
