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
    }
  }
  var set = upd.querySelector('.upd-cites > .cite-set');
  var panel = document.querySelector('#citations .cites');
  if (set && panel) {
    panel.querySelectorAll(':scope > .cites-title, :scope > p.muted').forEach(function (n) { n.remove(); });
    panel.querySelectorAll(':scope > .cite-set').forEach(function (s) { s.hidden = true; });
    put(panel, [set.cloneNode(true)], ':scope > .cite-set[data-turn="' + turn + '"]');
  }
}
apply();
watch('value', apply);
