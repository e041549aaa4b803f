import { defineConfig } from 'tsup';

// The chat page (page/): one minified browser bundle plus the static HTML and CSS, into
// dist/page, which the page route serves. Built after the server (whose config cleans dist/).
export default defineConfig({
  entry: { app: 'page/main.ts' },
  outDir: 'dist/page',
  format: ['esm'],
  platform: 'browser',
  target: 'es2020',
  minify: true,
  sourcemap: false,
  dts: false,
  clean: false,
  splitting: false,
  publicDir: 'page/public',
  tsconfig: 'page/tsconfig.json',
});
