import cors from '@fastify/cors';
import type { FastifyInstance } from 'fastify';

/**
 * CORS for browser apps on other origins (@fastify/cors), only when origins are configured:
 * `*` answers any origin with `Access-Control-Allow-Origin: *`, a list answers each listed
 * origin with itself (and `Vary: Origin`), others get no CORS headers, so their browser refuses.
 * Preflights are answered (204) for GET, HEAD and POST, allowing the headers the request asks for
 * (`Authorization` and the openai clients' `x-stainless-*` among them), so keyed servers work from
 * a browser. Registered before authentication (see server.ts): a preflight carries no key, and
 * a 401 must carry the headers for the app to read it.
 */
export function installCors(app: FastifyInstance, origins: readonly string[]): void {
  if (origins.length === 0) return;
  app.register(cors, {
    origin: origins.includes('*') ? '*' : [...origins],
    methods: ['GET', 'HEAD', 'POST', 'OPTIONS'],
    maxAge: 600,
  });
}
