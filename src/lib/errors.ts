/**
 * Every error a person can hit: a stable code, a message they understand, the field it concerns.
 * Responses carry exactly `{ error: { code, message, field? } }`; stack traces stay in the log.
 */
export class AppError extends Error {
  constructor(
    public readonly status: number,
    public readonly code: string,
    message: string,
    public readonly field?: string,
    public readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.name = 'AppError';
  }

  toJSON(): { error: { code: string; message: string; field?: string } } {
    return {
      error: { code: this.code, message: this.message, ...(this.field ? { field: this.field } : {}) },
    };
  }
}

export const notFound = (what: string, field?: string) =>
  new AppError(404, 'not_found', `${what} was not found.`, field);
export const forbidden = (message = 'You do not have permission to do this.') =>
  new AppError(403, 'forbidden', message);
export const unauthenticated = () => new AppError(401, 'unauthenticated', 'Please log in first.');
export const conflict = (code: string, message: string, field?: string) =>
  new AppError(409, code, message, field);
export const invalid = (code: string, message: string, field?: string) =>
  new AppError(422, code, message, field);
