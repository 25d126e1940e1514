// The conversation's js_on_load (Gradio gives it `element`, `trigger` and `watch`).
element.addEventListener('click', function (ev) {
  var b = ev.target.closest && ev.target.closest('button.fb');
  if (!b) return;
  b.parentElement.querySelectorAll('button.fb').forEach(function (x) { x.classList.remove('chosen'); });
  b.classList.add('chosen');
  trigger('click', {turn: parseInt(b.dataset.turn, 10), rating: b.dataset.rating});
});
// Keep the latest question in view as its answer streams in.
watch('value', function () {
  var c = element.querySelector('.conv');
  var users = element.querySelectorAll('.msg.user');
  if (!c || !users.length || c.scrollHeight <= c.clientHeight) return;
  var last = users[users.length - 1];
  c.scrollTop += last.getBoundingClientRect().top - c.getBoundingClientRect().top - 6;
});
