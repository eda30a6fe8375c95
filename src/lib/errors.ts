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

/** One wrong field of a form: the field, a stable code and a message a person understands. */
export interface FieldIssue {
  field: string;
  code: string;
  message: string;
}

/**
 * Several wrong fields at once, so a form can show every message together. The JSON body still
 * names the first one (`{ error: { code, message, field } }`) and lists all in `error.fields`.
 */
export class FormError extends AppError {
  constructor(public readonly issues: FieldIssue[]) {
    const first = issues[0];
    super(422, first?.code ?? 'invalid_form', first?.message ?? 'Please check the form.', first?.field);
    this.name = 'FormError';
  }

  /** The first message of each field. */
  get fields(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const i of this.issues) out[i.field] ??= i.message;
    return out;
  }
}

/** Collects field errors: run each check, keep every 4xx with a field, throw them all at the end. */
export class IssueCollector {
  readonly issues: FieldIssue[] = [];
  /** Runs a check; a field error is kept, any other error goes up at once. */
  check<T>(fn: () => T): T | undefined {
    try {
      return fn();
    } catch (e) {
      if (e instanceof FormError) this.issues.push(...e.issues);
      else if (e instanceof AppError && e.status === 422 && e.field)
        this.issues.push({ field: e.field, code: e.code, message: e.message });
      else throw e;
      return undefined;
    }
  }
  /** Throws every collected issue as one FormError. */
  throwIfAny(): void {
    if (this.issues.length) throw new FormError(this.issues);
  }
}
