/** Listening on a port (HTTP, or HTTPS when given a certificate), and the demo site's server. */
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { Hono } from 'hono';
import { readFile } from 'node:fs/promises';
import type { ServerConfig } from '../config.js';
import { findFile, sendFile } from './static.js';

export interface Listening {
  server: ServerType;
  port: number;
  /**
   * Stop accepting connections, let requests in flight finish (each keep-alive connection is
   * closed as soon as it is idle), and resolve once every connection is gone. Connections still
   * busy after `graceMs` (default 10 s) are cut.
   */
  close(graceMs?: number): Promise<void>;
}

interface ConnectionControl {
  closeIdleConnections?: () => void;
  closeAllConnections?: () => void;
}

export interface ListenOptions {
  port: number;
  hostname: string;
  tls?: { cert: Buffer; key: Buffer };
}

export function listen(
  fetch: Parameters<typeof serve>[0]['fetch'],
  options: ListenOptions,
): Promise<Listening> {
  return new Promise((resolvePromise, reject) => {
    const server = serve(
      {
        fetch,
        port: options.port,
        hostname: options.hostname,
        ...(options.tls
          ? {
              createServer: createHttpsServer,
              serverOptions: { cert: options.tls.cert, key: options.tls.key },
            }
          : {}),
      },
      (info: AddressInfo) => {
        server.off('error', reject);
        resolvePromise({
          server,
          port: info.port,
          close: (graceMs = 10_000) =>
            new Promise<void>((done) => {
              const control = server as ConnectionControl;
              // A keep-alive connection becomes idle once its response is sent: close it then,
              // never in the middle of a request.
              const idle = setInterval(() => control.closeIdleConnections?.(), 50);
              const cut = setTimeout(() => control.closeAllConnections?.(), graceMs);
              server.close(() => {
                clearInterval(idle);
                clearTimeout(cut);
                done();
              });
              control.closeIdleConnections?.();
            }),
        });
      },
    );
    server.once('error', reject);
  });
}

/**
 * The demo "third-party site": static files from `root`, served on a different origin (port) from
 * the API, as a site owner's page would be.
 */
/** The API origin the demo pages are written with (`npm start`'s defaults). */
export const DEMO_DEFAULT_API = 'http://localhost:5173';
/** The demo site's origin that demo/config.json lists (`allowedOrigins`, `manageUrl`). */
export const DEMO_DEFAULT_PORT = 5174;

/**
 * The demo site. Its pages name the API as http://localhost:5173; started on other ports,
 * `apiOrigin` is put in their place as the pages are served, so the demo follows its ports.
 */
export function createDemoApp(root: string, options: { apiOrigin?: string } = {}): Hono {
  const app = new Hono();
  app.get('*', async (c) => {
    const file = await findFile(root, c.req.path);
    c.header('X-Content-Type-Options', 'nosniff');
    c.header('Referrer-Policy', 'strict-origin-when-cross-origin');
    c.header('Cache-Control', 'no-cache');
    if (!file) return c.text('Not found', 404);
    if (options.apiOrigin && options.apiOrigin !== DEMO_DEFAULT_API && file.path.endsWith('.html'))
      return c.body(
        (await readFile(file.path, 'utf8')).replaceAll(DEMO_DEFAULT_API, options.apiOrigin),
        200,
        {
          'Content-Type': 'text/html; charset=utf-8',
        },
      );
    return sendFile(c, file);
  });
  return app;
}

/**
 * demo/config.json allows the demo site on its default port; started on another, the same
 * hosts on that port are allowed too and the manage link points at it.
 */
export function followDemoPort(config: ServerConfig, port: number): void {
  if (port === DEMO_DEFAULT_PORT) return;
  for (const business of config.businesses.values()) {
    for (const host of ['localhost', '127.0.0.1']) business.originSet.add(`http://${host}:${port}`);
    if (business.manageUrl)
      business.manageUrl = business.manageUrl.replace(`:${DEMO_DEFAULT_PORT}/`, `:${port}/`);
  }
}
