// The Jupyter widget's front end (gdviz.Explorer) from the static site in dist/ (make dist):
//
//   python/gdviz/static/widget.js      the ESM anywidget loads: scripts/widget-host.js with the
//                                      page inlined (gzip, base64), nothing fetched from anywhere
//   python/gdviz/static/settings.json  the widget's traitlets, derived from the page's store and
//                                      the core's catalogue: each setting's default, range and
//                                      the core's own words for a refused value, with values
//                                      checked by the core for tests/notebook/settings.py
//
// The page is dist/'s: its index.html with its one style sheet and its bundled, minified script
// inlined, and the wasm-opt'ed module. The few URLs the bundles resolve against their own
// address (`new URL("…", import.meta.url)`: the module, the CSV reader's worker, the built-in
// lesson) have no meaning in an <iframe srcdoc>: each becomes a call of the prelude's
// gdvizAsset(), which answers the module compiled by the widget, or a blob: URL of the file's
// text. The worker gets the module from the page by a message. The script fails when a bundle
// names a URL it does not know, or when inlined text would end its <script> or <style> early.
//
//   node scripts/widget.mjs    (make widget: builds dist/ first)

import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import zlib from 'node:zlib';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const DIST = path.join(ROOT, 'dist');
const OUT = path.join(ROOT, 'python/gdviz/static');
const WASM = './pkg/gdviz_bg.wasm';
const WORKER = './shell/csv-worker.js';
/** The range kinds that python/gdviz/explorer.py checks (_contains); another one fails the build. */
const PYTHON_RANGES = new Set([
  'positive', 'non-negative', 'finite', 'greater-than', 'closed', 'half-open', 'open-closed', 'open',
  'integer-in', 'integer-at-least', 'at-most', 'at-least', 'magnitude-at-most',
]);

const fail = (message) => {
  console.error(`widget: ${message}`);
  process.exit(1);
};
const read = (rel, encoding = 'utf8') => {
  const file = path.join(DIST, rel);
  if (!fs.existsSync(file)) fail(`dist/${rel} is missing: run \`make dist\` first`);
  return fs.readFileSync(file, encoding);
};

// ---- The table of the widget's settings -------------------------------------------------------

const wasmBytes = read(`www/${WASM.slice(2)}`, null);
const glue = await import(pathToFileURL(path.join(ROOT, 'www/pkg/gdviz.js')));
glue.initSync({ module: wasmBytes });
const { Visualizer } = glue;
const { settingEntries } = await import(pathToFileURL(path.join(ROOT, 'www/shell/settings.js')));
const { notebookSettings } = await import(pathToFileURL(path.join(ROOT, 'www/features/notebook.js')));
const { SHOWABLE } = await import(pathToFileURL(path.join(ROOT, 'www/features/embed.js')));

const catalog = Visualizer.catalog();
const vis = new Visualizer();
const ctx = { vis, catalog, check: (key, value) => Visualizer.check_value(key, value), n: () => vis.analysis().n };
const entries = settingEntries(ctx);
const english = Object.fromEntries(catalog.value_names.map((v) => [v.key, v.english]));
/** The error `action` throws (the build fails when it throws none). */
const refusal = (what, action) => {
  try {
    action();
  } catch (error) {
    return error;
  }
  return fail(`${what} was not refused`);
};
/** A refused value's message without its ", got …" (Python adds its own value). */
const prefix = (error, got) => {
  const tail = `, got ${got}`;
  if (!error.message.endsWith(tail)) fail(`the core's message "${error.message}" does not end with "${tail}"`);
  return error.message.slice(0, -tail.length);
};
/** A number as the samples carry it (JSON has no NaN or infinities). */
const wire = (v) => (Object.is(v, -0) ? "-0" : Number.isFinite(v) ? v : String(v));

const n = ctx.n();
const settings = notebookSettings(entries, catalog).map((s) => {
  const entry = entries.find((e) => e.key === s.key);
  const initial = entry.initial(ctx);
  if (s.kind === 'flag') return { ...s, default: initial };
  if (s.kind === 'choice') {
    // The page's refusal, in the words of the core's Error::UnknownChoice.
    const error = refusal(s.key, () => entry.parse('\u0001', ctx));
    return { ...s, default: initial, message: `${english[error.name]} must be one of ${error.known.join(', ')}` };
  }
  if (s.kind === 'batch') {
    const message = prefix(refusal('batch size 0', () => vis.set_batch_size(0, 0)), '0');
    if (!message.includes(`[${s.min}, ${n}]`)) fail(`the batch size's message "${message}" does not name [${s.min}, ${n}]`);
    return { ...s, default: initial, message: message.replace(`, ${n}]`, ', {n}]') };
  }
  if (!PYTHON_RANGES.has(s.range.kind)) fail(`${s.key}: explorer.py does not check ranges of kind "${s.range.kind}"`);
  const message = prefix(refusal(s.key, () => Visualizer.check_value(s.key, NaN)), 'NaN');
  return { ...s, default: s.kind === 'degree' ? null : initial, message };
});

