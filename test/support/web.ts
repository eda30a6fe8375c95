import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Builds web/dist once if it is missing, so browser tests see the same scripts as `npm start`. */
export async function ensureWebBuilt(): Promise<void> {
  const dist = fileURLToPath(new URL('../../web/dist/public.js', import.meta.url));
  if (existsSync(dist)) return;
  const { build } = await import('vite');
  await build({
    configFile: fileURLToPath(new URL('../../web/vite.config.ts', import.meta.url)),
    logLevel: 'warn',
  });
}
