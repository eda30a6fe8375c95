import { Kysely, PostgresAdapter, sql } from 'kysely';

// Live conversations: prompts, rooms, participants, responses, question upvotes, blocked words.
// Written against Kysely<any>, importing nothing from the app, so it stays frozen in time.
export async function up(db: Kysely<any>): Promise<void> {
  const pg = db.getExecutor().adapter instanceof PostgresAdapter;
  const instant = pg ? sql`timestamptz` : sql`text`;

  await db.schema
    .createTable('live_prompt')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('series_id', 'text', (c) => c.notNull().references('series.id').onDelete('cascade'))
    .addColumn('session_id', 'text', (c) => c.references('session.id').onDelete('cascade')) // null: series-level, reused
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('kind', 'text')
    .addColumn('text', 'text', (c) => c.notNull()) // JSON {lang: text}
    .addColumn('choices', 'text', (c) => c.notNull().defaultTo('[]')) // JSON [{id, text:{lang:text}}]
    .addColumn('settings', 'text', (c) => c.notNull().defaultTo('{}')) // JSON (scale min/max/labels, maxLength…)
    .addColumn('position', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', instant, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('live_prompt_series')
    .on('live_prompt')
    .columns(['series_id', 'session_id'])
    .execute();

  await db.schema
    .createTable('live_kind')
    .addColumn('series_id', 'text', (c) => c.notNull().references('series.id').onDelete('cascade'))
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('label', 'text', (c) => c.notNull()) // JSON {lang: label}
    .addPrimaryKeyConstraint('live_kind_pk', ['series_id', 'key'])
    .execute();

  await db.schema
    .createTable('live_room')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('code', 'text', (c) => c.notNull().unique())
    .addColumn('session_id', 'text', (c) => c.notNull().unique().references('session.id').onDelete('cascade'))
    .addColumn('series_id', 'text', (c) => c.notNull().references('series.id').onDelete('cascade'))
    .addColumn('current_prompt_id', 'text')
    .addColumn('state', 'text', (c) => c.notNull().defaultTo('open'))
    .addColumn('pre_moderation', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', instant, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('live_room_prompt')
    .addColumn('room_id', 'text', (c) => c.notNull().references('live_room.id').onDelete('cascade'))
    .addColumn('prompt_id', 'text', (c) => c.notNull().references('live_prompt.id').onDelete('cascade'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('draft')) // draft | open | closed
    .addColumn('revealed', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('opened_at', instant)
    .addPrimaryKeyConstraint('live_room_prompt_pk', ['room_id', 'prompt_id'])
    .execute();

  await db.schema
    .createTable('live_participant')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('room_id', 'text', (c) => c.notNull().references('live_room.id').onDelete('cascade'))
    .addColumn('key_hash', 'text', (c) => c.notNull())
    .addColumn('registration_id', 'text')
    .addColumn('attributes', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('language', 'text', (c) => c.notNull().defaultTo('en'))
    .addColumn('created_at', instant, (c) => c.notNull())
    .addUniqueConstraint('live_participant_room_key', ['room_id', 'key_hash'])
    .execute();

  await db.schema
    .createTable('live_response')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('prompt_id', 'text', (c) => c.notNull().references('live_prompt.id').onDelete('cascade'))
    .addColumn('room_id', 'text', (c) => c.notNull().references('live_room.id').onDelete('cascade'))
    .addColumn('session_id', 'text', (c) => c.notNull())
    .addColumn('participant_id', 'text', (c) =>
      c.notNull().references('live_participant.id').onDelete('cascade'),
    )
    .addColumn('client_key', 'text', (c) => c.notNull())
    // One answer per participant for polls, scales and rankings: "promptId:participantId", else null.
    .addColumn('vote_key', 'text', (c) => c.unique())
    .addColumn('text', 'text')
    .addColumn('choices', 'text') // JSON string[] (poll, ranking order)
    .addColumn('value', 'integer')
    .addColumn('language', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull()) // visible | held | hidden
    .addColumn('pinned', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('answered', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('upvotes', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', instant, (c) => c.notNull())
    .addUniqueConstraint('live_response_client_key', ['room_id', 'client_key'])
    .execute();
  await db.schema
    .createIndex('live_response_prompt')
    .on('live_response')
    .columns(['prompt_id', 'status'])
    .execute();

  await db.schema
    .createTable('live_upvote')
    .addColumn('response_id', 'text', (c) => c.notNull().references('live_response.id').onDelete('cascade'))
    .addColumn('participant_id', 'text', (c) =>
      c.notNull().references('live_participant.id').onDelete('cascade'),
    )
    .addPrimaryKeyConstraint('live_upvote_pk', ['response_id', 'participant_id'])
    .execute();

  await db.schema
    .createTable('live_blocked_word')
    .addColumn('series_id', 'text', (c) => c.notNull().references('series.id').onDelete('cascade'))
    .addColumn('word', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('live_blocked_word_pk', ['series_id', 'word'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of [
    'live_blocked_word',
    'live_upvote',
    'live_response',
    'live_participant',
    'live_room_prompt',
    'live_room',
    'live_kind',
    'live_prompt',
  ]) {
    await db.schema.dropTable(t).ifExists().execute();
  }
}
