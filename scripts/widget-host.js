// The front end of the Jupyter widget gdviz.Explorer (python/gdviz/explorer.py): the ESM that
// anywidget loads. scripts/widget.mjs bundles it into python/gdviz/static/widget.js with the page
// of dist/ inlined: GDVIZ_PAGE is the gzip, in base64, of the page's HTML (its style sheet, its
// bundled script and a small prelude inline: GDVIZ_HTML_BYTES bytes of UTF-8) followed by the
// wasm-opt'ed WebAssembly module; nothing is fetched from anywhere.
//
// Each view is an <iframe srcdoc> holding the whole page in embed mode: a frame of its own, so
// that the page's ids, styles, keyboard and layout stay its own, and so that two widgets never
// meet; being srcdoc, it is of this document's origin, and the page reaches its host through
// frameElement.gdvizNotebook (www/features/notebook.js does the rest: the settings, the state,
// the data, the commands). The page is unpacked and its module compiled once per browser tab,
// whatever the number of widgets.
//
// Python's commands (step, play, pause, reset, history) come as custom messages to each view;
// those that arrive before the view's page is ready wait for it (Python itself holds its
// commands until a view has first connected: `_connected`).

/* global GDVIZ_PAGE, GDVIZ_HTML_BYTES, GDVIZ_BUILD */

/** The page of this build, unpacked: {html, module}, shared by every widget of the tab. */
function page() {
  const pages = (globalThis.__gdvizNotebookPages ??= new Map());
  if (!pages.has(GDVIZ_BUILD)) pages.set(GDVIZ_BUILD, unpack());
  return pages.get(GDVIZ_BUILD);
}

async function unpack() {
  const text = atob(GDVIZ_PAGE);
  const packed = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i += 1) packed[i] = text.charCodeAt(i);
  const stream = new Blob([packed]).stream().pipeThrough(new DecompressionStream('gzip'));
  const bytes = new Uint8Array(await new Response(stream).arrayBuffer());
  const html = new TextDecoder().decode(bytes.subarray(0, GDVIZ_HTML_BYTES));
  const module = await WebAssembly.compile(bytes.subarray(GDVIZ_HTML_BYTES));
  return { html, module };
}

/** A plain copy of a JSON value made in this realm (the page's objects are of the frame's). */
const plain = (value) => (value === undefined ? null : JSON.parse(JSON.stringify(value)));

/** The page's own link fields for an embedded view: embed=1 and the groups `show` names. */
function hashOf(model) {
  const show = [].concat(model.get('show') ?? []).map(String).filter((s) => /^[a-z-]+$/.test(s));
  return show.length ? `embed=1&show=${show.join(',')}` : 'embed=1';
}

export default {
  async render({ model, el }) {
    // Python's commands to this view: held until its page is ready.
    const queue = [];
    let view = null;
    const onMessage = (message) => {
      if (!message || typeof message.command !== 'string') return;
      if (view) view.command(message);
      else queue.push(message);
    };
    model.on('msg:custom', onMessage);
    const box = document.createElement('div');
    box.className = 'gdviz-explorer';
    // The output area's width, the widget's height; a person may drag its lower edge.
    Object.assign(box.style, {
      position: 'relative', width: '100%', height: `${model.get('height')}px`, minHeight: '240px',
      resize: 'vertical', overflow: 'hidden', boxSizing: 'border-box', border: '1px solid #d0d7de', borderRadius: '4px',
      background: '#fff',
    });
    const frame = document.createElement('iframe');
    frame.title = 'gdviz: gradient descent';
    Object.assign(frame.style, { display: 'block', width: '100%', height: '100%', border: '0' });
    box.append(frame);
    el.append(box);
    const onHeight = () => { box.style.height = `${model.get('height')}px`; };
    model.on('change:height', onHeight);

    let gone = false;
    const { html, module } = await page();
    frame.gdvizNotebook = {
      wasm: module,
      hash: hashOf(model),
      get: (key) => model.get(key),
      set(changes) {
        for (const [key, value] of Object.entries(changes)) model.set(key, plain(value));
        model.save_changes();
      },
      on: (event, fn) => model.on(event, fn),
      off: (event, fn) => model.off(event, fn),
      send: (content) => model.send(plain(content)),
      connect(bridge) {
        if (gone) {
          bridge.disconnect();
          return;
        }
        view = bridge;
        if (!model.get('_connected')) {
          model.set('_connected', true);
          model.save_changes();
        }
        for (const message of queue.splice(0)) bridge.command(message);
      },
    };
    frame.srcdoc = html;
    return () => {
      gone = true;
      model.off('change:height', onHeight);
      model.off('msg:custom', onMessage);
      view?.disconnect();
      box.remove();
    };
  },
};
