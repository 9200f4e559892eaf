// The self-contained static site in dist/: index.html; the page's modules bundled and minified by
// esbuild into two scripts (www/main.js, and the CSV reader's worker www/shell/csv-worker.js), so
// that a school network's latency is paid once rather than once per module of a chain of imports;
// its five style sheets bundled and minified into one (www/styles/page.css); the built-in lessons
// (www/lessons/*.json); and the WebAssembly module optimized by wasm-opt from the npm `binaryen`
// package (never Debian's /usr/bin/wasm-opt: its output fails in the browser). Every text file and
// the module also get a precompressed .gz and .br beside them, for servers that send those
// (nginx's gzip_static and brotli_static). Every URL the page loads is relative, so dist/ works
// from any sub-path of any static server, with no network at run time; the script checks that
// every reference resolves inside dist/ and fails otherwise. It prints the sizes, total and
// gzipped, and the module's before and after wasm-opt.
//
//   node scripts/dist.mjs        (make dist: builds www/pkg first)

import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** The browsers the bundle is written for: the oldest with every feature the page uses (the
 * module's WebAssembly features below, module workers: Firefox 114, CompressionStream's
 * deflate-raw: Chrome 103, Safari 16.4). The README's "Browsers" says the same. */
const BROWSERS = ['chrome103', 'firefox114', 'safari16.4'];
/** The scripts bundled: each an entry of www/ and everything it imports. */
const SCRIPTS = ['www/main.js', 'www/shell/csv-worker.js'];
/** The style sheets index.html links, bundled in this order into the first one's place. */
const STYLES = ['page.css', 'toolbar.css', 'print.css', 'embed.css', 'lesson.css'].map((f) => `www/styles/${f}`);
const OUT = path.join(ROOT, 'dist');
const WASM = 'www/pkg/gdviz_bg.wasm';

// What rustc (≥ 1.82) emits for wasm32-unknown-unknown by default, and simd128 (.cargo/config.toml);
// wasm-opt must be told, or it refuses (or mis-optimizes) the module.
const WASM_FEATURES = [
  '--enable-simd',
  '--enable-bulk-memory',
  '--enable-bulk-memory-opt',
  '--enable-sign-ext',
  '--enable-nontrapping-float-to-int',
  '--enable-reference-types',
  '--enable-multivalue',
  '--enable-mutable-globals',
];
// -O gave the smallest gzipped module (-Oz is ~1.5 KB smaller raw but ~40 bytes larger gzipped;
// -O3 is larger both ways). The name section is dropped (no -g); the page reports traps by their
// message, not by function names.
const WASM_OPT_LEVEL = '-O';

const fail = (message) => {
  console.error(`dist: ${message}`);
  process.exit(1);
};

/** esbuild from npm (a devDependency). */
async function loadEsbuild() {
  try {
    return await import('esbuild');
  } catch {
    return fail('the npm package esbuild is missing: run `make setup-npm` (npm ci)');
  }
}

/** The path of wasm-opt inside the npm `binaryen` package (a devDependency). */
function wasmOptPath() {
  const require = createRequire(import.meta.url);
  let pkg;
  try {
    pkg = require.resolve('binaryen/package.json', { paths: [ROOT] });
  } catch {
    fail('the npm package binaryen is missing: run `make setup-npm` (npm ci)');
  }
  return path.join(path.dirname(pkg), 'bin', 'wasm-opt');
}

/** Files under `dir` (relative to ROOT, forward slashes) whose names pass `keep`. */
function filesUnder(dir, keep) {
  const found = [];
  const walk = (rel) => {
    for (const entry of fs.readdirSync(path.join(ROOT, rel), { withFileTypes: true })) {
      const child = `${rel}/${entry.name}`;
      if (entry.isDirectory()) walk(child);
      else if (entry.isFile() && keep(entry.name)) found.push(child);
    }
  };
  walk(dir);
  return found.sort();
}

/** The URLs a file refers to: attributes in HTML, imports and `new URL(…, import.meta.url)` in
 * JavaScript, `url(…)` and `@import` in CSS. */
