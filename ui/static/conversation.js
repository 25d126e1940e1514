// The conversation's js_on_load (Gradio gives it `element`, `trigger` and `watch`).
element.addEventListener('click', function (ev) {
  var b = ev.target.closest && ev.target.closest('button.fb');
  if (!b) return;
  b.parentElement.querySelectorAll('button.fb').forEach(function (x) { x.classList.remove('chosen'); });
  b.classList.add('chosen');
  trigger('click', {turn: parseInt(b.dataset.turn, 10), rating: b.dataset.rating});
});
// "按原问题回答": the question of that turn asked again without the earlier turns.
element.addEventListener('click', function (ev) {
  var b = ev.target.closest && ev.target.closest('button.alone');
  if (!b) return;
  trigger('click', {turn: parseInt(b.dataset.turn, 10), alone: true});
});
