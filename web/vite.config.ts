import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

// Small, dependency-free scripts that enhance server-rendered pages; every page works without them.
export default defineConfig({
  root: here('.'),
  publicDir: false,
  build: {
    outDir: here('./dist'),
    emptyOutDir: true,
    target: 'es2019',
    modulePreload: false,
    rollupOptions: {
      input: {
        public: here('./src/public.ts'),
        registration: here('./src/registration.ts'),
        attendee: here('./src/attendee.ts'),
        presenter: here('./src/presenter.ts'),
        'console-live': here('./src/console-live.ts'),
        workbench: here('./src/workbench.ts'),
      },
      output: {
        entryFileNames: '[name].js',
        chunkFileNames: 'chunk-[name].js',
        assetFileNames: '[name][extname]',
      },
    },
  },
});