function references(file, text) {
  const patterns = {
    '.html': [/\s(?:href|src)\s*=\s*["']([^"']+)["']/g],
    '.js': [
      /\bimport\s+(?:[^'"();]*?\s+from\s+)?["']([^"']+)["']/g,
      /\bexport\s+[^'"();]*?\s+from\s+["']([^"']+)["']/g,
      /\bimport\s*\(\s*["']([^"']+)["']\s*\)/g,
      /\bnew\s+URL\s*\(\s*["']([^"']+)["']\s*,\s*import\.meta\.url\s*\)/g,
    ],
    '.css': [/url\(\s*["']?([^"')]+)["']?\s*\)/g, /@import\s+["']([^"']+)["']/g],
  }[path.extname(file)] ?? [];
  // Comments may quote code; strip them from JavaScript and CSS before looking.
  const body = file.endsWith('.html') ? text.replace(/<!--[\s\S]*?-->/g, '')
    : text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
  return patterns.flatMap((re) => [...body.matchAll(re)].map((m) => m[1]));
}

/** Every reference of every text file in dist/ is relative and resolves to a file in dist/.
 * Returns the files that the page never loads (from index.html, through every reference). */
function checkReferences(files) {
  const present = new Set(files);
  const problems = [];
  const edges = new Map();
  for (const file of files) {
    const targets = [];
    edges.set(file, targets);
    if (!/\.(html|js|css)$/.test(file)) continue;
    for (const ref of references(file, fs.readFileSync(path.join(OUT, file), 'utf8'))) {
      if (/^(data|blob):/.test(ref) || ref.startsWith('#')) continue;
      if (/^[a-z][a-z0-9+.-]*:/i.test(ref) || ref.startsWith('/')) {
        problems.push(`${file}: "${ref}" is not a relative URL`);
        continue;
      }
      const target = path.posix.normalize(path.posix.join(path.posix.dirname(file), ref.split(/[?#]/)[0]));
      if (target.startsWith('../') || !present.has(target)) problems.push(`${file}: "${ref}" is not in dist/`);
      else targets.push(target);
    }
  }
  if (problems.length) fail(`references that would not load from any sub-path:\n  ${problems.join('\n  ')}`);
  const loaded = new Set(['index.html']);
  const queue = ['index.html'];
  while (queue.length) {
    for (const target of edges.get(queue.shift())) {
      if (loaded.has(target)) continue;
      loaded.add(target);
      queue.push(target);
    }
  }
  return files.filter((file) => !loaded.has(file));
}

const gzipSize = (bytes) => zlib.gzipSync(bytes).length; // zlib's default level (6), as servers use
const kib = (n) => `${(n / 1024).toFixed(1)} KiB`.padStart(10);
const row = (label, raw, gz) => `  ${label.padEnd(26)}${kib(raw)}${kib(gz)} gzipped`;

// ---- Build --------------------------------------------------------------------------------------

for (const needed of ['index.html', 'www/main.js', 'www/pkg/gdviz.js', WASM]) {
  if (!fs.existsSync(path.join(ROOT, needed))) fail(`${needed} is missing: run \`make wasm\` first`);
}

const esbuild = await loadEsbuild();

/**
 * An esbuild plugin for a bundle written to `out` (a path under dist/): a module's
 * `new URL('x', import.meta.url)` (a lesson's file, the worker, the WebAssembly module) names x
 * relative to that module's own file, and the bundle is one file elsewhere; each such URL is
 * rewritten relative to the bundle, where dist/ keeps x at its place under www/.
 */
const relativeUrls = (out) => ({
  name: 'relative-urls',
  setup(build) {
    build.onLoad({ filter: /\.js$/ }, (args) => {
      const text = fs.readFileSync(args.path, 'utf8');
      const contents = text.replace(/\bnew\s+URL\(\s*(['"])([^'"]+)\1\s*,\s*import\.meta\.url\s*\)/g, (all, quote, ref) => {
        const target = path.join(path.dirname(args.path), ref);
        const from = path.dirname(path.join(ROOT, out));
        let rel = path.relative(from, target).split(path.sep).join('/');
        if (!rel.startsWith('.')) rel = `./${rel}`;
        return `new URL(${quote}${rel}${quote}, import.meta.url)`;
      });
      return { contents, loader: 'js' };
    });
  },
});

fs.rmSync(OUT, { recursive: true, force: true });
const copied = ['index.html', ...filesUnder('www/lessons', (name) => name.endsWith('.json'))];
for (const file of copied) {
  fs.mkdirSync(path.dirname(path.join(OUT, file)), { recursive: true });
  fs.copyFileSync(path.join(ROOT, file), path.join(OUT, file));
}
// The scripts: each bundle on its own, its URLs relative to where it is written.
for (const entry of SCRIPTS) {
  await esbuild.build({
    entryPoints: [path.join(ROOT, entry)], outfile: path.join(OUT, entry), bundle: true, format: 'esm',
    minify: true, target: BROWSERS, legalComments: 'none', logLevel: 'warning', plugins: [relativeUrls(entry)],
  });
}
// The styles: one sheet, in index.html's order, where the first one was.
const styleSheet = STYLES[0];
await esbuild.build({
  stdin: { contents: STYLES.map((f) => `@import "./${path.basename(f)}";`).join('\n'), resolveDir: path.join(ROOT, 'www/styles'), loader: 'css' },
  outfile: path.join(OUT, styleSheet), bundle: true, minify: true, target: BROWSERS, logLevel: 'warning',
});
// index.html links each sheet on a line of its own: the first line now links the bundle (its
// name is the first sheet's), the others go.
const links = STYLES.map((f) => `<link rel="stylesheet" href="./${f}">`);
const lines = fs.readFileSync(path.join(OUT, 'index.html'), 'utf8').split('\n');
for (const link of links) if (!lines.some((line) => line.trim() === link)) fail(`index.html does not link ${link} on a line of its own`);
fs.writeFileSync(path.join(OUT, 'index.html'), lines.filter((line) => !links.slice(1).includes(line.trim())).join('\n'));
copied.push(...SCRIPTS, styleSheet);

const wasmOpt = wasmOptPath();
const version = execFileSync(wasmOpt, ['--version'], { encoding: 'utf8' }).trim();
console.log(`dist: ${version} ${WASM_OPT_LEVEL} on ${WASM}`);
const started = Date.now();
fs.mkdirSync(path.dirname(path.join(OUT, WASM)), { recursive: true });
execFileSync(wasmOpt, [WASM_OPT_LEVEL, ...WASM_FEATURES, path.join(ROOT, WASM), '-o', path.join(OUT, WASM)],
  { stdio: 'inherit' });
const seconds = ((Date.now() - started) / 1000).toFixed(1);

const before = fs.readFileSync(path.join(ROOT, WASM));
const after = fs.readFileSync(path.join(OUT, WASM));
try {
  new WebAssembly.Module(after); // compiles: the optimized module is still valid
} catch (error) {
  fail(`the optimized module does not compile: ${error.message}`);
}

const files = [...copied, WASM].sort();
const unused = checkReferences(files);
if (unused.length) console.log(`dist: copied but not loaded by the page (yet): ${unused.join(', ')}`);

// Precompressed copies for servers that send them (the .gz at zlib's best level, the .br at
// brotli's): a server that does not simply ignores them.
for (const file of files) {
  const bytes = fs.readFileSync(path.join(OUT, file));
  fs.writeFileSync(path.join(OUT, `${file}.gz`), zlib.gzipSync(bytes, { level: 9 }));
  fs.writeFileSync(path.join(OUT, `${file}.br`), zlib.brotliCompressSync(bytes, {
    params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: bytes.length },
  }));
}

// ---- Sizes --------------------------------------------------------------------------------------

const kinds = { html: [0, 0], js: [0, 0], css: [0, 0], json: [0, 0], wasm: [0, 0] };
for (const file of files) {
  const bytes = fs.readFileSync(path.join(OUT, file));
  const kind = kinds[path.extname(file).slice(1)];
  kind[0] += bytes.length;
  kind[1] += gzipSize(bytes);
}
const total = Object.values(kinds).reduce(([r, g], [kr, kg]) => [r + kr, g + kg], [0, 0]);

console.log(`dist: ${files.length} files in dist/ (wasm-opt took ${seconds} s)`);
console.log(row('index.html', ...kinds.html));
console.log(row(`JavaScript (${SCRIPTS.length} bundles)`, ...kinds.js));
console.log(row('styles (one sheet)', ...kinds.css));
console.log(row('lessons', ...kinds.json));
console.log(row('WebAssembly module', ...kinds.wasm));
console.log(row('total', ...total));
console.log('dist: the WebAssembly module, before and after wasm-opt');
console.log(row('wasm-bindgen output', before.length, gzipSize(before)));
console.log(row(`wasm-opt ${WASM_OPT_LEVEL}`, after.length, gzipSize(after)));
console.log(`dist: total ${total[0]} bytes, ${total[1]} gzipped; wasm ${before.length} → ${after.length} bytes, `
  + `${gzipSize(before)} → ${gzipSize(after)} gzipped`);
