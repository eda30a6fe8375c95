// The worker's source, run with `eval: true`: workers do not inherit the tsx loader, so this part
// is plain JavaScript. It receives batches of answers, writes each batch in ONE transaction with
// cached statements, and replies only after COMMIT returned (and fsynced: synchronous=FULL), so the
// fsync never blocks the event loop that serves attendees.
export const WORKER_SOURCE = String.raw`
const { parentPort, workerData } = require('node:worker_threads');
const SQLite = require(workerData.sqliteModule);

const db = new SQLite(workerData.file);
db.pragma('journal_mode = WAL');
db.pragma('synchronous = FULL');
db.pragma('foreign_keys = ON');
db.pragma('busy_timeout = 5000');

const insertParticipant = db.prepare(
  'INSERT INTO live_participant (id, room_id, key_hash, registration_id, attributes, language, created_at) VALUES (@id, @room_id, @key_hash, @registration_id, @attributes, @language, @created_at) ON CONFLICT (room_id, key_hash) DO NOTHING',
);
const findParticipant = db.prepare('SELECT id FROM live_participant WHERE room_id = ? AND key_hash = ?');
const insertResponse = db.prepare(
  'INSERT INTO live_response (id, prompt_id, room_id, session_id, participant_id, client_key, vote_key, text, choices, value, language, status, pinned, answered, upvotes, created_at) VALUES (@id, @prompt_id, @room_id, @session_id, @participant_id, @client_key, @vote_key, @text, @choices, @value, @language, @status, 0, 0, 0, @created_at) ON CONFLICT DO NOTHING',
);
const findByClientKey = db.prepare('SELECT id, participant_id, status FROM live_response WHERE room_id = ? AND client_key = ?');

function one(item) {
  let row = item.row;
  let joined = false;
  if (item.participant) {
    joined = insertParticipant.run(item.participant).changes === 1;
    if (!joined) {
      const existing = findParticipant.get(item.participant.room_id, item.participant.key_hash);
      row = { ...row, participant_id: existing.id, vote_key: row.vote_key ? row.prompt_id + ":" + existing.id : null };
    }
  }
  if (insertResponse.run(row).changes === 1) return { id: row.id, duplicate: false, joined, row };
  const same = findByClientKey.get(row.room_id, row.client_key);
  if (same && same.participant_id === row.participant_id) return { id: same.id, duplicate: true, joined, row: { ...row, id: same.id, status: same.status } };
  return { error: same ? 'client_key_taken' : 'already_answered' };
}

const all = db.transaction((items) => items.map(one));
const single = db.transaction((item) => one(item));

parentPort.on('message', ({ id, items }) => {
  const started = performance.now();
  let results;
  try {
    // IMMEDIATE: the write lock from the start (waiting busy_timeout for the main connection).
    results = all.immediate(items);
  } catch {
    // One bad row must not sink its neighbours: each in its own transaction.
    results = items.map((item) => {
      try {
        return single.immediate(item);
      } catch (e) {
        return { error: 'write_failed', message: String(e && e.message) };
      }
    });
  }
  parentPort.postMessage({ id, results, ms: performance.now() - started });
});
`;
