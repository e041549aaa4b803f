import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ServerContext } from '../context.js';
import { ApiError } from '../errors.js';

/** The chat page's files (page/, built into dist/page), by the URL each is served at. */
const FILES: Record<string, { file: string; type: string }> = {
  '/': { file: 'index.html', type: 'text/html; charset=utf-8' },
  '/ui/app.js': { file: 'app.js', type: 'text/javascript; charset=utf-8' },
  '/ui/app.css': { file: 'app.css', type: 'text/css; charset=utf-8' },
};

/** The page's URLs (open without an API key). */
export const PAGE_URLS: readonly string[] = Object.keys(FILES);

interface Asset {
  type: string;
  body: Buffer;
  gzip: Buffer;
}

/** Where the built page sits: dist/page beside the built module, or the package's dist/ from src/. */
export function pageDir(): string | undefined {
  const here = dirname(fileURLToPath(import.meta.url));
  return [join(here, 'page'), join(here, '..', 'dist', 'page'), join(here, '..', '..', 'dist', 'page')].find((d) => existsSync(join(d, 'index.html')));
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * Read and gzip every file once, at start-up. The HTML gets the model id and whether the API
 * needs a key, so the page asks for one before its first request instead of after a 401.
 */
function loadAssets(dir: string, modelId: string, keyRequired: boolean): Map<string, Asset> {
  const out = new Map<string, Asset>();
  for (const [url, { file, type }] of Object.entries(FILES)) {
    let text = readFileSync(join(dir, file), 'utf8');
    if (file === 'index.html') text = text.replaceAll('{{model}}', escapeHtml(modelId)).replaceAll('{{auth}}', keyRequired ? 'required' : 'none');
    const body = Buffer.from(text);
    out.set(url, { type, body, gzip: gzipSync(body, { level: 9 }) });
  }
  return out;
}

/**
 * GET / (the chat page) and its script and style under /ui/. Served from memory, gzipped when
 * the client accepts it; no API key needed (the page's own API calls carry the key).
 */
export function pageRoutes(ctx: ServerContext) {
  return async function routes(app: FastifyInstance): Promise<void> {
    const dir = pageDir();
    const assets = dir ? loadAssets(dir, ctx.config.modelId, ctx.config.apiKeys.length > 0) : undefined;
    const handler = (url: string) => async (request: FastifyRequest, reply: FastifyReply) => {
      const asset = assets?.get(url);
      if (!asset)
        throw new ApiError(500, 'server_error', 'page_not_built', 'the chat page is not built (dist/page is missing); run `pnpm --filter @gyro/adapter build`');
      const gzip = /\bgzip\b/.test(String(request.headers['accept-encoding'] ?? ''));
      reply
        .header('content-type', asset.type)
        .header('cache-control', 'no-cache')
        .header('vary', 'accept-encoding')
        .header('x-content-type-options', 'nosniff');
      if (gzip) reply.header('content-encoding', 'gzip');
      return reply.send(gzip ? asset.gzip : asset.body);
    };
    for (const url of Object.keys(FILES)) app.get(url, handler(url));
  };
}

/** Total gzipped size of the shipped page files, in bytes (the page's size budget is 100 KB). */
export function pageSizeGzipped(dir = pageDir()): number {
  if (!dir) return 0;
  let total = 0;
  for (const { file } of Object.values(FILES)) total += gzipSync(readFileSync(join(dir, file)), { level: 9 }).length;
  return total;
}
