import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { invalidApiKey, sendError } from './errors.js';
import { PAGE_URLS } from './routes/page.js';

/**
 * Answered without a key: the routes a load balancer or orchestrator probes, and the chat
 * page's static files (they hold no data; the page's own API calls carry the key).
 */
const OPEN_ROUTES = new Set(['/health', '/ready', ...PAGE_URLS]);

const digest = (key: string) => createHash('sha256').update(key).digest();

/**
 * Require `Authorization: Bearer KEY` on every route but those above when keys are
 * configured. Keys are compared as SHA-256 digests with timingSafeEqual (equal lengths by
 * construction, so the time taken says nothing about the key), against every configured key
 * without stopping at the first match.
 */
export function installAuth(app: FastifyInstance, keys: readonly string[]): void {
  if (keys.length === 0) return;
  const digests = keys.map(digest);
  app.addHook('onRequest', async (request, reply) => {
    if (OPEN_ROUTES.has(request.routeOptions.url ?? '')) return;
    const header = request.headers.authorization;
    const m = header === undefined ? null : /^Bearer +(\S+) *$/i.exec(header);
    if (m) {
      const presented = digest(m[1]!);
      let ok = false;
      for (const d of digests) ok = timingSafeEqual(presented, d) || ok;
      if (ok) return;
    }
    reply.header('www-authenticate', 'Bearer');
    return sendError(reply, invalidApiKey(header === undefined ? 'missing' : m ? 'wrong' : 'malformed'));
  });
}

/** True for addresses only this machine can reach. */
export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host === '[::1]' || /^127(\.\d{1,3}){3}$/.test(host);
}
