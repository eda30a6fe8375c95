/** Row types of the workbench's tables, added to the app's Database interface. */
import type { Instant } from '../../db/schema.ts';

export interface WbStateTable {
  series_id: string;
  codebook_version: number;
  data_version: number;
  coded_version: number;
  live_refreshed_at: Instant | null;
  updated_at: Instant;
}
export interface WbThemeTable {
  id: string;
  series_id: string;
  key: string;
  label: string;
  description: string;
  /** JSON objects of language code → label / description in that language (the source is label). */
  labels: string;
  descriptions: string;
  terms: string;
  parent_key: string | null;
  merged_into: string | null;
  position: number;
  created_at: Instant;
}
export interface WbSourceTable {
  id: string;
  series_id: string;
  kind: string;
  name: string;
  metadata: string;
  created_at: Instant;
}
export interface WbItemTable {
  id: string;
  series_id: string;
  source_id: string;
  external_id: string;
  text: string;
  region: string | null;
  session: string | null;
  prompt_kind: string | null;
  language: string | null;
  career_stage: string | null;
  speaker: string | null;
  submitted_at: Instant | null;
  groups: string;
  engine_labels: string;
  engine_confidence: number | null;
  created_at: Instant;
}
export interface WbCodingTable {
  id: string;
  series_id: string;
  item_id: string;
  theme_key: string;
  start_offset: number | null;
  end_offset: number | null;
  decision: string;
  engine_said: number;
  account_id: string | null;
  created_at: Instant;
}
/** A series' trained engine (serialised coder), reloaded without retraining while still current. */
export interface WbEngineTable {
  series_id: string;
  codebook_version: number;
  /** How many coding decisions the engine had learnt from when saved. */
  decisions: number;
  state: string;
  updated_at: Instant;
}
export interface WbJobTable {
  id: string;
  series_id: string;
  kind: string;
  /** queued | running | retrying | done | failed */
  status: string;
  done: number;
  total: number;
  error: string | null;
  created_at: Instant;
  updated_at: Instant;
}
export interface WbSnapshotInputTable {
  snapshot_id: string;
  series_id: string;
  codebook: string;
  codings: string;
  labels: string;
  created_at: Instant;
}
/** A file between an import's preview and its commit (deleted after the import, or on expiry). */
export interface WbUploadTable {
  id: string;
  series_id: string;
  account_id: string;
  kind: string;
  name: string;
  data: Buffer;
  created_at: Instant;
}
/** An export file built by a background job (export.job.ts), kept until it expires. */
export interface WbExportTable {
  id: string;
  series_id: string;
  format: string;
  /** JSON of the filters the export was asked with (empty ones left out). */
  filters: string;
  lang: string;
  /** Format, filters and language in one key: identical requests share a build while it runs. */
  request_key: string;
  /** queued | running | retrying | done | failed */
  status: string;
  /** loading | building | storing while it runs. */
  phase: string | null;
  /** How many responses the file holds (known once loaded). */
  units: number | null;
  file_name: string | null;
  content_type: string | null;
  size: number | null;
  body: Buffer | null;
  requested_by: string | null;
  error: string | null;
  created_at: Instant;
  finished_at: Instant | null;
  expires_at: Instant | null;
}

declare module '../../db/schema.ts' {
  interface Database {
    wb_state: WbStateTable;
    wb_theme: WbThemeTable;
    wb_source: WbSourceTable;
    wb_item: WbItemTable;
    wb_coding: WbCodingTable;
    wb_job: WbJobTable;
    wb_engine: WbEngineTable;
    wb_snapshot_input: WbSnapshotInputTable;
    wb_upload: WbUploadTable;
    wb_export: WbExportTable;
  }
}
