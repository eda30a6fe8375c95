/** Prefixes an apostrophe to text starting with = + - @ (or tab/CR), so spreadsheets show it as text. */
export function escapeFormula(s: string): string {
  return /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
}
