import { Kysely, PostgresAdapter, sql } from 'kysely';

// Publishing: posts, their comments, uploads, findings snapshots, congress sessions, settings.
// Written against Kysely<any>, importing nothing from the app.
export async function up(db: Kysely<any>): Promise<void> {
  const pg = db.getExecutor().adapter instanceof PostgresAdapter;
  const instant = pg ? sql`timestamptz` : sql`text`;

  await db.schema
    .createTable('snapshot')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('series_id', 'text', (c) => c.notNull().references('series.id').onDelete('cascade'))
    .addColumn('created_at', instant, (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('params', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('engine_version', 'text', (c) => c.notNull())
    .addColumn('result', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('snapshot_series').on('snapshot').column('series_id').execute();

  await db.schema
    .createTable('upload')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('series_id', 'text', (c) => c.notNull().references('series.id').onDelete('cascade'))
    .addColumn('file_name', 'text', (c) => c.notNull().unique())
    .addColumn('content_type', 'text', (c) => c.notNull())
    .addColumn('size', 'integer', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.references('account.id').onDelete('set null'))
    .addColumn('created_at', instant, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('post')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('series_id', 'text', (c) => c.notNull().references('series.id').onDelete('cascade'))
    .addColumn('slug', 'text', (c) => c.notNull())
    .addColumn('language', 'text', (c) => c.notNull())
    .addColumn('translation_group', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('summary', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('body_md', 'text', (c) => c.notNull())
    .addColumn('body_html', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('publish_at', instant)
    .addColumn('published_at', instant)
    .addColumn('author_id', 'text', (c) => c.references('account.id').onDelete('set null'))
    .addColumn('tags', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('cover_upload_id', 'text', (c) => c.references('upload.id').onDelete('set null'))
    .addColumn('snapshot_id', 'text', (c) => c.references('snapshot.id').onDelete('set null'))
    .addColumn('created_at', instant, (c) => c.notNull())
    .addColumn('updated_at', instant, (c) => c.notNull())
    .addUniqueConstraint('post_series_slug', ['series_id', 'slug'])
    .execute();
  await db.schema.createIndex('post_series_status').on('post').columns(['series_id', 'status', 'publish_at']).execute();
  await db.schema.createIndex('post_group').on('post').column('translation_group').execute();

  await db.schema
    .createTable('comment')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('post_id', 'text', (c) => c.notNull().references('post.id').onDelete('cascade'))
    .addColumn('parent_id', 'text', (c) => c.references('comment.id').onDelete('set null'))
    .addColumn('account_id', 'text', (c) => c.references('account.id').onDelete('set null'))
    .addColumn('identity', 'text') // "oidc:<issuer>#<sub>" for readers who signed in with OpenID Connect
    .addColumn('author_name', 'text', (c) => c.notNull())
    .addColumn('author_email', 'text')
    .addColumn('author_website', 'text')
    .addColumn('body_md', 'text', (c) => c.notNull())
    .addColumn('body_html', 'text', (c) => c.notNull())
    .addColumn('body_hash', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull()) // pending | approved | spam | deleted
    .addColumn('held_reason', 'text')
    .addColumn('notify_replies', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('unsubscribe_token', 'text')
    .addColumn('created_at', instant, (c) => c.notNull())
    .addColumn('approved_at', instant)
    .execute();
  await db.schema.createIndex('comment_post_status').on('comment').columns(['post_id', 'status', 'created_at']).execute();
  await db.schema.createIndex('comment_email').on('comment').column('author_email').execute();
  await db.schema.createIndex('comment_parent').on('comment').column('parent_id').execute();

  await db.schema
    .createTable('publishing_setting')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('updated_at', instant, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('oidc_login')
    .addColumn('state', 'text', (c) => c.primaryKey())
    .addColumn('nonce', 'text', (c) => c.notNull())
    .addColumn('code_verifier', 'text', (c) => c.notNull())
    .addColumn('return_to', 'text', (c) => c.notNull())
    .addColumn('created_at', instant, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('reader_session')
    .addColumn('id', 'text', (c) => c.primaryKey()) // sha256 of the cookie value
    .addColumn('identity', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('email', 'text')
    .addColumn('created_at', instant, (c) => c.notNull())
    .addColumn('expires_at', instant, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('congress_session')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('series_id', 'text', (c) => c.notNull().references('series.id').onDelete('cascade'))
    .addColumn('slug', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('event_name', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('starts_at', instant, (c) => c.notNull())
    .addColumn('ends_at', instant, (c) => c.notNull())
    .addColumn('time_zone', 'text', (c) => c.notNull())
    .addColumn('venue', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('guiding_questions', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('speakers', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('snapshot_id', 'text', (c) => c.references('snapshot.id').onDelete('set null'))
    .addColumn('sequence', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', instant, (c) => c.notNull())
    .addColumn('updated_at', instant, (c) => c.notNull())
    .addUniqueConstraint('congress_series_slug', ['series_id', 'slug'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['congress_session', 'reader_session', 'oidc_login', 'publishing_setting', 'comment', 'post', 'upload', 'snapshot']) {
    await db.schema.dropTable(t).ifExists().execute();
  }
}
