#!/usr/bin/env node
// Where a frame's time goes (`make trace`): opens a scenario of the page benchmark (scenarios.mjs) in headless
// Debian chromium, with the CPU slowed down by Emulation.setCPUThrottlingRate (4× by default,
// Lighthouse's mobile figure), plays it, and records a Chrome trace (devtools.timeline) and a
// JavaScript sampling profile for a few seconds. It prints the main thread's time by kind of
// work (script, style, layout, paint, compositing, canvas rasterization, garbage collection)
// and the JavaScript functions with the most self time, as shares of the recorded time.
//
// Options: --scenario a|b|c|e|lesson (default a), --throttle R (default 4), --seconds S (default 4).
// For experiments, TRACE_CSS=… adds a style sheet and TRACE_JS=… runs a script in the page before
// it plays (e.g. TRACE_CSS='#surface-halo{display:none}').

import { chromium } from '@playwright/test';
import { LAUNCH, freePort, serve } from './headless.mjs';
import { scenarioAddress, SCENARIOS } from './scenarios.mjs';


function options(argv) {
  const o = { scenario: 'a', throttle: 4, seconds: 4 };
  for (let i = 0; i < argv.length; i += 2) {
    const [flag, value] = [argv[i], argv[i + 1]];
    if (flag === '--scenario' && Object.hasOwn(SCENARIOS, value)) o.scenario = value;
    else if (flag === '--throttle' && Number(value) >= 1) o.throttle = Number(value);
    else if (flag === '--seconds' && Number(value) > 0) o.seconds = Number(value);
    else throw new Error(`usage: trace-page.mjs [--scenario ${Object.keys(SCENARIOS).join('|')}] [--throttle R ≥ 1] [--seconds S > 0]; not ${flag} ${value}`);
  }
  return o;
}

/** The kind of main-thread work a trace event is (null: not counted on its own). */
const KINDS = {
  FunctionCall: 'script', EvaluateScript: 'script', 'v8.compile': 'script', TimerFire: 'script', FireAnimationFrame: 'script',
  EventDispatch: 'script', RunMicrotasks: 'script', 'v8.run': 'script',
  UpdateLayoutTree: 'style', RecalculateStyles: 'style', ParseAuthorStyleSheet: 'style',
  Layout: 'layout', UpdateLayerTree: 'layout', PrePaint: 'paint', Paint: 'paint', PaintImage: 'paint',
  Layerize: 'compositing', 'Commit': 'compositing', CompositeLayers: 'compositing',
  MinorGC: 'garbage collection', MajorGC: 'garbage collection', 'V8.GC_SCAVENGER': 'garbage collection',
};

