// The latest turn's js_on_load (Gradio gives it `element` and `watch`). The server sends only the turn
// being answered: its messages replace that turn's messages in the log (or are appended), and its settled
// citation set joins the panel as the one shown. Earlier turns are never sent or rendered again.
function put(container, nodes, selector) {
  var old = container.querySelectorAll(selector);
  var anchor = old.length ? old[0] : null;
  nodes.forEach(function (n) { container.insertBefore(n, anchor); });
  old.forEach(function (n) { n.remove(); });
}
function apply() {
  var upd = element.querySelector('.turn-update');
  if (!upd) return;
  var turn = upd.dataset.turn;
  var log = document.querySelector('#conversation .conv');
  if (log) {
    log.querySelectorAll(':scope > .welcome').forEach(function (n) { n.remove(); });
    var msgs = Array.from(upd.querySelector('.upd-turn').children).map(function (n) { return n.cloneNode(true); });
    put(log, msgs, ':scope > .msg[data-turn="' + turn + '"]');
    var user = log.querySelector(':scope > .msg.user[data-turn="' + turn + '"]');
    if (user && log.scrollHeight > log.clientHeight) {  // keep the question in view as its answer comes
      log.scrollTop += user.getBoundingClientRect().top - log.getBoundingClientRect().top - 6;
    } else if (user && !log.contains(document.activeElement)) {
      // A phone: the log is the page. Bring the new question to the top of the screen with its answer below
      // it; the question box is pinned to the bottom (app.css), so it stays in view too.
      var r = user.getBoundingClientRect();
      if (r.top < 0 || r.top > window.innerHeight * 0.4) user.scrollIntoView({block: 'start'});
    }
    restoreRejected(log, turn);
  }
  var set = upd.querySelector('.upd-cites > .cite-set');
  var panel = document.querySelector('#citations .cites');
  if (set && panel) {
    panel.querySelectorAll(':scope > .cites-title, :scope > p.muted').forEach(function (n) { n.remove(); });
    panel.querySelectorAll(':scope > .cite-set').forEach(function (s) { s.hidden = true; });
    put(panel, [set.cloneNode(true)], ':scope > .cite-set[data-turn="' + turn + '"]');
  }
}
// A question the engine rejected (too long, empty …) goes back into the box it was sent from, unless the user
// has typed something else there since: typed text is never overwritten.
function restoreRejected(log, turn) {
  var err = log.querySelector(':scope > .msg.error[data-rejected][data-turn="' + turn + '"]');
  var box = document.querySelector('#question textarea');
  if (!err || !box || err.dataset.restored || typeof window.jhSent !== 'string') return;
  err.dataset.restored = '1';
  if (box.value.trim()) return;
  box.value = window.jhSent;
  box.dispatchEvent(new Event('input', {bubbles: true}));
  window.jhSent = null;
}
apply();
watch('value', apply);
