// Embed mode, for a slide or a course page: a link with `embed=1` shows only the plots, Step /
// Play / Reset, the status, the iteration and the loss, and the learning rate with its slider,
// sized to fill a small iframe (800 × 450) without scrolling. `show=batch,optimizer,…` brings
// more control groups of the settings column (SHOWABLE) into the embed's control bar (above the
// side plots while it holds the learning rate alone, across the top of the plots when it holds
// more); the controls are the page's own elements, moved there and back, so validation, errors,
// the keyboard and the link work as on the full page. A small "Open in gdviz" link leads to the
// full page with the same settings. Both settings are the store's `embed` and `show` (in the
// link, like every setting). Export ▾ → Copy embed code copies an <iframe> of the current state,
// its address written by the link's own builder. An embedded page neither restores nor saves
// the data kept in this browser (keep.js): it shows what its link says.

import { byId, copyText, flash, h } from '../shell/dom.js';
import { unknownChoice } from '../shell/errors.js';
import { onOff } from '../shell/settings.js';
import { onLanguageChange, t } from '../shell/i18n.js';
import { hashOf, linkFields, MAX_LINK_POINTS } from './link.js';

/** Size of the iframe of the embed code (px). */
export const EMBED_WIDTH = 800;
export const EMBED_HEIGHT = 450;
/** How long the "Open in gdviz" link waits after the last change before it is rewritten (ms). */
const HREF_DELAY = 200;

/** The row of the settings column (a child of its fieldset) that holds the control `id`. */
function rowOf(id) {
  let el = byId(id);
  while (el && el.parentElement && el.parentElement.tagName !== 'FIELDSET') el = el.parentElement;
  return el?.parentElement ? el : null;
}

/**
 * What `show=` can name, in the order the control bar shows them: each a control group of the
 * settings column, given as the run of sibling elements from `from` up to (not including)
 * `until` (null: to the end of its parent), or a plot (`plot`). The learning rate is always shown.
 */
export const SHOWABLE = {
  // the learning rate, its slider and the bands' legend
  rate: { from: () => rowOf('learning-rate'), until: () => byId('learning-rate-error')?.nextElementSibling ?? null },
  batch: { from: () => rowOf('batch-size'), until: () => rowOf('optimizer') },      // batch size and its presets
  optimizer: { from: () => rowOf('optimizer'), until: () => rowOf('schedule') },    // optimizer and its parameters
  schedule: { from: () => rowOf('schedule'), until: () => rowOf('rate-rule') },     // schedule, parameters, ηₜ
  method: { from: () => rowOf('rate-rule'), until: () => rowOf('speed') },          // rate rule and line search
  speed: { from: () => rowOf('speed'), until: () => null },                         // steps per frame
  regularization: { from: () => rowOf('loss-convention'), until: () => null },      // loss, regularization, λ
  data: { from: () => rowOf('dataset'), until: () => rowOf('model') },             // data set, points, noise, seed
  model: { from: () => rowOf('model'), until: () => null },                         // model, degree, x columns
  view: { from: () => rowOf('standardize'), until: () => rowOf('start-theta0') },   // standardize x, overlays
  start: { from: () => rowOf('start-theta0'), until: () => null },                  // the start point's fields
  explain: { from: () => byId('explain-section'), until: () => byId('explain-section')?.nextElementSibling ?? null }, // How this step works
  coefficients: { plot: 'coefficients' },                                           // the coefficient plot
};
/** The elements of control group `name` of SHOWABLE in the settings column (none for a plot or
 * a group the page lacks): the run of siblings from its first row up to its `until`. */
export function groupNodes(name) {
  const part = SHOWABLE[name];
  const from = part?.plot ? null : part?.from();
  if (!from) return [];
  const until = part.until();
  const nodes = [];
  for (let el = from; el && el !== until; el = el.nextElementSibling) nodes.push(el);
  return nodes;
}

/**
 * The control groups of SHOWABLE, each movable from the settings column into a box of its own in
 * `container` and back (a comment `tag: name` marks its place in the column; the boxes carry
 * `data-<tag>-group` and `boxClass`). `show(names)` moves exactly the groups named into their
 * boxes and every other one home; `has(name)` says whether the page has that group.
 */