// Values the core checked, for tests/notebook/settings.py: Python's verdict and words must match.
const SAMPLES = [0, -0, 1, -1, 0.5, 2, 2.5, 10, 11, 1000, 1001, 1e-7, 1e-5, 0.1 + 0.2, 123456.789, 1e15, 1e16, 1e20,
  -2.5e-7, NaN, Infinity, -Infinity, 0.999, 1.0000001, 1e6, 1e6 + 1];
const samples = {};
for (const s of settings) {
  if (s.kind === 'number' || s.kind === 'degree') {
    const values = [...SAMPLES, ...[s.range.lo, s.range.hi, s.range.min, s.range.max].filter((v) => v !== undefined)];
    samples[s.trait] = values.map((v) => {
      try {
        Visualizer.check_value(s.key, v);
        return [wire(v), null];
      } catch (error) {
        return [wire(v), error.message];
      }
    });
  } else if (s.kind === 'batch') {
    samples[s.trait] = [0, 1, 2.5, n, n + 1, -1, NaN].map((v) => {
      try {
        vis.set_batch_size(0, v);
        return [wire(v), null];
      } catch (error) {
        return [wire(v), error.message];
      }
    });
    vis.set_batch_size(0, n);
  }
}

// The choices' words against the core's, where the core has a setter that names them.
const coreChoice = { loss: () => vis.set_loss_convention('\u0001'), regularization: () => vis.set_regularization('\u0001', 0.1, 0.5) };
for (const [key, action] of Object.entries(coreChoice)) {
  const s = settings.find((x) => x.key === key);
  const message = prefix(refusal(key, action), '"\u0001"');
  if (message !== s.message) fail(`the page's words for ${key} ("${s.message}") are not the core's ("${message}")`);
}

// The data: the import's limit on rows, the core's on features and on points, and what refuses
// a polynomial on data of several columns.
const column = (count) => Float64Array.from({ length: count }, (_, i) => i);
const features = refusal('11 features', () => vis.set_columns(Array.from({ length: 11 }, () => column(20)), column(20), []));
const fewPoints = refusal('1 point', () => vis.set_columns([column(1)], column(1), []));
vis.set_columns([column(5), column(5).map((v) => v * v)], column(5), []);
const oneColumn = refusal('a polynomial of 2 columns', () => vis.set_model('polynomial', 3));
const data = {
  max_rows: catalog.import.max_rows,
  min_rows: fewPoints.min,
  max_features: features.range.hi,
  features_message: prefix(features, '11'),
  too_few_message: fewPoints.message.replace(`${fewPoints.min}`, '{min}').replace(/got 1$/, 'got {count}'),
  degree_columns_message: prefix(oneColumn, '2'),
};
const showNames = Object.keys(SHOWABLE);
const table = {
  settings,
  samples,
  samples_n: n,
  presets: catalog.presets.map((p) => ({ name: p.name, points: p.points, columns: p.columns })),
  show: showNames,
  show_message: `show must be one of ${showNames.join(', ')}`,
  data,
};

// ---- The page as one HTML document ------------------------------------------------------------

