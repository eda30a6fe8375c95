import { Kysely, PostgresAdapter, sql } from 'kysely';

// Registration, custom questions, reminders settings and attendance. Written against Kysely<any>.
export async function up(db: Kysely<any>): Promise<void> {
  const pg = db.getExecutor().adapter instanceof PostgresAdapter;
  const instant = pg ? sql`timestamptz` : sql`text`;

  await db.schema
    .createTable('registration_question')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('series_id', 'text', (c) => c.notNull().references('series.id').onDelete('cascade'))
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('label', 'text', (c) => c.notNull()) // JSON {lang: text}
    .addColumn('type', 'text', (c) => c.notNull()) // select | text | checkbox
    .addColumn('options', 'text', (c) => c.notNull().defaultTo('[]')) // JSON [{value, label:{lang:text}}]
    .addColumn('required', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addUniqueConstraint('registration_question_series_key', ['series_id', 'key'])
    .execute();

  await db.schema
    .createTable('registration_settings')
    .addColumn('series_id', 'text', (c) => c.primaryKey().references('series.id').onDelete('cascade'))
    .addColumn('reminder_offsets', 'text', (c) => c.notNull().defaultTo('[1440,60]')) // minutes before start
    .addColumn('questions_customised', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('updated_at', instant, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('registration')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('series_id', 'text', (c) => c.notNull().references('series.id').onDelete('cascade'))
    .addColumn('session_id', 'text', (c) => c.notNull().references('session.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('country', 'text', (c) => c.notNull())
    .addColumn('affiliation', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('answers', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('language', 'text', (c) => c.notNull())
    .addColumn('time_zone', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull()) // confirmed | waitlisted | cancelled | attended
    .addColumn('waitlisted_at', instant)
    .addColumn('manage_token_hash', 'text', (c) => c.notNull())
    .addColumn('manage_token_expires_at', instant, (c) => c.notNull())
    .addColumn('consent_at', instant, (c) => c.notNull())
    .addColumn('news_opt_in', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('attended_minutes', 'integer')
    .addColumn('created_at', instant, (c) => c.notNull())
    .addColumn('updated_at', instant, (c) => c.notNull())
    .addUniqueConstraint('registration_session_email', ['session_id', 'email'])
    .execute();
  await db.schema.createIndex('registration_token').on('registration').column('manage_token_hash').execute();
  await db.schema
    .createIndex('registration_series_email')
    .on('registration')
    .columns(['series_id', 'email'])
    .execute();
  await db.schema
    .createIndex('registration_waitlist')
    .on('registration')
    .columns(['session_id', 'status', 'waitlisted_at'])
    .execute();

  await db.schema
    .createTable('attendance')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('session_id', 'text', (c) => c.notNull().references('session.id').onDelete('cascade'))
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('minutes', 'integer', (c) => c.notNull())
    .addColumn('joins', 'integer', (c) => c.notNull())
    .addColumn('first_join_at', instant)
    .addColumn('registration_id', 'text', (c) => c.references('registration.id').onDelete('set null'))
    .addColumn('imported_at', instant, (c) => c.notNull())
    .addUniqueConstraint('attendance_session_email', ['session_id', 'email'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['attendance', 'registration', 'registration_settings', 'registration_question']) {
    await db.schema.dropTable(t).ifExists().execute();
  }
}
