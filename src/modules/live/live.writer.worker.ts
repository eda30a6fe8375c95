// The worker's source, run with `eval: true`: workers do not inherit the tsx loader, so this part
// is plain JavaScript. It receives batches of answers, writes each batch in ONE transaction with
// cached statements, and replies only after COMMIT returned (and fsynced: synchronous=FULL), so the
// fsync never blocks the event loop that serves attendees.
//
// Batches travel as flat arrays of strings and numbers, not objects: copying a message between
// threads costs per property, and the main thread already holds every row, so only what the commit
// decided comes back (bench:ingest profile).

/** Cells per answer in a batch: a flag for "creates its participant", the answer's 13, the participant's 7. */
export const ITEM_CELLS = 21;
/** Cells per result: code, then up to three values (see the worker's `one`). */
export const RESULT_CELLS = 4;
/** Result codes. */
export const INSERTED = 0;
export const JOINED = 1;
export const DUPLICATE = 2;
export const FAILED = 3;

export const WORKER_SOURCE = String.raw`
const { parentPort, workerData } = require('node:worker_threads');
const SQLite = require(workerData.sqliteModule);

const db = new SQLite(workerData.file);
db.pragma('journal_mode = WAL');
db.pragma('synchronous = FULL');
db.pragma('foreign_keys = ON');
db.pragma('busy_timeout = 5000');

const insertParticipant = db.prepare(
  'INSERT INTO live_participant (id, room_id, key_hash, registration_id, attributes, language, created_at) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (room_id, key_hash) DO NOTHING',
);
const findParticipant = db.prepare('SELECT id FROM live_participant WHERE room_id = ? AND key_hash = ?');
const insertResponse = db.prepare(
  'INSERT INTO live_response (id, prompt_id, room_id, session_id, participant_id, client_key, vote_key, text, choices, value, language, status, pinned, answered, upvotes, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, 0, 0, ?) ON CONFLICT DO NOTHING',
);
const findByClientKey = db.prepare('SELECT id, participant_id, status FROM live_response WHERE room_id = ? AND client_key = ?');

// One answer at cell i of the batch c; writes its result at o of out:
//   0 inserted (out[o+1]: the participant id when an existing participant was found instead)
//   1 inserted, and its participant created with it
//   2 duplicate of an earlier answer: id, status, participant id
//   3 refused: error code, message
function one(c, i, out, o) {
  let participantId = c[i + 5];
  let voteKey = c[i + 7];
  let joined = false;
  let found = null;
  if (c[i] === 1) {
    joined = insertParticipant.run(c[i + 14], c[i + 15], c[i + 16], c[i + 17], c[i + 18], c[i + 19], c[i + 20]).changes === 1;
    if (!joined) {
      found = findParticipant.get(c[i + 15], c[i + 16]).id;
      participantId = found;
      voteKey = voteKey ? c[i + 2] + ':' + found : null;
    }
  }
  if (insertResponse.run(c[i + 1], c[i + 2], c[i + 3], c[i + 4], participantId, c[i + 6], voteKey, c[i + 8], c[i + 9], c[i + 10], c[i + 11], c[i + 12], c[i + 13]).changes === 1) {
    out[o] = joined ? 1 : 0;
    out[o + 1] = found;
    return;
  }
  const same = findByClientKey.get(c[i + 3], c[i + 6]);
  if (same && same.participant_id === participantId) {
    out[o] = 2;
    out[o + 1] = same.id;
    out[o + 2] = same.status;
    out[o + 3] = participantId;
    return;
  }
  out[o] = 3;
  out[o + 1] = same ? 'client_key_taken' : 'already_answered';
}

const STRIDE = ${ITEM_CELLS};
const OUT = ${RESULT_CELLS};
const all = db.transaction((c, out) => {
  for (let i = 0, o = 0; i < c.length; i += STRIDE, o += OUT) one(c, i, out, o);
});
const single = db.transaction((c, i, out, o) => one(c, i, out, o));

parentPort.on('message', ({ id, cells }) => {
  const started = performance.now();
  const n = cells.length / STRIDE;
  let out = new Array(n * OUT).fill(null);
  try {
    // IMMEDIATE: the write lock from the start (waiting busy_timeout for the main connection).
    all.immediate(cells, out);
  } catch {
    // One bad row must not sink its neighbours: each in its own transaction.
    out = new Array(n * OUT).fill(null);
    for (let k = 0; k < n; k++) {
      try {
        single.immediate(cells, k * STRIDE, out, k * OUT);
      } catch (e) {
        out[k * OUT] = 3;
        out[k * OUT + 1] = 'write_failed';
        out[k * OUT + 2] = String(e && e.message);
      }
    }
  }
  parentPort.postMessage({ id, out, ms: performance.now() - started });
});
`;
