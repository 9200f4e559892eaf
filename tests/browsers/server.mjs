// The test server of the cross-browser suite: serves the repository on 127.0.0.1 as a static
// server does, except that index.html gets, at the top of its <head>, a script that records every
// uncaught error, unhandled rejection and console.error into window.__problems. Classic WebDriver
// cannot listen before the page's own scripts run; this catches errors from the first line.
// It also serves /__frame.html?src=…, a page holding that address in an 800 × 450 iframe. Test-only:
// the page itself never carries either.

import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8', '.json': 'application/json', '.wasm': 'application/wasm', '.csv': 'text/csv',
};

/** The capture, as the first script of the page. */
const CAPTURE = `<script>
window.__problems = [];
addEventListener('error', (e) => window.__problems.push('error: ' + (e.message || e.type)));
addEventListener('unhandledrejection', (e) => window.__problems.push('unhandled rejection: ' + (e.reason && e.reason.message || e.reason)));
(() => { const original = console.error; console.error = (...args) => { window.__problems.push('console.error: ' + args.join(' ')); original.apply(console, args); }; })();
</script>`;

/** Starts the server on a free port; resolves {origin, close}. */
export function startServer() {
  const server = http.createServer((request, response) => {
    const url = new URL(request.url, 'http://localhost');
    if (url.pathname === '/__frame.html') {
      // A page that holds the page in an 800 × 450 iframe, as a slide or a course page does.
      const src = (url.searchParams.get('src') ?? '/index.html').replace(/"/g, '&quot;');
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
        .end(`<!doctype html><title>frame</title><body style="margin:10px"><iframe src="${src}" width="800" height="450" style="border:0"></iframe>`);
      return;
    }
    let file = path.normalize(path.join(ROOT, decodeURIComponent(url.pathname)));
    if (!file.startsWith(ROOT)) {
      response.writeHead(403).end();
      return;
    }
    if (url.pathname.endsWith('/')) file = path.join(file, 'index.html');
    fs.readFile(file, (error, bytes) => {
      if (error) {
        response.writeHead(404).end();
        return;
      }
      const type = TYPES[path.extname(file)] ?? 'application/octet-stream';
      const body = file === path.join(ROOT, 'index.html') ? Buffer.from(bytes.toString('utf8').replace('<head>', `<head>\n${CAPTURE}`)) : bytes;
      response.writeHead(200, { 'content-type': type, 'cache-control': 'no-store' }).end(body);
    });
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => resolve({ origin: `http://127.0.0.1:${server.address().port}`, close: () => server.close() }));
  });
}
