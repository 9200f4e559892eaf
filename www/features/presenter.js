// Presenter mode: larger text (by CSS) and larger lines and labels in the plots (the core's
// zoom) for a projector. A button in the header; the setting is the store's `presenter`.

import { h } from '../shell/dom.js';
import { onOff } from '../shell/settings.js';
import { t } from '../shell/i18n.js';

/** How much the plots magnify their text and lines in presenter mode (13-px labels reach 18). */
export const PRESENTER_ZOOM = 1.4;
/** On a lesson's stage in presenter mode, the plots' smallest words (11 and 12 CSS px) are
 * raised to 18 px; their margins and lines keep the zoom, so the plotting areas keep their room. */
export const STAGE_MIN_FONT = 18;

/** Sets the plots' magnification and smallest text: presenter mode or not, on a lesson's stage
 * or not. */
export function applyZoom(vis, presenter, onStage) {
  vis.set_zoom(presenter ? PRESENTER_ZOOM : 1);
  vis.set_min_font(presenter && onStage ? STAGE_MIN_FONT : 0);
}

export function install(app) {
  const button = h('button', {
    type: 'button', id: 'presenter', class: 'btn btn-small', 'aria-pressed': 'false',
    'data-i18n': 'presenter', 'data-i18n-attr': 'title:presenter.title', title: t('presenter.title'),
  }, t('presenter'));
  document.getElementById('header-tools').append(button);

  app.store.define({
    key: 'presenter', group: 'page', url: true,
    initial: () => false,
    ...onOff('presenter'),
    apply: (ctx, state) => {
      const on = state.presenter;
      document.documentElement.classList.toggle('presenter', on);
      button.setAttribute('aria-pressed', String(on));
      applyZoom(ctx.vis, on, Boolean(state.lesson));
      // The layout changes with the text size: size the canvases again, then redraw.
      requestAnimationFrame(() => {
        app.plots.resize();
        app.refresh();
      });
    },
  });
  button.addEventListener('click', () => app.store.set('presenter', !app.store.get('presenter')));
  return { set: (on) => app.store.set('presenter', on) };
}
