// The tools of issue 5, installed after the page has started (main.js calls installTools):
// the header's Language switch, Presenter toggle and shortcuts button; above the plots the
// notices and a toolbar (timeline, Data, Export, Trajectory table, Copy link); point editing on
// the data plot; keyboard shortcuts; the URL state. Each part lives in its own module.

import { browserLanguage, LANGUAGES, language, onLanguageChange, setLanguage, t } from './i18n.js';
import { byId, closeMenusOnOutsideClick, h } from './dom.js';
import { installEditing } from './editing.js';
import { installIo } from './io.js';
import { installKeyboard } from './keyboard.js';
import { annotatePage, presetText } from './strings.js';
import { installTable } from './table.js';
import { installTimeline } from './timeline.js';
import { installUrl } from './url.js';

/** Presenter mode: the plots' text and lines are magnified this much (the page's text by CSS). */
export const PRESENTER_ZOOM = 1.4;

export function installTools(app) {
  annotatePage();
  closeMenusOnOutsideClick();

  // ---- header: Language, Presenter, ? -------------------------------------------------------
  const headerTools = h('div', { class: 'header-tools' });
  document.querySelector('.topbar')?.append(headerTools);

  const languages = h('select', { id: 'language' });
  for (const [code, name] of Object.entries(LANGUAGES)) {
    languages.append(new Option(name, code));
  }
  headerTools.append(h('div', { class: 'lang-box' },
    h('label', { for: 'language', class: 'readout-label', 'data-i18n': 'language.label' }, t('language.label')),
    languages));
  app.languageChosen = false;
  const chooseLanguage = (lang) => {
    app.languageChosen = true;
    setLanguage(lang);
  };
  languages.addEventListener('change', () => chooseLanguage(languages.value));

  const presenter = h('button', {
    type: 'button', id: 'presenter', class: 'btn btn-small', 'aria-pressed': 'false',
    'data-i18n': 'presenter', 'data-i18n-attr': 'title:presenter.title', title: t('presenter.title'),
  }, t('presenter'));
  headerTools.append(presenter);
  app.presenter = false;
  const setPresenter = (on) => {
    app.presenter = on;
    document.documentElement.classList.toggle('presenter', on);
    presenter.setAttribute('aria-pressed', String(on));
    app.vis.set_zoom(on ? PRESENTER_ZOOM : 1);
    // The layout changes with the text size: size the canvases again, then redraw.
    requestAnimationFrame(() => {
      app.plots.resize();
      app.refresh();
    });
    app.refresh();
  };
  app.setPresenter = setPresenter;
  presenter.addEventListener('click', () => setPresenter(!app.presenter));

  // ---- above the plots: notices and the toolbar ------------------------------------------------
  const stage = document.querySelector('section.stage');
  const plots = byId('plots');
  const notices = h('div', { class: 'notices' });
  const toolbar = h('div', {
    class: 'toolbar', role: 'group', 'aria-label': t('tools.aria'), 'data-i18n-attr': 'aria-label:tools.aria',
  });
  stage.insertBefore(notices, plots);
  stage.insertBefore(toolbar, plots);
  const tools = h('div', { class: 'toolbar-tools' });

  installEditing(app);
  installTimeline(app, toolbar);
  toolbar.append(tools);
  installIo(app, tools);
  installTable(app, tools);
  installKeyboard(app, headerTools);

  // ---- languages: the markup (data-i18n), then what JS wrote -----------------------------------
  onLanguageChange((lang) => {
    document.title = t('page.title');
    app.vis.set_language(lang); // the words inside the plots (axes, labels, notes)
    languages.value = lang;
    for (const option of byId('dataset').options) {
      const preset = app.ctx.presets.find((p) => p.name === option.value);
      if (preset) option.textContent = presetText(preset, 'label');
    }
    for (const option of byId('regularization').options) option.textContent = t(`reg.${option.value}`);
    app.controls.syncInputs();
    app.refreshAnalysis();
    app.refresh();
  });
  setLanguage(browserLanguage());

  // Last: the URL state (it may choose the language, presenter mode and every setting).
  app.url = installUrl(app, tools, notices, { setPresenter, chooseLanguage });
  return { setPresenter, chooseLanguage, language };
}
