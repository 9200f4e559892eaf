// Point editing on the data plot (pointer events on its top canvas): a click on empty space
// adds a point, dragging a point moves it, Shift-click deletes it (never below 2 points). After
// each edit the surface, the optimum, the critical rate and the condition number follow (the
// app's data path: refresh the analysis, redraw), and the dataset select reads "Custom (edited)".
// Data of two feature columns is drawn as a 3-D view instead: there a drag turns the view.

import { byId, flash, h } from '../shell/dom.js';
import { describeError } from '../shell/errors.js';
import { onLanguageChange, t } from '../shell/i18n.js';

/** How near (CSS px) a pointer must be to a point to grab or delete it. */
export const GRAB_RADIUS = 8;
/** The same for a finger. */
const TOUCH_RADIUS = 14;
/** A press that moves less than this (CSS px) is a click. */
const CLICK_SLOP = 4;
/** Radians the 3-D view turns per CSS pixel dragged (across: yaw; up and down: pitch). */
export const TURN_PER_PX = 0.01;

export function install(app) {
  const layersOf = app.plots.layers('fit');
  const canvas = layersOf[layersOf.length - 1]; // the top layer takes the pointer
  const layers = canvas.parentElement;

  const message = h('p', { class: 'plot-toast', role: 'status', id: 'edit-message' });
  layers.append(message);
  canvas.classList.add('editable');
  canvas.dataset.i18nAttr = 'title:edit.hint';
  canvas.title = t('edit.hint');
  onLanguageChange(() => { message.textContent = ''; });

  // The 3-D view (two feature columns) takes drags that turn it, not point edits: its own
  // tooltip and a grab cursor (set here, over the stylesheet's editing cursors).
  let turning = false;
  const syncMode = () => {
    const now = app.vis.fit_is_3d();
    if (now === turning) return;
    turning = now;
    const key = now ? 'rotate.hint' : 'edit.hint';
    canvas.dataset.i18nAttr = `title:${key}`;
    canvas.title = t(key);
    canvas.style.cursor = now ? 'grab' : '';
    if (now) canvas.classList.remove('over-point', 'dragging');
  };
  syncMode();
  app.on('analysis', syncMode); // the data changed

  const position = (event) => {
    const rect = canvas.getBoundingClientRect();
    return [event.clientX - rect.left, event.clientY - rect.top];
  };

  /** Runs one edit; a refused edit (the core's exception) shows its message. */
  const edit = (action) => {
    try {
      app.replaceData(action);
    } catch (error) {
      flash(message, t('edit.refused', { message: describeError(error) }));
      return false;
    }
    return true;
  };

  // Drag moves are applied once per animation frame (pointer events can come faster).
  let press = null; // {id, x, y, index (grabbed point or -1), moved}
  let pendingMove = null;
  let frame = 0;
  const applyMove = () => {
    frame = 0;
    if (!pendingMove || !press || press.index < 0) return;
    const [x, y] = pendingMove;
    pendingMove = null;
    const point = app.vis.fit_point_to_data(x, y);
    if (point.length === 2) edit(() => app.vis.move_point(press.index, point[0], point[1]));
  };

  // Turns, like moves, are applied once per animation frame; a paused page is redrawn here
  // (a playing one draws every frame anyway).
  let turn = null; // {id, x, y}: a drag turning the 3-D view, at its last position
  const pendingTurn = [0, 0];
  let turnFrame = 0;
  const applyTurn = () => {
    turnFrame = 0;
    const [dx, dy] = pendingTurn;
    pendingTurn[0] = 0;
    pendingTurn[1] = 0;
    if (dx === 0 && dy === 0) return;
    // The near side follows the pointer: right turns it to the right, down shows the top.
    app.vis.rotate_fit(-dx * TURN_PER_PX, dy * TURN_PER_PX);
    if (!app.player.playing) app.plots.draw();
  };

  canvas.addEventListener('pointerdown', (event) => {
    if (event.button !== 0 || press || turn) return;
    const [x, y] = position(event);
    syncMode();
    if (turning) {
      event.preventDefault();
      turn = { id: event.pointerId, x, y };
      canvas.setPointerCapture(event.pointerId);
      canvas.style.cursor = 'grabbing';
      return;
    }
    const radius = event.pointerType === 'touch' ? TOUCH_RADIUS : GRAB_RADIUS;
    const index = app.vis.nearest_point(x, y, radius);
    if (event.shiftKey) {
      if (index < 0) return;
      event.preventDefault();
      if (app.n <= 2) {
        flash(message, t('edit.too-few'));
        return;
      }
      if (edit(() => app.vis.remove_point(index))) flash(message, '');
      return;
    }
    press = { id: event.pointerId, x, y, index, moved: false };
    if (index >= 0) {
      event.preventDefault();
      canvas.setPointerCapture(event.pointerId);
      canvas.classList.add('dragging');
    }
  });

  canvas.addEventListener('pointermove', (event) => {
    const [x, y] = position(event);
    if (turn && turn.id === event.pointerId) {
      pendingTurn[0] += x - turn.x;
      pendingTurn[1] += y - turn.y;
      turn.x = x;
      turn.y = y;
      if (!turnFrame) turnFrame = requestAnimationFrame(applyTurn);
      return;
    }
    if (turning) return;
    if (!press || press.id !== event.pointerId) {
      // Hover: a grab cursor over a point (cheap enough for the sizes people edit by hand).
      if (app.n <= 100_000) {
        canvas.classList.toggle('over-point', app.vis.nearest_point(x, y, GRAB_RADIUS) >= 0);
      }
      return;
    }
    if (Math.hypot(x - press.x, y - press.y) > CLICK_SLOP) press.moved = true;
    if (press.index >= 0 && press.moved) {
      pendingMove = [x, y];
      if (!frame) frame = requestAnimationFrame(applyMove);
    }
  });

  const finish = (event, cancelled) => {
    if (turn && turn.id === event.pointerId) {
      if (turnFrame) cancelAnimationFrame(turnFrame);
      applyTurn();
      turn = null;
      canvas.style.cursor = turning ? 'grab' : '';
      return;
    }
    if (!press || press.id !== event.pointerId) return;
    const done = press;
    if (done.index >= 0) {
      if (frame) cancelAnimationFrame(frame);
      applyMove();
      // The moves updated the statistics in place; now exactly those of the points.
      if (done.moved) edit(() => app.vis.settle_points());
      canvas.classList.remove('dragging');
    } else if (!cancelled && !done.moved) {
      const [x, y] = position(event);
      const point = app.vis.fit_point_to_data(x, y);
      if (point.length === 2 && edit(() => app.vis.add_point(point[0], point[1]))) flash(message, '');
    }
    press = null;
  };
  canvas.addEventListener('pointerup', (event) => finish(event, false));
  canvas.addEventListener('pointercancel', (event) => finish(event, true));
  // On a touch screen a drag that starts on a point moves the point instead of scrolling, and
  // one on the 3-D view turns it.
  canvas.addEventListener('touchstart', (event) => {
    const touch = event.touches[0];
    if (!touch || event.touches.length > 1) return;
    if (turning) {
      event.preventDefault();
      return;
    }
    const rect = canvas.getBoundingClientRect();
    if (app.vis.nearest_point(touch.clientX - rect.left, touch.clientY - rect.top, TOUCH_RADIUS) >= 0) {
      event.preventDefault();
    }
  }, { passive: false });
  return { edit };
}