async function main() {
  const o = options(process.argv.slice(2));
  const scenario = SCENARIOS[o.scenario];
  const port = await freePort();
  const server = await serve(port, 'index.html');
  const browser = await chromium.launch(LAUNCH);
  try {
    const page = await browser.newPage({ viewport: scenario.viewport });
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: o.throttle });
    await page.goto(scenarioAddress(`http://127.0.0.1:${port}/index.html`, o.scenario));
    await page.waitForSelector('body[data-ready="true"]', { timeout: 120_000 });
    if (process.env.TRACE_CSS) await page.addStyleTag({ content: process.env.TRACE_CSS });
    if (process.env.TRACE_JS) await page.evaluate(process.env.TRACE_JS);
    await page.getByRole('button', { name: 'Play', exact: true }).click();
    await page.waitForTimeout(1000);

    const events = [];
    cdp.on('Tracing.dataCollected', ({ value }) => events.push(...value));
    const finished = new Promise((resolve) => { cdp.once('Tracing.tracingComplete', resolve); });
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
    await cdp.send('Tracing.start', { categories: 'devtools.timeline,disabled-by-default-devtools.timeline,v8', transferMode: 'ReportEvents' });
    await cdp.send('Profiler.start');
    await page.waitForTimeout(o.seconds * 1000);
    const { profile } = await cdp.send('Profiler.stop');
    await cdp.send('Tracing.end');
    await finished;

    // The renderer's main thread: the thread of the most FunctionCall events.
    const counts = new Map();
    for (const e of events) if (e.name === 'FunctionCall') counts.set(`${e.pid}:${e.tid}`, (counts.get(`${e.pid}:${e.tid}`) ?? 0) + 1);
    const main = [...counts.entries()].sort((x, y) => y[1] - x[1])[0]?.[0];
    const top = events.filter((e) => `${e.pid}:${e.tid}` === main && e.ph === 'X' && typeof e.dur === 'number');
    const span = (Math.max(...top.map((e) => e.ts + e.dur)) - Math.min(...top.map((e) => e.ts))) / 1000;
    // Self time by kind: an event's duration less its direct children's on the same thread; an
    // event of no kind of its own is its parent's kind ("other" at the top: the task's own time).
    top.sort((x, y) => x.ts - y.ts || y.dur - x.dur);
    const stack = [];
    const self = new Map();
    const add = (kind, ms) => self.set(kind, (self.get(kind) ?? 0) + ms);
    const byName = new Map(); // self time by trace event
    for (const e of top) {
      while (stack.length && stack[stack.length - 1].end <= e.ts) stack.pop();
      const parent = stack[stack.length - 1];
      const kind = KINDS[e.name] ?? parent?.kind ?? 'other';
      add(kind, e.dur / 1000);
      if (parent) add(parent.kind, -e.dur / 1000);
      byName.set(e.name, (byName.get(e.name) ?? 0) + e.dur / 1000);
      if (parent) byName.set(parent.name, (byName.get(parent.name) ?? 0) - e.dur / 1000);
      stack.push({ end: e.ts + e.dur, kind, name: e.name });
    }
    const frames = events.filter((e) => `${e.pid}:${e.tid}` === main && e.name === 'FireAnimationFrame').length;
    console.log(`\ngdviz trace: scenario (${o.scenario}), CPU ${o.throttle}× slower, ${o.seconds} s, ${frames} animation frames`);
    console.log(`main thread, ${span.toFixed(0)} ms recorded: self time by kind of work`);
    for (const [kind, ms] of [...self.entries()].sort((x, y) => y[1] - x[1])) {
      console.log(`  ${kind.padEnd(20)} ${ms.toFixed(0).padStart(7)} ms  ${(100 * ms / span).toFixed(1).padStart(5)} %  ${(ms / Math.max(1, frames)).toFixed(2).padStart(6)} ms a frame`);
    }

    console.log('main thread: the trace events with the most self time');
    for (const [name, ms] of [...byName.entries()].sort((x, y) => y[1] - x[1]).slice(0, 12)) {
      console.log(`  ${name.padEnd(28)} ${ms.toFixed(0).padStart(7)} ms  ${(100 * ms / span).toFixed(1).padStart(5)} %`);
    }

    // JavaScript (and wasm) self time by function, from the sampling profile.
    const byId = new Map(profile.nodes.map((n) => [n.id, n]));
    const selfSamples = new Map();
    for (const id of profile.samples) selfSamples.set(id, (selfSamples.get(id) ?? 0) + 1);
    const total = profile.samples.length;
    const byFunction = new Map();
    for (const [id, count] of selfSamples) {
      const { callFrame } = byId.get(id);
      const file = callFrame.url.split('/').slice(-2).join('/');
      const name = `${callFrame.functionName || '(anonymous)'}  ${file}${file ? `:${callFrame.lineNumber + 1}` : ''}`;
      byFunction.set(name, (byFunction.get(name) ?? 0) + count);
    }
    console.log('\nfunctions with the most self time (sampling profile, idle left out)');
    const busy = [...byFunction.entries()].filter(([name]) => !name.startsWith('(idle)') && !name.startsWith('(program)'));
    const busyTotal = busy.reduce((a, [, c]) => a + c, 0);
    for (const [name, count] of busy.sort((x, y) => y[1] - x[1]).slice(0, 20)) {
      console.log(`  ${(100 * count / total).toFixed(1).padStart(5)} % of all  ${(100 * count / busyTotal).toFixed(1).padStart(5)} % of busy  ${name}`);
    }
    const idle = [...byFunction.entries()].filter(([name]) => name.startsWith('(idle)')).reduce((a, [, c]) => a + c, 0);
    console.log(`  idle: ${(100 * idle / total).toFixed(1)} % of the samples`);
  } finally {
    await browser.close();
    server.kill();
  }
}

main().catch((error) => {
  console.error(`trace-page: ${error.message}`);
  process.exit(1);
});