/** Text for an inline <script> or <style>: fails when it would end the element early. */
function inline(text, tag, what) {
  if (new RegExp(`</${tag}`, 'i').test(text) || /<!--/.test(text)) fail(`${what} holds "</${tag}" or "<!--": it cannot be inlined`);
  return text;
}
/** A JSON string literal that is safe inside a <script>. */
const literal = (text) => JSON.stringify(text).replace(/</g, '\\u003c');
/** Replaces each `new URL("ref", import.meta.url)` of a bundle by `replace(ref)`. */
function rewriteUrls(text, what, replace) {
  return text.replace(/\bnew\s+URL\(\s*(["'])([^"']+)\1\s*,\s*import\.meta\.url\s*\)/g, (all, quote, ref) => replace(ref) ?? fail(`${what} names ${ref}, which the widget does not inline`));
}

const lessons = fs.readdirSync(path.join(DIST, 'www/lessons')).filter((f) => f.endsWith('.json'));
const texts = Object.fromEntries(lessons.map((f) => [`./lessons/${f}`, { type: 'application/json', text: read(`www/lessons/${f}`) }]));
const workerSource = rewriteUrls(read(`www/${WORKER.slice(2)}`), 'the CSV worker', (ref) => (ref === '../pkg/gdviz_bg.wasm' ? 'self.gdvizWasm' : null));
// The worker takes the module from the page's first message (before its own handler sees any).
texts[WORKER] = {
  type: 'text/javascript',
  text: `self.gdvizWasm=new Promise(r=>{self.addEventListener("message",function t(e){if(e.data&&e.data.gdvizWasm){self.removeEventListener("message",t);e.stopImmediatePropagation();r(e.data.gdvizWasm)}})});\n${workerSource}`,
};
const script = inline(rewriteUrls(read('www/main.js'), 'the page\'s script', (ref) => (ref === WASM || ref in texts ? `gdvizAsset(${JSON.stringify(ref)})` : null)), 'script', 'the page\'s script');
const styles = inline(read('www/styles/page.css'), 'style', 'the style sheet');

// The prelude: the link's embed fields in the address (the page reads them on load), and the
// assets of the rewritten URLs. Opened on its own (no host), the document does nothing.
const prelude = `(()=>{const host=window.frameElement&&window.frameElement.gdvizNotebook;if(!host)return;
history.replaceState(null,"","about:srcdoc#"+host.hash);
const texts=${literal(JSON.stringify(texts))};const files=JSON.parse(texts);const urls={};
window.gdvizAsset=(ref)=>{if(ref===${JSON.stringify(WASM)})return host.wasm;
if(!(ref in urls))urls[ref]=URL.createObjectURL(new Blob([files[ref].text],{type:files[ref].type}));return new URL(urls[ref])};
const NativeWorker=window.Worker;
window.Worker=function Worker(url,options){const worker=new NativeWorker(url,options);if(String(url)===urls[${JSON.stringify(WORKER)}])worker.postMessage({gdvizWasm:host.wasm});return worker};})();`;

let html = read('index.html');
const replaceOnce = (from, to) => {
  if (html.split(from).length !== 2) fail(`dist/index.html does not have exactly one ${from}`);
  html = html.replace(from, () => to);
};
// The notebook's own: the rate's field wide enough for what the slider gives (0.00112), which
// the embed's 5.5em cuts.
const NOTEBOOK_STYLE = 'body[data-embed] .embed-group .field:has(> input[type="number"]){grid-template-columns:auto 7em}';
replaceOnce('<link rel="stylesheet" href="./www/styles/page.css">', `<style>${styles}</style>\n  <style>${NOTEBOOK_STYLE}</style>`);
// A srcdoc document resolves relative URLs against its parent's address: the page's own
// history.replaceState('#…') (the link) would name the notebook's address, and be refused.
replaceOnce('<meta charset="utf-8">', '<meta charset="utf-8">\n  <base href="about:srcdoc">');
replaceOnce('<script type="module" src="./www/main.js"></script>', `<script>${inline(prelude, 'script', 'the prelude')}</script>\n  <script type="module">${script}</script>`);
const leftover = [...html.matchAll(/\s(?:href|src)\s*=\s*["']([^"'#][^"']*)["']/g)].map((m) => m[1]).filter((ref) => !/^(data|blob):/.test(ref) && ref !== 'about:srcdoc');
if (leftover.length) fail(`the page still refers to ${leftover.join(', ')}`);

// ---- The ESM ----------------------------------------------------------------------------------

const htmlBytes = Buffer.from(html, 'utf8');
const payload = zlib.gzipSync(Buffer.concat([htmlBytes, wasmBytes]), { level: 9 });
const build = crypto.createHash('sha256').update(payload).digest('hex').slice(0, 16);
let esbuild;
try {
  esbuild = await import('esbuild');
} catch {
  fail('the npm package esbuild is missing: run `make setup-npm` (npm ci)');
}
const bundled = await esbuild.build({
  entryPoints: [path.join(ROOT, 'scripts/widget-host.js')], bundle: true, format: 'esm', minify: true, write: false,
  target: ['chrome103', 'firefox114', 'safari16.4'], legalComments: 'none', logLevel: 'warning',
  define: { GDVIZ_PAGE: JSON.stringify(payload.toString('base64')), GDVIZ_HTML_BYTES: String(htmlBytes.length), GDVIZ_BUILD: JSON.stringify(build) },
});
const esm = bundled.outputFiles[0].text;
fs.mkdirSync(OUT, { recursive: true });
fs.writeFileSync(path.join(OUT, 'widget.js'), esm);
fs.writeFileSync(path.join(OUT, 'settings.json'), `${JSON.stringify({ build, esm_bytes: Buffer.byteLength(esm), ...table }, null, 1)}\n`);

const kib = (bytes) => `${(bytes / 1024).toFixed(1)} KiB`;
const esmBytes = Buffer.byteLength(esm);
console.log(`widget: page ${kib(htmlBytes.length)} of HTML (style sheet and script inline), module ${kib(wasmBytes.length)}; `
  + `gzipped together ${kib(payload.length)}`);
console.log(`widget: python/gdviz/static/widget.js ${kib(esmBytes)} (${esmBytes} bytes, ${kib(zlib.gzipSync(esm).length)} gzipped), `
  + `build ${build}; settings.json: ${settings.length} settings`);
