import type { Instant } from '../../db/schema.ts';

export interface SnapshotTable {
  id: string;
  series_id: string;
  created_at: Instant;
  title: string;
  params: string; // JSON
  engine_version: string;
  result: string; // JSON SnapshotResult
}
export interface UploadTable {
  id: string;
  series_id: string;
  file_name: string;
  content_type: string;
  size: number;
  created_by: string | null;
  created_at: Instant;
}
export interface PostTable {
  id: string;
  series_id: string;
  slug: string;
  language: string;
  translation_group: string;
  title: string;
  summary: string;
  body_md: string;
  body_html: string;
  status: string; // draft | scheduled | published
  publish_at: Instant | null;
  /** The zone publish_at was written in (the form shows it back in it); null: UTC. */
  publish_time_zone: string | null;
  published_at: Instant | null;
  author_id: string | null;
  tags: string; // JSON string[]
  cover_upload_id: string | null;
  snapshot_id: string | null;
  created_at: Instant;
  updated_at: Instant;
}
export interface CommentTable {
  id: string;
  post_id: string;
  parent_id: string | null;
  account_id: string | null;
  identity: string | null;
  author_name: string;
  author_email: string | null;
  author_website: string | null;
  body_md: string;
  body_html: string;
  body_hash: string;
  status: string; // pending | approved | spam | deleted
  held_reason: string | null;
  notify_replies: number;
  unsubscribe_token: string | null;
  created_at: Instant;
  approved_at: Instant | null;
}
export interface PublishingSettingTable {
  key: string;
  value: string;
  updated_at: Instant;
}
export interface OidcLoginTable {
  state: string;
  nonce: string;
  code_verifier: string;
  return_to: string;
  created_at: Instant;
}
export interface ReaderSessionTable {
  id: string;
  identity: string;
  name: string;
  email: string | null;
  created_at: Instant;
  expires_at: Instant;
}
export interface CongressSessionTable {
  id: string;
  series_id: string;
  slug: string;
  title: string;
  event_name: string;
  description: string;
  starts_at: Instant;
  ends_at: Instant;
  time_zone: string;
  venue: string;
  guiding_questions: string; // JSON string[]
  speakers: string; // JSON string[]
  snapshot_id: string | null;
  sequence: number;
  created_at: Instant;
  updated_at: Instant;
}

declare module '../../db/schema.ts' {
  interface Database {
    snapshot: SnapshotTable;
    upload: UploadTable;
    post: PostTable;
    comment: CommentTable;
    publishing_setting: PublishingSettingTable;
    oidc_login: OidcLoginTable;
    reader_session: ReaderSessionTable;
    congress_session: CongressSessionTable;
  }
}
