// When a call into the wasm module traps (a Rust panic, an out-of-bounds access: a bug, never a
// state of the run), the page does not go on as if nothing happened: it stops the loop, turns
// the run's buttons off, and says so in the message line with a link that reloads the page with
// the same settings. The user's own data is kept in this browser (keep.js) and comes back with
// the reload. Nothing here calls into the module again: after a trap its state is not trusted.

import { h } from '../shell/dom.js';
import { t } from '../shell/i18n.js';

/** Whether `error` is a trap of the wasm module. */
export function isTrap(error) {
  return typeof WebAssembly !== 'undefined' && error instanceof WebAssembly.RuntimeError;
}

export function install(app) {
  let failed = false;
  const fail = (error) => {
    if (failed) return;
    failed = true;
    app.player.playing = false;
    cancelAnimationFrame(app.player.request);
    for (const button of Object.values(app.buttons)) button.disabled = true;
    const message = document.querySelector('[data-testid="message"]');
    const reload = h('a', { href: window.location.href, id: 'failure-reload' }, t('failure.reload'));
    reload.addEventListener('click', (event) => {
      event.preventDefault();
      window.location.reload();
    });
    message.replaceChildren(`${t('failure.message')} `, reload);
    document.body.dataset.failed = 'true';
    console.error('gdviz: the WebAssembly module trapped:', error?.message ?? error);
  };
  window.addEventListener('error', (event) => {
    if (isTrap(event.error)) fail(event.error);
  });
  window.addEventListener('unhandledrejection', (event) => {
    if (isTrap(event.reason)) fail(event.reason);
  });
  return { fail, get failed() { return failed; } };
}
