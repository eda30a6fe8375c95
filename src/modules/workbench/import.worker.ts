// Reading and mapping an import in a worker thread, so parsing a large file never stalls the event
// loop that answers everyone else. Workers do not inherit the tsx loader: a small JavaScript
// bootstrap registers it, then loads the pure parsing code (sources.import.ts) in the worker.
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { AppError } from '../../lib/errors.ts';
import { boundedImport } from './import.bounds.ts';
import type { ColumnMapping, ImportConstants, previewImport } from './sources.import.ts';
import type { ImportKind } from './sources.parse.ts';

const BOOTSTRAP = String.raw`
const { parentPort, workerData } = require('node:worker_threads');
(async () => {
  try {
    const { register } = await import(workerData.tsx);
    register();
    const { previewImport } = await import(workerData.module);
    const r = await previewImport(workerData.kind, Buffer.from(workerData.data), workerData.mapping, workerData.constants, workerData.regions);
    parentPort.postMessage({ ok: true, result: r });
  } catch (e) {
    parentPort.postMessage({
      ok: false,
      error: e && typeof e.status === 'number'
        ? { status: e.status, code: e.code, message: e.message, field: e.field }
        : { status: 500, code: 'import_failed', message: String((e && e.message) || e) },
    });
  }
})();
`;

type Preview = Awaited<ReturnType<typeof previewImport>>;

// At most this many imports are read at once; the others wait their turn (memory stays bounded).
const MAX_PARALLEL = Math.max(1, Math.min(2, availableParallelism() - 1));
let running = 0;
const waiting: (() => void)[] = [];

async function slot(): Promise<() => void> {
  if (running >= MAX_PARALLEL) await new Promise<void>((r) => waiting.push(r));
  running++;
  return () => {
    running--;
    waiting.shift()?.();
  };
}

/** previewImport in a worker thread: same result, same 4xx errors, the event loop stays free. */
export async function previewImportInWorker(
  kind: ImportKind,
  data: Buffer,
  mapping?: ColumnMapping,
  constants?: ImportConstants,
  regions?: Parameters<typeof previewImport>[4],
): Promise<Preview> {
  // The cheap checks first, here: a refused file never costs a worker.
  boundedImport(kind, data);
  const release = await slot();
  try {
    const worker = new Worker(BOOTSTRAP, {
      eval: true,
      workerData: {
        tsx: import.meta.resolve('tsx/esm/api'),
        module: new URL('./sources.import.ts', import.meta.url).href,
        kind,
        data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
        mapping,
        constants,
        regions,
      },
      resourceLimits: { maxOldGenerationSizeMb: 512 },
    });
    const msg = await new Promise<
      | { ok: true; result: Preview }
      | { ok: false; error: { status: number; code: string; message: string; field?: string } }
    >((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
      worker.once('exit', (code) => reject(new Error(`import worker exited with ${code}`)));
    });
    void worker.terminate();
    if (msg.ok) return msg.result;
    if (msg.error.status >= 500) throw new Error(msg.error.message);
    throw new AppError(msg.error.status, msg.error.code, msg.error.message, msg.error.field);
  } catch (e) {
    // Out of memory in the worker: the file is too big to read, not a server error.
    if (e instanceof Error && /ERR_WORKER_OUT_OF_MEMORY/.test((e as { code?: string }).code ?? ''))
      throw new AppError(
        413,
        'file_too_large',
        'This file is too large to read. Split it into smaller files.',
        'file',
      );
    throw e;
  } finally {
    release();
  }
}