export function controlGroups(container, tag, boxClass) {
  const groups = {};
  for (const name of Object.keys(SHOWABLE)) {
    const nodes = groupNodes(name);
    if (nodes.length === 0) continue; // a plot, or a group the page lacks
    const marker = document.createComment(`${tag}: ${name}`);
    nodes[0].before(marker);
    const box = h('div', { class: boxClass, [`data-${tag}-group`]: name, hidden: true });
    container.append(box);
    groups[name] = { nodes, marker, box, shown: false };
  }
  return {
    has: (name) => Object.hasOwn(groups, name),
    show(names) {
      for (const [name, group] of Object.entries(groups)) {
        const shown = names.includes(name);
        if (shown === group.shown) continue;
        group.shown = shown;
        if (shown) group.box.append(...group.nodes);
        else group.marker.after(...group.nodes);
        group.box.hidden = !shown;
      }
    },
  };
}

/** The group shown in every embedded page. */
const ALWAYS = 'rate';
/** The readouts an embedded page keeps in its header. */
const KEPT_READOUTS = ['iteration', 'loss'];

/** `show=` text → the names it lists, in SHOWABLE's order; an unknown name throws its error. */
export function parseShow(text) {
  const names = String(text).split(',').map((s) => s.trim()).filter((s) => s !== '');
  for (const name of names) {
    if (!Object.hasOwn(SHOWABLE, name)) throw unknownChoice('show', Object.keys(SHOWABLE), name);
  }
  return Object.keys(SHOWABLE).filter((name) => names.includes(name));
}

