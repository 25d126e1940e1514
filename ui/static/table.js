// A table's js_on_load: a new filter result lists other rows, so the old highlight in its viewer goes.
watch('value', function () {
  var t = element.querySelector('[data-viewer-for]');
  if (t && window.jhViewer) window.jhViewer.clearViewer(t.dataset.viewerFor);
});