/** Text for a double-quoted HTML attribute value. */
export function attributeText(value) {
  return String(value).replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** The page's address without its hash. */
export const pageAddress = () => window.location.href.split('#')[0];

/** The address of this state embedded: the link's fields with embed=1 first. */
export function embedAddress(app) {
  const fields = linkFields(app).filter(([key]) => key !== 'embed');
  return `${pageAddress()}${hashOf([['embed', '1'], ...fields])}`;
}

/** The address of this state on the full page: the link's fields without embed and show. */
export function fullAddress(app) {
  const fields = linkFields(app).filter(([key]) => key !== 'embed' && key !== 'show');
  return `${pageAddress()}${fields.length ? hashOf(fields) : ''}`;
}

/** The embed code of this state (or of the address `src`): an <iframe> element, as text. */
export function embedCode(app, src = embedAddress(app)) {
  const attributes = [
    ['src', src], ['width', EMBED_WIDTH], ['height', EMBED_HEIGHT],
    ['title', t('embed.iframe-title')], ['style', 'border:0'], ['loading', 'lazy'],
  ];
  return `<iframe ${attributes.map(([name, value]) => `${name}="${attributeText(value)}"`).join(' ')}></iframe>`;
}

export function install(app) {
  const body = document.body;
  const bar = h('div', {
    class: 'embed-controls', id: 'embed-controls', role: 'group', hidden: true,
    'aria-label': t('embed.controls'), 'data-i18n-attr': 'aria-label:embed.controls',
  });
  // The bar's two places: above the side plots when it holds the learning rate alone (the
  // surface keeps the whole height), across the top of the plots when it holds more.
  const side = document.querySelector('#plots .side');
  const stage = document.querySelector('.stage');
  stage.prepend(bar);

  // Each control group, found once (the settings column being built), with its box in the bar.
  const groups = controlGroups(bar, 'embed', 'embed-group');
  for (const id of KEPT_READOUTS) {
    document.querySelector(`.topbar [data-testid="${id}"]`)?.closest('.readout')?.setAttribute('data-embed-keep', '');
  }

  // "Open in gdviz": the full page with the same settings, in a new tab.
  // (Its short text for a narrow frame.)
  const open = h('a', {
    class: 'embed-open', id: 'embed-open', href: pageAddress(), target: '_blank', rel: 'noopener',
    title: t('embed.open.title'), 'data-i18n-attr': 'title:embed.open.title',
  }, h('span', { class: 'embed-open-long', 'data-i18n': 'embed.open' }, t('embed.open')),
  h('span', { class: 'embed-open-short', 'aria-hidden': 'true', 'data-i18n': 'embed.open.short' }, t('embed.open.short')));
  byId('header-tools').before(open);
  let hrefTimer = 0;
  const writeHref = () => {
    clearTimeout(hrefTimer);
    hrefTimer = 0;
    if (app.store.get('embed')) open.href = fullAddress(app);
  };
  app.store.subscribe(() => {
    clearTimeout(hrefTimer);
    hrefTimer = setTimeout(writeHref, HREF_DELAY);
  });
  for (const event of ['pointerdown', 'focus', 'click']) open.addEventListener(event, writeHref);

  // A lesson's scene, embedded, shows its own control groups in its panel: the bar yields them.
  let yielded = false;
  let shownState = '';
  const render = (on, names) => {
    const state = on ? `1:${yielded}:${names.join(',')}` : '0';
    if (state === shownState) return;
    shownState = state;
    body.toggleAttribute('data-embed', on);
    if (on) body.dataset.embedShow = [ALWAYS, ...names].join(' ');
    else delete body.dataset.embedShow;
    groups.show(on && !yielded ? [ALWAYS, ...names] : []);
    bar.hidden = !on || yielded;
    const alone = names.every((name) => name === ALWAYS || !groups.has(name));
    const place = alone && side ? side : stage;
    if (bar.parentElement !== place) place.prepend(bar);
    if (on && !yielded) body.dataset.embedBar = place === side ? 'side' : 'top';
    else delete body.dataset.embedBar;
    if (on) writeHref();
    // The layout changed: size the canvases again, then redraw.
    requestAnimationFrame(() => {
      app.plots.resize();
      app.refresh();
    });
  };

  app.store.define({
    key: 'embed', group: 'page', url: true,
    initial: () => false,
    ...onOff('embed'),
    omit: (on) => !on,
    apply: (ctx, state) => render(state.embed, state.show),
  });
  app.store.define({
    key: 'show', group: 'page', url: true,
    initial: () => [],
    parse: parseShow,
    toText: (names) => names.join(','),
    omit: (names) => names.length === 0,
    apply: (ctx, state) => render(state.embed, state.show),
  });

  // Export ▾ → Copy embed code: the clipboard when allowed, otherwise a selected text to copy.
  const feedback = h('span', { class: 'hint embed-feedback', role: 'status', id: 'embed-feedback' });
  const field = h('textarea', {
    id: 'embed-code', class: 'embed-code', rows: 3, readonly: true, hidden: true, spellcheck: 'false',
    'aria-label': t('embed.field'), 'data-i18n-attr': 'aria-label:embed.field',
  });
  const copy = h('button', { type: 'button', class: 'btn btn-small', id: 'copy-embed', 'data-i18n': 'embed.copy' }, t('embed.copy'));
  copy.addEventListener('click', async () => {
    app.features.link?.write(); // the URL and the link's notice (too many points) as Copy link has them
    // In a lesson: the scene, with the lesson in the link (its code when it is not built in).
    const scene = app.store.get('lesson') ? await app.features.lesson.sceneAddress({ embed: true }) : null;
    if (scene?.tooLong) {
      field.hidden = true;
      flash(feedback, t('embed.lesson-too-long', { length: scene.url.length, max: scene.max }), 15_000);
      return;
    }
    const code = embedCode(app, scene?.url);
    const tooMany = !scene && app.store.get('data') === 'custom' && app.n > MAX_LINK_POINTS;
    const caveat = tooMany ? ` ${t('embed.too-many', { n: app.n, max: MAX_LINK_POINTS })}` : '';
    copyText(code, field, feedback, { copied: `${t('embed.copied')}${caveat}`, select: `${t('embed.select')}${caveat}`, ms: tooMany ? 15_000 : 5000 });
  });
  const panel = byId('export-menu-panel');
  if (panel) panel.append(h('div', { class: 'menu-row embed-row' }, copy, feedback), field);
  onLanguageChange(() => { field.hidden = true; }); // its title was in the other language

  return {
    set: (on) => app.store.set('embed', on),
    /** Whether a lesson's scene holds the control groups (the bar gives them back home). */
    yieldControls(on) {
      if (yielded === on) return;
      yielded = on;
      render(app.store.get('embed'), app.store.get('show'));
    },
    code: () => embedCode(app),
    address: () => embedAddress(app),
    fullAddress: () => fullAddress(app),
  };
}
